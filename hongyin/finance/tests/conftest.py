import pytest

from hongyin.finance.models import CreditProduct


@pytest.fixture
def contact_enterprise(users):
    return users["enterprise_contact"].assignments[0].enterprise


@pytest.fixture
def own_product(users):
    """A product of the demo reviewer's institution."""
    inst = users["bank_reviewer"].assignments[0].financial_institution
    return CreditProduct.objects.create(
        institution=inst, name="测试产品", amount_cap=5_000_000, term_months=36, rate_preference="0.50"
    )


@pytest.fixture
def other_product(users):
    inst = users["bank_reviewer"].assignments[0].financial_institution
    other = type(inst).objects.exclude(pk=inst.pk).exclude(kind="fund").order_by("pk").first()
    return CreditProduct.objects.create(
        institution=other, name="他行产品", amount_cap=3_000_000, term_months=24, rate_preference="0.30"
    )


@pytest.fixture
def endorser(users, contact_enterprise):
    """A demo user whose organization scope covers the contact's enterprise (the narrowest one)."""
    from hongyin.finance.permissions import covers_for_endorsement

    for name in ("branch_secretary", "building_admin", "chain_admin", "zone_admin"):
        if covers_for_endorsement(users[name], contact_enterprise):
            return users[name]
    raise AssertionError("no demo user endorses")


@pytest.fixture
def outsider(users, contact_enterprise):
    """A party user whose scope does not cover the contact's enterprise."""
    from hongyin.finance.permissions import covers_for_endorsement

    for name in ("branch_secretary", "building_admin", "chain_admin"):
        if not covers_for_endorsement(users[name], contact_enterprise):
            return users[name]
    raise AssertionError("every demo party user covers the enterprise")
