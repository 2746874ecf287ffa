"""Demo data (issue 13, items 3, 4 and 10), through the services.

The second source document: in January 2025 the photonics chain's "专场路演暨供需对接活动" brought 御微半导体 and
英伟芯(西安) to sign landing agreements with the zone's management committee; the chain committee offers one-stop
service (policy guidance, 产学研 cooperation, collaborative innovation) and, with 西安财金, the "追光易租" package
(equity investment + equipment leasing + custom plant). Two roadshows of the chain with their outcomes (one project
landed, the other's intention due for follow-up), the catalogue, the package and a few requests (the demo
contact's enterprise has a package request under way). Idempotent: a zone with events is skipped."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from hongyin.accounts.models import RoleAssignment, User
from hongyin.appeals_config.models import AppealCategory
from hongyin.common.identifiers import uscc_check_char
from hongyin.common.roles import Role
from hongyin.directory.models import Department, FinancialInstitution
from hongyin.enterprises import services as ent_services
from hongyin.enterprises.models import ChainMembership, ChainNode, Enterprise, IndustryChain

from . import services
from .models import Event, GuestKind, Offering, OutcomeStage, Package, PackagePart, ServiceKind

SEMICONDUCTOR = [
    ("御微半导体技术有限公司", "掩模版缺陷检测设备产业化项目"),
    ("英伟芯(西安)科技有限公司", "光电芯片研发与封测基地项目"),
]
FINANCE_CO = "西安财金投资管理有限公司"
FUND = "中科创星科技投资有限公司"
CATALOGUE = [
    # kind, name, appeal category (SLA), department code, institution, description
    (ServiceKind.POLICY, "政策辅导", "policy", "industry", None, "产业政策解读、项目申报与政策兑现辅导"),
    (ServiceKind.RESEARCH, "产学研合作对接", "science", "science", None, "对接高校院所，联合攻关与成果转化"),
    (ServiceKind.INNOVATION, "协同创新", "science", "science", None, "链上企业联合研发、共享创新平台"),
    (ServiceKind.LEGAL, "法律服务", "legal", "legal", None, "合同审查、知识产权保护、纠纷调解"),
    (ServiceKind.TAX, "财税服务", "policy", "finance", None, "研发费用加计扣除、税收优惠辅导"),
    (ServiceKind.TALENT, "人才服务", "talent", "hr", None, "人才引进、落户与用工服务"),
    (ServiceKind.FINANCING, "股权投资", "financing", "banking", FINANCE_CO, "“追光易租”股权投资部分"),
    (ServiceKind.PLANT, "设备租赁", "financing", "banking", FINANCE_CO, "“追光易租”设备融资租赁部分"),
    (ServiceKind.PLANT, "定制厂房", "land", "land", FINANCE_CO, "按工艺需求定制建设厂房"),
]
PACKAGE = ("追光易租", "股权投资 + 设备租赁 + 厂房定制：与西安财金协同赋能科创企业")
PACKAGE_PARTS = ["股权投资", "设备租赁", "定制厂房"]


def _uscc(rng: random.Random) -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91610131" + "".join(rng.choice(chars) for _ in range(9))
    return body + uscc_check_char(body)


def _chain_firms(chain: IndustryChain) -> list[Enterprise]:
    ids = ChainMembership.objects.filter(node__chain=chain).order_by("id").values_list("enterprise_id", flat=True)
    return list(Enterprise.objects.filter(pk__in=list(ids[:40])).order_by("id"))


def _semiconductor_firms(chain: IndustryChain, rng: random.Random) -> list[Enterprise]:
    node = (
        ChainNode.objects.filter(chain=chain, name__contains="芯片").first()
        or ChainNode.objects.filter(chain=chain).first()
    )
    firms = []
    for name, _project in SEMICONDUCTOR:
        firm = Enterprise.objects.filter(name=name).first()
        if firm is None:
            firm = ent_services.enterprise_create(actor=None, name=name, uscc=_uscc(rng))
        if node is not None:
            ent_services.chain_enterprise_add(actor=None, node=node, enterprise=firm, check_scope=False)
        firms.append(firm)
    return firms


def _catalogue(chain_org) -> Package | None:
    depts = {d.code: d for d in Department.objects.all()}
    cats = {c.code: c for c in AppealCategory.objects.all()}
    institutions = {i.name: i for i in FinancialInstitution.objects.all()}
    offerings = {}
    for order, (kind, name, cat, dept, inst, description) in enumerate(CATALOGUE):
        if cat not in cats or dept not in depts:
            continue
        offerings[name], _created = Offering.objects.get_or_create(
            provider=chain_org,
            name=name,
            defaults={
                "kind": kind,
                "description": description,
                "category": cats[cat],
                "department": depts[dept],
                "institution": institutions.get(inst) if inst else None,
                "order": order,
            },
        )
    if not all(p in offerings for p in PACKAGE_PARTS):
        return None
    package, created = Package.objects.get_or_create(
        provider=chain_org,
        name=PACKAGE[0],
        defaults={"description": PACKAGE[1], "institution": institutions.get(FINANCE_CO)},
    )
    if created:
        for order, name in enumerate(PACKAGE_PARTS):
            PackagePart.objects.create(package=package, offering=offerings[name], order=order)
    return package


def _roadshows(zone, chain: IndustryChain, firms: list[Enterprise], landed_firms: list[Enterprise]) -> None:
    today = timezone.localdate()
    depts = {d.code: d for d in Department.objects.all()}
    institutions = list(FinancialInstitution.objects.order_by("id"))
    fund = next((i for i in institutions if i.name == FUND), None)
    # 1. the source's event (January 2025): two semiconductor firms signed landing agreements with the zone
    first = services.event_create(
        actor=None,
        title="陕西省光子产业链专场路演暨供需对接活动",
        kind="matchmaking",
        held_on=date(2025, 1, 16),
        place="西安高新区丝路科学城",
        description="光子产业链党委牵头，链上企业、投资机构和高新区管委会相关部门参加，促成项目落地合作。",
        organizers=[zone.chain],
        chain=chain,
    )
    for firm, (_name, project) in zip(landed_firms, SEMICONDUCTOR, strict=True):
        services.presentation_add(
            actor=None, event=first, enterprise=firm, project=project, financing_sought=Decimal("20000")
        )
    for firm in firms[:4]:
        services.presentation_add(
            actor=None,
            event=first,
            enterprise=firm,
            project=f"{firm.name[:8]}光电产品扩产项目",
            financing_sought=Decimal("3000"),
        )
    for inst in institutions[:4]:
        services.invitation_add(actor=None, event=first, kind=GuestKind.INSTITUTION, institution=inst)
    services.invitation_add(actor=None, event=first, kind=GuestKind.INVESTOR, name="硬科技天使投资人联盟")
    for i, firm in enumerate([*landed_firms, *firms[:6]]):
        reg = services.registration_add(
            actor=None, event=first, name=f"企业代表{i + 1}", unit=firm.name, enterprise=firm
        )
        if i < 7:
            services.registration_attend(actor=None, event=first, registration=reg)
    services.event_hold(actor=None, event=first)
    landed = services.outcome_record(
        actor=None,
        event=first,
        stage=OutcomeStage.AGREEMENT,
        project=SEMICONDUCTOR[0][1],
        enterprise=landed_firms[0],
        occurred_on=date(2025, 1, 16),
        follow_up_due=date(2025, 3, 1),
        note="与西安高新区管委会签订项目落地合作协议",
    )
    services.outcome_land(
        actor=None,
        outcome=landed,
        occurred_on=date(2025, 6, 18),
        amount=Decimal("50000"),
        department=depts.get("industry"),
        note="项目注册落户高新区，租赁厂房开工建设",
    )
    services.outcome_record(
        actor=None,
        event=first,
        stage=OutcomeStage.AGREEMENT,
        project=SEMICONDUCTOR[1][1],
        enterprise=landed_firms[1],
        occurred_on=date(2025, 1, 16),
        amount=Decimal("30000"),
        follow_up_due=today + timedelta(days=3),
        note="与西安高新区管委会签订项目落地合作协议，选址进行中",
    )
    # 2. a recent investment roadshow of the chain, with intentions still followed
    second = services.event_create(
        actor=None,
        title="光子产业链硬科技项目投融资路演（第二期）",
        kind="roadshow",
        held_on=today - timedelta(days=40),
        place="红色会客厅",
        description="链主投资机构牵头，面向早期硬科技项目的投融资路演。",
        organizers=[zone.chain],
        chain=chain,
    )
    for firm in firms[4:10]:
        services.presentation_add(
            actor=None,
            event=second,
            enterprise=firm,
            project=f"{firm.name[:8]}核心器件研发项目",
            financing_sought=Decimal("1500"),
        )
    for inst in institutions[3:]:
        services.invitation_add(actor=None, event=second, kind=GuestKind.INSTITUTION, institution=inst)
    for i, firm in enumerate(firms[4:12]):
        reg = services.registration_add(
            actor=None, event=second, name=f"项目负责人{i + 1}", unit=firm.name, enterprise=firm
        )
        if i % 4:
            services.registration_attend(actor=None, event=second, registration=reg)
    services.event_hold(actor=None, event=second)
    for i, firm in enumerate(firms[4:7]):
        services.outcome_record(
            actor=None,
            event=second,
            stage=OutcomeStage.INTENTION,
            project=f"{firm.name[:8]}核心器件研发项目",
            enterprise=firm,
            institution=fund,
            occurred_on=today - timedelta(days=40),
            amount=Decimal("1000"),
            follow_up_due=today + timedelta(days=[-2, 5, 30][i]),
            note="投资机构有意向，待尽调",
        )
    # 3. the next one, in preparation
    services.event_create(
        actor=None,
        title="光子产业链上下游供需对接会",
        kind="matchmaking",
        held_on=today + timedelta(days=20),
        place="西安高新区创业园",
        organizers=[zone.chain],
        chain=chain,
    )


def _requesters(enterprises: list[Enterprise]) -> dict[int, User]:
    """Who requests for each enterprise, as the appeals seed submits: the enterprise's own contact (an account with
    the enterprise_contact role for it), else the zone admin on its behalf. So every request's appeal has its
    submitter and the appeal service's audit events."""
    zone_admin = User.objects.filter(username="zone_admin").first()
    contacts = {}
    for ra in (
        RoleAssignment.objects.filter(role=Role.ENTERPRISE_CONTACT, enterprise__in=enterprises)
        .select_related("user")
        .order_by("pk")
    ):
        contacts.setdefault(ra.enterprise_id, ra.user)
    return {e.pk: contacts.get(e.pk, zone_admin) for e in enterprises}


def _requests(package: Package, contact_firm: Enterprise, firms: list[Enterprise]) -> None:
    offerings = list(Offering.objects.filter(provider=package.provider).order_by("order"))
    others = list(zip(firms[:3], offerings[1:4], strict=False))
    by = _requesters([contact_firm, *(firm for firm, _o in others)])
    services.package_request(
        actor=by[contact_firm.pk], package=package, enterprise=contact_firm, note="扩产需要新增光刻设备与洁净厂房"
    )
    if offerings:
        services.service_request(
            actor=by[contact_firm.pk], offering=offerings[0], enterprise=contact_firm, note="申报省级专精特新"
        )
    for firm, offering in others:
        services.service_request(actor=by[firm.pk], offering=offering, enterprise=firm, note="希望对接相关资源")


def seed_roadshows(zone, scale: str, rng: random.Random) -> int:
    chain = IndustryChain.objects.filter(party_committee=zone.chain).first()
    if chain is None or Event.objects.filter(organizers=zone.chain).exists():
        return 0
    firms = _chain_firms(chain)
    if len(firms) < 12:
        return 0
    landed_firms = _semiconductor_firms(chain, rng)
    _roadshows(zone, chain, firms, landed_firms)
    package = _catalogue(zone.chain)
    contact_firm = zone.enterprises[1] if len(zone.enterprises) > 1 else firms[0]
    if package is not None:
        _requests(package, contact_firm, firms)
    return Event.objects.count()
