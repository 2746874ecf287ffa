"""Factories for tests (factory_boy), one per domain, each creating through the app's own service, so a test's
rows pass the same validation, scope rules and audit as the demo's and the users'.

    user = UserFactory(role=Role.BRANCH_SECRETARY, scope={"org": branch})
    appeal = AppealFactory(actor=contact, enterprise=firm, title="...")
    member = MemberFactory(org=branch, joined_on=date(2010, 7, 1))

Defaults lean on the demo zone the test database holds (its root, its first branch, the science category).
"""

import random

import factory
from django.utils import timezone

from hongyin.accounts import services as account_services
from hongyin.accounts.models import User
from hongyin.appeals.models import Appeal, AppealSource, Visit
from hongyin.appeals.services import appeal_submit
from hongyin.appeals.services_visits import visit_record
from hongyin.appeals_config.models import AppealCategory
from hongyin.devtools.demo import make_uscc
from hongyin.devtools.people import new_member
from hongyin.enterprises import services as ent_services
from hongyin.enterprises.models import Enterprise
from hongyin.members.models import Member
from hongyin.orgs import services as org_services
from hongyin.orgs.models import BRANCH_KINDS, Organization, OrgCategory, OrgKind
from hongyin.policies.models import Policy
from hongyin.policies.services import policy_save

PASSWORD = "Gz#7kq-Lw2"  # meets the password rules


def _zone_root() -> Organization:
    return Organization.objects.get_root_nodes().order_by("path").first()


def _first_branch() -> Organization:
    return Organization.objects.filter(kind__in=BRANCH_KINDS).order_by("path").first()


def _uscc(n: int) -> str:
    rng = random.Random(90_000 + n)
    while True:
        code = make_uscc(rng)
        if not Enterprise.objects.filter(uscc=code).exists():
            return code


class ServiceFactory(factory.django.DjangoModelFactory):
    """`_create` calls the subclass's `service(**declarations)` classmethod instead of `Model.objects.create`
    (every concrete factory below defines one; this base is abstract and never creates)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return cls.service(**kwargs)


class UserFactory(ServiceFactory):
    """An account (user_create) with one role (role_grant) when `role` is given; `scope` is the grant's scope."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"test_user_{n:03d}")
    password = PASSWORD
    display_name = factory.LazyAttribute(lambda o: f"测试用户 {o.username}")
    must_change_password = False
    role = None
    scope = factory.LazyFunction(dict)

    @classmethod
    def service(cls, *, role, scope, **kwargs):
        user = account_services.user_create(actor=None, **kwargs)
        if role:
            account_services.role_grant(actor=None, user=user, role=role, **scope)
        return user


class OrganizationFactory(ServiceFactory):
    """A branch under the demo zone's root (org_create)."""

    class Meta:
        model = Organization

    parent = factory.LazyFunction(_zone_root)
    name = factory.Sequence(lambda n: f"测试科技有限公司党支部{n}")
    kind = OrgKind.BRANCH
    category = OrgCategory.ENTERPRISE

    @classmethod
    def service(cls, **kwargs):
        return org_services.org_create(actor=None, **kwargs)


class MemberFactory(ServiceFactory):
    """A member of the demo's first branch with a plausible made-up identity (member_create)."""

    class Meta:
        model = Member

    org = factory.LazyFunction(_first_branch)
    seed = factory.Sequence(lambda n: 70_000 + n)

    @classmethod
    def service(cls, *, org, seed, **overrides):
        return new_member(org, rng=random.Random(seed), **overrides)


class EnterpriseFactory(ServiceFactory):
    """An enterprise with a valid, unused unified social credit code (enterprise_create)."""

    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试光电科技有限公司{n}")
    uscc = factory.Sequence(_uscc)
    org = None

    @classmethod
    def service(cls, **kwargs):
        return ent_services.enterprise_create(actor=None, **kwargs)


class AppealFactory(ServiceFactory):
    """An appeal submitted (appeal_submit; a category with a default department dispatches it at once).
    `actor=None` submits as the system; an enterprise contact's account submits for its own enterprise."""

    class Meta:
        model = Appeal

    actor = None
    enterprise = factory.LazyFunction(lambda: Enterprise.objects.order_by("pk").first())
    category = factory.LazyFunction(lambda: AppealCategory.objects.get(code="science"))
    title = "申请研发费用补贴兑现"
    content = "研发费用补贴申报后未兑现，请协调。"
    source = AppealSource.PORTAL

    @classmethod
    def service(cls, **kwargs):
        return appeal_submit(**kwargs)


class VisitFactory(ServiceFactory):
    """A visit done today by its visitor (visit_record), within the visitor's scope."""

    class Meta:
        model = Visit

    actor = None
    enterprise = factory.LazyFunction(lambda: Enterprise.objects.order_by("pk").first())
    visited_on = factory.LazyFunction(timezone.localdate)
    status = Visit.Status.DONE
    topics = "党建工作指导"
    findings = "企业经营总体平稳，党支部活动正常开展。"

    @classmethod
    def service(cls, **kwargs):
        visit, _appeal = visit_record(**kwargs)
        return visit


class PolicyFactory(ServiceFactory):
    """A policy in the library (policy_save); pass fields of the policy form, and tags or buildings."""

    class Meta:
        model = Policy

    title = factory.Sequence(lambda n: f"测试扶持政策{n}")
    issuer = "西安高新区管委会"
    issued_on = factory.LazyFunction(timezone.localdate)
    benefits = "研发投入补贴"
    tags = None
    buildings = None

    @classmethod
    def service(cls, *, tags, buildings, **data):
        data.setdefault("effective_from", data["issued_on"])
        return policy_save(actor=None, data=data, tags=tags, buildings=buildings)
