"""Fixtures shared by the party-work apps (development, transfers, dues): demo users, branches, new members."""

import random

import pytest

from hongyin.accounts.models import User
from hongyin.devtools.people import new_member
from hongyin.orgs.models import Organization, OrgKind


@pytest.fixture
def users(db):
    return {u.username: u for u in User.objects.filter(is_demo=True)}


@pytest.fixture
def branch(users):
    """The demo branch secretary's branch (under the first building committee)."""
    return users["branch_secretary"].assignments[0].org


@pytest.fixture
def other_branch(demo):
    return Organization.objects.filter(path__startswith=demo.chain.path, kind=OrgKind.BRANCH).order_by("path").first()


@pytest.fixture
def make_member():
    rng = random.Random(7)

    def make(org, **kw):
        return new_member(org, rng=rng, **kw)

    return make
