import random
from datetime import date

import pytest

from hongyin.devtools.people import new_member
from hongyin.orgs.services import org_create


@pytest.fixture
def rng():
    return random.Random(12)


@pytest.fixture
def committee(users):
    """The demo building committee above the secretary's branch (building_admin's scope)."""
    return users["building_admin"].assignments[0].org


@pytest.fixture
def fresh_branch(committee):
    """A branch of our own under the building committee, founded long ago, with no members yet."""
    return org_create(
        actor=None,
        parent=committee,
        name="测试党支部甲",
        kind="branch",
        category="enterprise",
        founded_on=date(2015, 1, 1),
    )


@pytest.fixture
def people(fresh_branch, rng):
    """Five full members and one probationary member of the fresh branch."""
    full = [
        new_member(fresh_branch, rng=rng, joined_on=date(2018, 7, 1), registered_on=date(2018, 7, 1)) for _ in range(5)
    ]
    probationary = new_member(
        fresh_branch, rng=rng, joined_on=date(2024, 6, 1), registered_on=date(2024, 6, 1), status="probationary"
    )
    return full, probationary
