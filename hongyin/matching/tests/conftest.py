from datetime import timedelta

import pytest
from django.utils import timezone

from hongyin.accounts import services as account_services
from hongyin.common.roles import Role
from hongyin.enterprises.models import ChainMembership, ChainNode, IndustryChain
from hongyin.matching import engine


@pytest.fixture(autouse=True)
def fresh_index():
    """Each test's data differ (its transaction is rolled back): the kept index is forgotten before and after."""
    engine.reset()
    yield
    engine.reset()


@pytest.fixture
def chain(db):
    return IndustryChain.objects.filter(nodes__isnull=False).order_by("id").first()


@pytest.fixture
def leaves(chain):
    return {n.name: n for n in ChainNode.objects.filter(chain=chain) if n.depth > 1}


@pytest.fixture
def contact(users):
    return users["enterprise_contact"]


@pytest.fixture
def own(contact):
    return contact.assignments[0].enterprise


@pytest.fixture
def supplier(chain, leaves, own):
    """An enterprise of the chain (半导体激光器) other than the demo contact's."""
    m = (
        ChainMembership.objects.filter(node=leaves["半导体激光器"])
        .exclude(enterprise=own)
        .select_related("enterprise")
        .order_by("id")
        .first()
    )
    return m.enterprise


@pytest.fixture
def supplier_contact(supplier):
    user = account_services.user_create(
        actor=None, username="supplier_contact", password="Hy-Test-Pass-7a", must_change_password=False, is_demo=False
    )
    account_services.role_grant(actor=None, user=user, role=Role.ENTERPRISE_CONTACT, enterprise=supplier)
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def soon():
    return timezone.localdate() + timedelta(days=60)
