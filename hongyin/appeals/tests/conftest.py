from datetime import date

import pytest

from hongyin.accounts.models import User
from hongyin.appeals_config.models import AppealCategory

TODAY = date(2026, 11, 20)  # a Friday


@pytest.fixture
def users(db):
    return {u.username: u for u in User.objects.filter(is_demo=True)}


@pytest.fixture
def contact_enterprise(users):
    return next(a.enterprise for a in users["enterprise_contact"].assignments if a.enterprise_id)


@pytest.fixture
def science(db):
    """Reviewed by hand here (auto_dispatch off): these tests dispatch themselves. The auto-dispatch tests use
    `auto_science`."""
    category = AppealCategory.objects.get(code="science")
    category.auto_dispatch = False
    category.save(update_fields=["auto_dispatch"])
    return category


@pytest.fixture
def auto_science(db):
    """The demo's science category as configured: dispatched to its default department on submission."""
    category = AppealCategory.objects.get(code="science")
    assert category.auto_dispatch and category.default_department_id
    return category


@pytest.fixture
def new_appeal(users, contact_enterprise, science):
    from hongyin.appeals.services import appeal_submit

    def make(title="申请研发费用补贴兑现", content="研发费用补贴申报后未兑现，请协调。", today=TODAY):
        return appeal_submit(
            actor=users["enterprise_contact"],
            enterprise=contact_enterprise,
            category=science,
            title=title,
            content=content,
            source="portal",
            today=today,
        )

    return make
