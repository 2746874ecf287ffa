"""Demo data of red credit, partner offers and investment (the second seed document): three financial institutions
with their products; 第一楼宇党委's red credit reaching the source's figures (about 70 million yuan to 12 firms); the
"four priorities" partner (the security-camera maker) with its offers and tickets; the lead investor's funds of
19 billion yuan. Written in bulk: the zone scale adds 5,000 applications."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from hongyin.accounts.models import User
from hongyin.common.calendar import get_calendar
from hongyin.directory.models import FinancialInstitution, Partner
from hongyin.enterprises.models import Building, ChainMembership, Enterprise, IndustryChain
from hongyin.orgs.models import Organization

from .models import (
    PRIORITY_ORDER,
    CreditApplication,
    CreditEvent,
    CreditProduct,
    CreditStatus,
    Fund,
    Investment,
    PartnerOffer,
    PriorityTicket,
    Round,
    TicketStatus,
    TicketStep,
)
from .services import DECISION_SLA_DAYS, TICKET_SLA_DAYS

S = CreditStatus
WAN = Decimal("10000")
PRODUCTS = [
    # institution, product, cap (万元), months, rate preference, conditions
    (
        "中国建设银行西安高新技术产业开发区支行",
        "红色信用贷",
        1000,
        36,
        "0.50",
        "经所在党组织推荐的科技型中小企业；纳税信用 B 级及以上；无不良信用记录。",
    ),
    (
        "中国建设银行西安高新技术产业开发区支行",
        "善新贷",
        500,
        24,
        "0.30",
        "高新技术企业、专精特新企业，凭知识产权可增信。",
    ),
    ("长安银行西安高新区支行", "党建增信贷", 800, 36, "0.40", "楼宇、产业链党委推荐的企业，可纯信用。"),
    (
        "西安高新金融控股集团有限公司",
        "红色担保贷",
        1000,
        36,
        "0.60",
        "由集团提供融资担保，担保费率优惠；党组织推荐的企业优先。",
    ),
]
# 第一楼宇党委: 12 firms, about 70 million yuan approved and disbursed (the source: "7000 余万元，10 余家企业")
BUILDING_ONE_AMOUNTS = [1000, 800, 700, 600, 600, 550, 500, 500, 500, 450, 400, 400]
PURPOSES = ["采购研发设备", "补充流动资金", "新建生产线", "支付原材料货款", "厂房装修及设备安装", "研发投入"]
FUNDS = [
    ("中科创星硬科技天使基金", 60),
    ("中科创星光电产业基金", 50),
    ("西安硬科技创业投资基金", 40),
    ("中科创星先导创业投资基金", 25),
    ("秦创原光子产业基金", 15),
]  # 亿元: 190 亿 = 19 billion yuan


def _scope_of(committee: Organization):
    return Enterprise.objects.filter(
        Q(org__path__startswith=committee.path) | Q(org__isnull=True, building__party_committee=committee)
    ).order_by("pk")


def _endorsing_org(e: Enterprise, root: Organization, committees: dict) -> Organization:
    if e.org_id:
        return e.org
    if e.building_id and e.building.party_committee_id:
        return e.building.party_committee
    return committees.get(e.pk) or root


def seed_finance(zone, scale: str, rng: random.Random) -> None:
    if CreditProduct.objects.exists():
        return
    today = timezone.localdate()
    cal = get_calendar()
    institutions = {i.name: i for i in FinancialInstitution.objects.all()}
    products = []
    for inst, name, cap, months, pref, cond in PRODUCTS:
        products.append(
            CreditProduct.objects.create(
                institution=institutions[inst],
                name=name,
                amount_cap=cap * WAN,
                term_months=months,
                rate_preference=Decimal(pref),
                conditions=cond,
            )
        )
    _credit(zone, scale, rng, products, today, cal)
    _partner(zone, rng, today, cal)
    _investment(zone, rng, today, institutions)


def _app(n, e, product, org, status, amount, applied_on, cal, rng, approved=None):
    today = timezone.localdate()
    endorsed_on = min(applied_on + timedelta(days=rng.randint(1, 5)), today) if status != S.SUBMITTED else None
    if status == S.DECLINED:
        endorsed_on = None
    decided = (
        min(endorsed_on + timedelta(days=rng.randint(2, 12)), today) if endorsed_on and status != S.ENDORSED else None
    )
    a = CreditApplication(
        number=f"ZX{applied_on:%Y}{n:06d}",
        enterprise=e,
        product=product,
        institution_id=product.institution_id,
        org=org,
        status=status,
        amount=amount,
        term_months=min(product.term_months, rng.choice([12, 24, 36])),
        purpose=rng.choice(PURPOSES),
        applied_on=applied_on,
        endorsement="同意推荐：党组织健全，党员发挥作用好，企业诚信经营。" if endorsed_on else "",
        endorsed_on=endorsed_on,
        decision_due=cal.add_working_days(endorsed_on, DECISION_SLA_DAYS) if endorsed_on else None,
        evidence={
            "honours": [],
            "party_status": "own",
            "party_status_label": "单独建立党组织",
            "members_employed": rng.randint(3, 30),
            "appeals": rng.randint(0, 6),
            "visits": rng.randint(1, 8),
            "star_rating": None,
        }
        if endorsed_on
        else {},
    )
    if status == S.DECLINED:
        a.decline_reason = "企业近一年存在未整改的安全生产问题，暂不推荐。"
    if status == S.REFUSED:
        a.refuse_reason = "企业资产负债率偏高，现金流不足以覆盖还款。"
        a.decided_on = decided
    if status in (S.APPROVED, S.DISBURSED, S.OVERDUE, S.REPAID):
        a.approved_amount = approved if approved is not None else amount
        a.approved_rate = Decimal("3.45") - product.rate_preference
        a.approved_term_months = a.term_months
        a.rate_preference = product.rate_preference
        a.decided_on = decided
    if status in (S.DISBURSED, S.OVERDUE, S.REPAID):
        a.disbursed_amount = a.approved_amount
        a.disbursed_on = min(decided + timedelta(days=rng.randint(3, 15)), timezone.localdate())
    if status == S.REPAID:
        a.repaid_on = min(a.disbursed_on + timedelta(days=360), timezone.localdate())
    return a


PATH = {
    S.SUBMITTED: [],
    S.DECLINED: ["decline"],
    S.ENDORSED: ["endorse"],
    S.REFUSED: ["endorse", "refuse"],
    S.APPROVED: ["endorse", "approve"],
    S.DISBURSED: ["endorse", "approve", "disburse"],
    S.OVERDUE: ["endorse", "approve", "disburse", "overdue"],
    S.REPAID: ["endorse", "approve", "disburse", "repay"],
}
AFTER = {
    "decline": S.DECLINED,
    "endorse": S.ENDORSED,
    "refuse": S.REFUSED,
    "approve": S.APPROVED,
    "disburse": S.DISBURSED,
    "overdue": S.OVERDUE,
    "repay": S.REPAID,
}


def _events(apps) -> None:
    rows = []
    for a in apps:
        before = ""
        for action in ["apply", *PATH[a.status]]:
            after = S.SUBMITTED if action == "apply" else AFTER[action]
            rows.append(CreditEvent(application=a, action=action, before=before, after=after))
            before = after
    CreditEvent.objects.bulk_create(rows, batch_size=2000)


def _credit(zone, scale, rng, products, today, cal) -> None:
    root = zone.root
    building_one = zone.buildings[0]
    apps = []
    n = 0
    year_ago = today - timedelta(days=330)
    ccb = products[0]
    # 第一楼宇党委: twelve firms served, about 70 million yuan approved and disbursed
    firms = list(_scope_of(building_one).select_related("org", "building")[:16])
    for i, wan in enumerate(BUILDING_ONE_AMOUNTS):
        e = firms[i % len(firms)]
        product = products[i % len(products)]
        if wan * WAN > product.amount_cap:
            product = products[0]
        n += 1
        status = S.REPAID if i < 3 else S.DISBURSED
        apps.append(
            _app(
                n,
                e,
                product,
                _endorsing_org(e, root, {}),
                status,
                wan * WAN,
                year_ago + timedelta(days=i * 20),
                cal,
                rng,
            )
        )
    # still moving: one waiting for the party organization, two in the bank's queue, a decline and a refusal
    extra = firms[12:] or firms
    for status, product in [
        (S.SUBMITTED, products[2]),
        (S.ENDORSED, ccb),
        (S.ENDORSED, ccb),
        (S.DECLINED, products[1]),
        (S.REFUSED, products[3]),
    ]:
        e = extra[n % len(extra)]
        n += 1
        applied = today - timedelta(days=rng.randint(3, 20))
        if status == S.ENDORSED and n % 2:
            applied = today - timedelta(days=30)  # one past its SLA
        apps.append(
            _app(
                n,
                e,
                product,
                _endorsing_org(e, root, {}),
                status,
                Decimal(rng.choice([200, 300, 500])) * WAN,
                applied,
                cal,
                rng,
            )
        )
    # the other committees: a smaller flow each (the zone scale: 5,000 applications in all)
    total = 5000 if scale == "zone" else 60
    others = list(
        Enterprise.objects.exclude(pk__in=[f.pk for f in firms])
        .select_related("org", "building")
        .order_by("pk")[: max(total, 200)]
    )
    statuses = (
        [S.DISBURSED] * 4 + [S.REPAID] * 2 + [S.APPROVED, S.ENDORSED, S.SUBMITTED, S.DECLINED, S.REFUSED, S.OVERDUE]
    )
    while len(apps) < total + 17 and others:
        e = others[len(apps) % len(others)]
        product = rng.choice(products)
        n += 1
        status = rng.choice(statuses)
        amount = Decimal(rng.randint(5, int(product.amount_cap / WAN) // 10) * 10) * WAN
        applied = today - timedelta(days=rng.randint(15, 360))
        apps.append(_app(n, e, product, _endorsing_org(e, root, {}), status, amount, applied, cal, rng))
    # numbers run per year of application (the counter continues from the count per prefix)
    apps.sort(key=lambda a: a.applied_on)
    seen: dict[int, int] = {}
    for a in apps:
        seen[a.applied_on.year] = seen.get(a.applied_on.year, 0) + 1
        a.number = f"ZX{a.applied_on.year}{seen[a.applied_on.year]:06d}"
    CreditApplication.objects.bulk_create(apps, batch_size=1000)
    if scale != "zone":
        _events(CreditApplication.objects.all())


TICKET_NEEDS = [
    "楼宇出入口及机房监控改造，需 16 路高清摄像机及存储",
    "新厂房智能安防方案咨询与报价",
    "研发中心门禁与访客系统升级",
    "生产线视觉检测相机选型",
    "园区停车场车牌识别系统",
]


def _partner(zone, rng, today, cal) -> None:
    partner = Partner.objects.filter(name="西安海康威视数字技术有限公司").first()
    if partner is None:
        return
    building = Building.objects.filter(party_committee=zone.buildings[0]).order_by("pk").first()
    chain = IndustryChain.objects.order_by("pk").first()
    start = today - timedelta(days=200)
    offers = [
        PartnerOffer.objects.create(
            partner=partner,
            title="楼宇企业共建专属优惠价与“四优先”服务",
            terms=(
                "面向第一楼宇党委覆盖企业：安防产品共建专属优惠价（目录价 8 折起）；"
                "优先对接、优先报价、优先供货、优先售后，配备专属技术支持。"
            ),
            eligibility="第一楼宇党委覆盖的楼宇企业",
            building=building,
            valid_from=start,
            valid_until=today + timedelta(days=365),
        ),
        PartnerOffer.objects.create(
            partner=partner,
            title="全区企业智能安防升级优惠",
            terms="高新区企业采购视频监控、门禁、可视对讲产品享 9 折；免费上门勘察与方案设计。",
            eligibility="高新区注册企业",
            valid_from=start,
            valid_until=today + timedelta(days=180),
        ),
    ]
    if chain is not None:
        offers.append(
            PartnerOffer.objects.create(
                partner=partner,
                title="光子产业链机器视觉联合开发",
                terms="链上企业机器视觉相机及算法联合开发，样机免费试用 3 个月。",
                eligibility="光子产业链企业",
                chain=chain,
                valid_from=start,
                valid_until=today + timedelta(days=270),
            )
        )
    in_building = list(Enterprise.objects.filter(building=building).order_by("pk")[:12]) if building else []
    contact_user = User.objects.filter(username="enterprise_contact").first()
    contact_ent = None
    if contact_user is not None:
        contact_ent = next((a.enterprise for a in contact_user.assignments if a.enterprise_id), None)
    targets = [(offers[0], e) for e in in_building] + ([(offers[1], contact_ent)] if contact_ent else [])
    targets += [(offers[1], e) for e in Enterprise.objects.order_by("-pk")[:4]]
    tickets, steps = [], []
    for i, (offer, e) in enumerate(targets):
        opened = today - timedelta(days=rng.randint(5, 150)) if i else today - timedelta(days=4)
        reached = rng.randint(0, 4) if i else 1
        t = PriorityTicket(
            number=f"YX{opened:%Y}{i + 1:06d}",
            offer=offer,
            partner=partner,
            enterprise=e,
            need=rng.choice(TICKET_NEEDS),
            opened_on=opened,
            status=TicketStatus.DONE if reached == 4 else PRIORITY_ORDER[reached],
        )
        day, due = opened, cal.add_working_days(opened, TICKET_SLA_DAYS[PRIORITY_ORDER[0]])
        done = []
        for k in range(reached):
            kind = PRIORITY_ORDER[k]
            day = min(cal.add_working_days(day, rng.choice([1, 1, 2, 3, TICKET_SLA_DAYS[kind] + 1])), today)
            done.append((kind, due, day))
            nxt = PRIORITY_ORDER[k + 1] if k + 1 < 4 else None
            due = cal.add_working_days(day, TICKET_SLA_DAYS[nxt]) if nxt else None
        t.current_due = due
        if reached >= 2:
            t.savings = Decimal(rng.randint(2, 60) * 1000)
        tickets.append((t, done))
    tickets.sort(key=lambda p: p[0].opened_on)
    seen: dict[int, int] = {}
    for t, _done in tickets:
        seen[t.opened_on.year] = seen.get(t.opened_on.year, 0) + 1
        t.number = f"YX{t.opened_on.year}{seen[t.opened_on.year]:06d}"
    PriorityTicket.objects.bulk_create([t for t, _d in tickets])
    for t, done in tickets:
        for kind, due, day in done:
            steps.append(
                TicketStep(ticket=t, kind=kind, due_on=due, done_on=day, on_time=day <= due, note="已按约定办理")
            )
    TicketStep.objects.bulk_create(steps)


def _investment(zone, rng, today, institutions) -> None:
    manager = institutions.get("中科创星科技投资有限公司")
    if manager is None:
        return
    chain = IndustryChain.objects.filter(party_committee=zone.chain).first() or IndustryChain.objects.first()
    funds = [
        Fund.objects.create(
            name=name, manager=manager, chain=chain, size=Decimal(yi) * 100_000_000, founded_on=date(2014 + i * 2, 6, 1)
        )
        for i, (name, yi) in enumerate(FUNDS)
    ]
    on_chain = (
        list(
            Enterprise.objects.filter(
                pk__in=ChainMembership.objects.filter(node__chain=chain).values("enterprise_id")
            ).order_by("pk")[:60]
        )
        if chain
        else []
    )
    listed = [e for e in on_chain if e.listed_board]
    if len(listed) < 2 and len(on_chain) > 41:
        # the source names two of the investor's firms on the STAR Market: the demo lists two it invested in
        star = on_chain[40:42]
        Enterprise.objects.filter(pk__in=[e.pk for e in star]).update(listed_board="star")
        for e in star:
            e.listed_board = "star"
        listed = star
    rows = []
    for i, e in enumerate(on_chain[:40] + listed[:2]):
        rows.append(
            Investment(
                fund=funds[i % len(funds)],
                enterprise=e,
                round=rng.choice(list(Round.values)),
                amount=Decimal(rng.randint(3, 80) * 100) * WAN / 10,
                invested_on=today - timedelta(days=rng.randint(30, 2500)),
                incubated=i % 2 == 0,
            )
        )
    Investment.objects.bulk_create(rows)
