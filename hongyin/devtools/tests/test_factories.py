"""The test factories create through the services: validated, scoped, audited like the real thing."""

import pytest

from hongyin.appeals.models import AppealStatus
from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError
from hongyin.common.roles import Role
from hongyin.devtools.factories import (
    AppealFactory,
    EnterpriseFactory,
    MemberFactory,
    OrganizationFactory,
    PolicyFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def _audited(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_each_factory_writes_through_its_service_and_leaves_an_audit_event():
    before = {a: _audited(a) for a in ("org.create", "member.create", "enterprise.create", "policy.create")}
    branch = OrganizationFactory()
    member = MemberFactory(org=branch)
    firm = EnterpriseFactory(org=branch)
    policy = PolicyFactory()
    assert member.org == branch and firm.org == branch and policy.tokens
    for action, count in before.items():
        assert _audited(action) == count + 1, action


def test_a_user_with_a_role_acts_within_its_scope():
    firm = EnterpriseFactory()
    contact = UserFactory(role=Role.ENTERPRISE_CONTACT, scope={"enterprise": firm})
    appeal = AppealFactory(actor=contact, enterprise=firm)
    assert appeal.status == AppealStatus.DISPATCHED  # science dispatches itself to its department
    assert appeal.submitted_by == contact
    other = EnterpriseFactory()
    with pytest.raises(DomainError):
        AppealFactory(actor=contact, enterprise=other)  # not its enterprise: the service refuses


def test_a_visit_is_recorded_by_its_visitor():
    firm = EnterpriseFactory()
    instructor = UserFactory(role=Role.INSTRUCTOR, scope={"enterprise": firm})
    visit = VisitFactory(actor=instructor, enterprise=firm)
    assert visit.visitor == instructor and visit.visitor_role == Role.INSTRUCTOR
    with pytest.raises(DomainError):
        VisitFactory(actor=instructor, enterprise=EnterpriseFactory())
