"""Seed the enterprise service: categories, calendar, supervisors, a year of visits and appeals (bulk paths).

Idempotent: reference data is found by code; visits and appeals are generated only when none exist yet.
Demo ~300 visits / ~200 appeals; zone 100,000 visits / 50,000 appeals.
"""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from hongyin.accounts.models import RoleAssignment, User
from hongyin.appeals import services as svc
from hongyin.appeals.models import (
    Appeal,
    AppealEvent,
    AppealSource,
    AppealStatus,
    Department,
    DueKind,
    Rating,
    Visit,
)
from hongyin.appeals.permissions import enterprises_in_scope
from hongyin.appeals.services_visits import visit_record
from hongyin.appeals.sla import sla_sweep
from hongyin.appeals.text import tokens_of
from hongyin.appeals_config.models import AppealCategory
from hongyin.common.calendar import get_calendar
from hongyin.common.roles import Role
from hongyin.enterprises.models import Enterprise

CATEGORIES = [
    # code, name, department code, weight, keywords (every category dispatches itself to its department on submission
    # except MANUAL_REVIEW, which the zone reviews and dispatches by hand)
    ("policy", "政策咨询与兑现", "industry", 22, "政策 补贴 奖励 兑现 申报"),
    ("financing", "融资服务", "banking", 14, "贷款 融资 担保 授信 银行"),
    ("talent", "人才与用工", "hr", 16, "人才 招聘 社保 落户 用工"),
    ("land", "用地与厂房", "land", 8, "用地 厂房 租赁 规划 场地"),
    ("approvals", "审批服务", "approvals", 12, "审批 许可 证照 备案 环评"),
    ("market", "市场开拓", "market", 9, "市场 订单 展会 采购 推广"),
    ("science", "科技创新", "science", 11, "研发 专利 高新技术企业 科技 成果转化"),
    ("legal", "法律服务", "legal", 5, "合同 纠纷 知识产权 法律 维权"),
    ("other", "其他", "industry", 3, ""),
]

MANUAL_REVIEW = {"other"}

APPEAL_TEXTS = {
    "policy": [
        (
            "申请兑现2026年度研发费用补贴",
            "我司已按要求提交研发费用补贴申报材料，至今未收到审核结果，请协调财政部门尽快兑现研发费用补贴。",
        ),
        ("咨询首台套奖励政策申报条件", "我司研制的激光切割设备拟申报首台套奖励，请告知申报条件、材料清单和截止时间。"),
        ("规上企业培育奖励未到账", "去年新纳入规上企业，按政策应获培育奖励，目前奖励资金仍未到账。"),
    ],
    "financing": [
        ("申请知识产权质押贷款", "我司拥有发明专利12项，希望通过知识产权质押获得流动资金贷款，请协调合作银行。"),
        ("续贷资金周转困难", "我司一笔500万元贷款即将到期，续贷审批时间较长，希望协调过桥资金支持。"),
        ("红色增信授信额度咨询", "党组织星级评定后，能否通过红色增信提高银行授信额度，请介绍办理流程。"),
    ],
    "talent": [
        ("高层次人才落户办理", "我司引进的博士研发人员需要办理落户和子女入学，请协助对接人才服务窗口。"),
        ("招聘技术工人困难", "生产线扩产需要招聘数控技术工人50名，希望组织专场招聘会。"),
        ("人才公寓申请", "新引进研发人员较多，申请配租人才公寓20套。"),
    ],
    "land": [
        ("扩大生产需要新增厂房", "订单增长较快，现有厂房不足，希望协调园区标准化厂房约3000平方米。"),
        ("厂房租金补贴申请", "我司租用园区厂房，咨询厂房租金补贴的申请条件和流程。"),
    ],
    "approvals": [
        ("环评审批进度咨询", "新建光学镀膜产线的环评报告已提交一个月，请协调加快审批进度。"),
        ("办理消防验收", "新装修的研发中心需要办理消防验收备案，请告知办理流程和所需材料。"),
        ("施工许可证办理", "二期厂房建设项目施工许可证办理遇到材料问题，请协调审批部门指导。"),
    ],
    "market": [
        ("参加光博会展位支持", "希望参加今年光电子博览会，申请展位费补贴和统一布展支持。"),
        ("对接本地采购需求", "希望对接区内整机企业的光学元件采购需求，拓展本地市场。"),
    ],
    "science": [
        ("高新技术企业认定辅导", "我司计划申报高新技术企业认定，希望提供认定条件辅导和材料审核。"),
        ("科技成果转化项目对接", "希望对接高校实验室的光子芯片科技成果转化项目，请协调科技部门。"),
        ("专利快速预审备案", "申请加入知识产权保护中心专利快速预审备案企业名单。"),
    ],
    "legal": [
        ("合同纠纷法律咨询", "与上游供应商存在货款合同纠纷，希望获得法律服务中心咨询指导。"),
        ("商标被抢注维权", "我司商标在境外被抢注，请协助提供知识产权维权指导。"),
    ],
    "other": [
        ("园区道路照明改善", "园区东门道路夜间照明不足，员工下班通行不便，希望增设路灯。"),
        ("增开通勤公交线路", "员工通勤不便，希望协调公交公司增开高峰时段通勤线路。"),
    ],
}

VISIT_TOPICS = ["党建工作指导", "政策宣讲", "企业经营情况了解", "诉求收集", "安全生产检查", "人才需求调研"]
VISIT_FINDINGS = [
    "企业经营总体平稳，订单较去年增长，党支部活动正常开展。",
    "企业反映用工紧张，研发人员流动较大，建议对接人才政策。",
    "企业关注研发费用补贴兑现进度，已记录并反馈相关部门。",
    "企业计划扩大产能，对厂房和融资有需求，已告知申报渠道。",
    "党员数量增加，建议成立独立党支部，已协助准备材料。",
]

SCALE_COUNTS = {"demo": (200, 300), "zone": (50_000, 100_000), "province": (200_000, 200_000)}


def ensure_reference() -> dict[str, AppealCategory]:
    """Categories with default departments and supervisors (unpublished years use the provisional calendar)."""
    depts = {d.code: d for d in Department.objects.all()}
    categories = {}
    for order, (code, name, dept, _w, keywords) in enumerate(CATEGORIES):
        cat, _created = AppealCategory.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "default_department": depts.get(dept),
                "auto_dispatch": code not in MANUAL_REVIEW and depts.get(dept) is not None,
                "order": order,
                "keywords": keywords,
            },
        )
        categories[code] = cat
    handler = User.objects.filter(username="dept_handler").first()
    science = depts.get("science")
    if handler and science and not science.supervisors.exists():
        supervisor = User.objects.filter(username="zone_admin").first()
        if supervisor:
            science.supervisors.add(supervisor)
    return categories


def _workday_on_or_before(cal, d: date) -> date:
    while not cal.is_workday(d):
        d -= timedelta(days=1)
    return d


@transaction.atomic
def seed_appeals(zone, scale: str, rng: random.Random) -> None:
    categories = ensure_reference()
    n_appeals, n_visits = SCALE_COUNTS.get(scale, SCALE_COUNTS["demo"])
    enterprise_ids = list(Enterprise.objects.order_by("id").values_list("id", flat=True))
    if not enterprise_ids:
        return
    today = timezone.localdate()
    cal = get_calendar()
    if not Visit.objects.exists():
        _seed_visits(n_visits, rng, today, scale)
    if not Appeal.objects.exists():
        _seed_appeals(categories, enterprise_ids, n_appeals, rng, today, cal, scale)
    seed_policies(scale, rng)


VISITOR_ROLES = [Role.GRID_OFFICER, Role.INSTRUCTOR, Role.COMMITTEE_ADMIN, Role.ZONE_ADMIN]
DEMO_INSTRUCTOR = "instructor"


def visit_plan(n: int, rng: random.Random, today: date) -> list[dict]:
    """Who visits which enterprise when: each visitor within the enterprises its role may visit (the service's
    scope), the demo instructor now and then, one in twelve a planned visit."""
    visitors = list(
        User.objects.filter(role_assignments__role__in=VISITOR_ROLES)
        .distinct()
        .order_by("id")
        .prefetch_related("role_assignments")
    )
    scopes = {u.pk: list(enterprises_in_scope(u, "visits.manage").order_by("id").values_list("id", flat=True))
              for u in visitors}  # fmt: skip
    visitors = [u for u in visitors if scopes[u.pk]]
    instructor = next((u for u in visitors if u.username == DEMO_INSTRUCTOR), None)
    rows = []
    for i in range(n if visitors else 0):
        planned = i % 12 == 0
        day = today + timedelta(days=rng.randint(1, 40)) if planned else today - timedelta(days=rng.randint(0, 365))
        visitor = instructor if instructor is not None and i % 20 == 1 else rng.choice(visitors)
        roles = sorted({a.role for a in visitor.role_assignments.all()})
        rows.append(
            {
                "enterprise_id": rng.choice(scopes[visitor.pk]),
                "visited_on": day,
                "status": Visit.Status.PLANNED if planned else Visit.Status.DONE,
                "visitor": visitor,
                "visitor_role": roles[0] if roles else "",
                "people": "网格员、党建指导员、企业负责人",
                "topics": rng.choice(VISIT_TOPICS),
                "findings": "" if planned else rng.choice(VISIT_FINDINGS),
            }
        )
    return rows


def visits_write_through_services(plan: list[dict]) -> None:
    """Each visit recorded by its visitor through the visit service (scope check, audit event): the demo."""
    enterprises = Enterprise.objects.select_related("org").in_bulk({row["enterprise_id"] for row in plan})
    for row in plan:
        visit_record(
            actor=row["visitor"],
            enterprise=enterprises[row["enterprise_id"]],
            visited_on=row["visited_on"],
            status=row["status"],
            people=row["people"],
            topics=row["topics"],
            findings=row["findings"],
        )


def visits_write_bulk(plan: list[dict]) -> None:
    """The same rows in one insert (the zone and province bench data sets: 100,000 visits)."""
    rows = [Visit(**{k: v for k, v in row.items() if k != "visitor"}, visitor_id=row["visitor"].pk) for row in plan]
    Visit.objects.bulk_create(rows, batch_size=5000)


def _seed_visits(n, rng, today, scale):
    plan = visit_plan(n, rng, today)
    if scale == "demo":
        visits_write_through_services(plan)
    else:
        visits_write_bulk(plan)


def _seed_appeals(categories, enterprise_ids, n, rng, today, cal, scale="demo"):
    if scale == "demo":
        # Only an enterprise's own contact rates its appeals, and the demo has one contact: its enterprise raises
        # about one appeal in seven, so the contact's portal has a history and the ratings figures are not empty.
        contact_of = RoleAssignment.objects.filter(user__username=DEMO_CONTACT, role=Role.ENTERPRISE_CONTACT)
        ours = [e for e in contact_of.values_list("enterprise_id", flat=True) if e in set(enterprise_ids)]
        enterprise_ids = enterprise_ids + ours * (len(enterprise_ids) // 6)
    plan = appeal_plan(categories, enterprise_ids, n, rng, today, cal)
    if scale == "demo":
        appeals_write_through_services(plan)
        sla_sweep(today=today)  # overdue notices and escalations, as the nightly job would have left them
    else:
        appeals_write_bulk(plan)


def appeal_plan(categories, enterprise_ids, n, rng, today, cal) -> list[tuple[Appeal, list[tuple]]]:
    """Each appeal (unsaved) with its lifecycle up to today: (kind, day, before, after, note) per event."""
    handlers = defaultdict(list)
    for dept_id, uid in User.objects.filter(role_assignments__role=Role.DEPT_HANDLER).values_list(
        "role_assignments__department_id", "id"
    ):
        handlers[dept_id].append(uid)
    cats = [categories[c[0]] for c in CATEGORIES]
    weights = [c[3] for c in CATEGORIES]
    tokens = {
        (code, i): " ".join(tokens_of(f"{t} {c}"))
        for code, texts in APPEAL_TEXTS.items()
        for i, (t, c) in enumerate(texts)
    }
    sources = [AppealSource.VISIT, AppealSource.PORTAL, AppealSource.PHONE, AppealSource.EVENT]
    per_day = defaultdict(int)
    dates = []
    for _ in range(n):
        age = int(rng.triangular(0, 365, 20))
        submitted = _workday_on_or_before(cal, today - timedelta(days=age))
        dates.append((submitted, rng.choices(cats, weights)[0]))
    dates.sort(key=lambda p: p[0])
    plan = []
    for submitted, cat in dates:
        per_day[submitted] += 1
        idx = rng.randrange(len(APPEAL_TEXTS[cat.code]))
        title, content = APPEAL_TEXTS[cat.code][idx]
        a = Appeal(
            number=f"GD{submitted:%Y%m%d}{per_day[submitted]:04d}",
            enterprise_id=rng.choice(enterprise_ids),
            category=cat,
            source=rng.choices(sources, [35, 35, 20, 10])[0],
            title=title,
            content=content,
            tokens=tokens[(cat.code, idx)],
            submitted_on=submitted,
        )
        events = [("submit", submitted, "", AppealStatus.SUBMITTED, "")]
        _lifecycle(a, cat, cal, today, rng, handlers, events)
        plan.append((a, events))
    return plan


def _event_time(day: date, seq: int) -> datetime:
    return datetime.combine(day, time(9, 0), timezone.get_current_timezone()) + timedelta(minutes=7 * seq)


def appeals_write_bulk(plan) -> None:
    """The planned rows in two inserts (the zone and province bench data sets: 50,000 appeals and more)."""
    Appeal.objects.bulk_create([a for a, _events in plan], batch_size=2000)
    by_number = dict(Appeal.objects.filter(number__in=[a.number for a, _e in plan]).values_list("number", "id"))
    rows = []
    for a, events in plan:
        pk = by_number[a.number]
        for seq, (kind, day, before, after, note) in enumerate(events):
            rows.append(
                AppealEvent(
                    appeal_id=pk,
                    at=_event_time(day, seq),
                    kind=kind,
                    before=before,
                    after=after,
                    note=note,
                    department_id=a.department_id,
                )
            )
    AppealEvent.objects.bulk_create(rows, batch_size=5000)


DEMO_CONTACT = "enterprise_contact"
DEMO_GRID_OFFICER = "grid_officer"
DEMO_ZONE_ADMIN = "zone_admin"
DISSATISFIED_COMMENT = "问题未实质解决"


class _Cast:
    """The demo accounts that act on appeals: who submits for an enterprise (its contact, else the grid officer of
    its cell, else the zone), the zone admin who dispatches, closes, follows up and reopens, each department's
    handlers, and the contact who rates (only its own enterprise's appeals)."""

    def __init__(self, plan):
        named = User.objects.in_bulk([DEMO_CONTACT, DEMO_GRID_OFFICER, DEMO_ZONE_ADMIN], field_name="username")
        self.zone = named[DEMO_ZONE_ADMIN]
        self.contact = named.get(DEMO_CONTACT)
        grid = named.get(DEMO_GRID_OFFICER)
        self.contact_of = set(
            enterprises_in_scope(self.contact, "appeals.rate").values_list("id", flat=True) if self.contact else ()
        )
        self.grid_of = set(enterprises_in_scope(grid, "appeals.submit").values_list("id", flat=True) if grid else ())
        self.grid = grid
        ids = {a.handler_id for a, _e in plan if a.handler_id}
        self.handlers_by_dept = defaultdict(list)
        for dept_id, uid in (
            User.objects.filter(role_assignments__role=Role.DEPT_HANDLER)
            .values_list("role_assignments__department_id", "id")
            .order_by("id")
        ):
            self.handlers_by_dept[dept_id].append(uid)
            ids.add(uid)
        self.users = User.objects.in_bulk(ids)
        self.enterprises = Enterprise.objects.select_related("org").in_bulk({a.enterprise_id for a, _e in plan})

    def submitter(self, enterprise_id):
        if enterprise_id in self.contact_of:
            return self.contact
        return self.grid if enterprise_id in self.grid_of else self.zone

    def handler(self, appeal, planned_id):
        if planned_id and planned_id in self.users:
            return self.users[planned_id]
        return self.users[self.handlers_by_dept[appeal.department_id][0]]


def appeals_write_through_services(plan) -> None:
    """The demo: each appeal made by the appeal services, move by move, by the account whose move it is (scope
    checks, AppealEvent rows, audit events, notifications), on the day the plan says (the services take `today`).
    The engine stamps each AppealEvent with the clock's now: afterwards one UPDATE moves the appeal's events to the
    planned days. The rows are made by the services, only their clock is moved. An appeal of an enterprise without a
    demo contact stays closed unrated (only the enterprise's own contact may rate)."""
    cast = _Cast(plan)
    for planned, events in plan:
        days = _through_services(cast, planned, events)
        pks = list(AppealEvent.objects.filter(appeal_id=days[0]).order_by("pk").values_list("pk", flat=True))
        times = [_event_time(day, seq) for seq, day in enumerate(days[1:])]
        whens = [When(pk=pk, then=Value(at)) for pk, at in zip(pks, times, strict=True)]
        AppealEvent.objects.filter(pk__in=pks).update(at=Case(*whens))


def _through_services(cast: _Cast, a: Appeal, events: list[tuple]) -> list:
    """Replay the planned events with the services; [appeal pk, the day of each event written, in order]."""
    S = AppealStatus
    zone = cast.zone
    appeal = None
    days: list = []
    steps = iter(events)
    for kind, day, _before, _after, note in steps:
        if kind == "submit":
            appeal = svc.appeal_submit(
                actor=cast.submitter(a.enterprise_id),
                enterprise=cast.enterprises[a.enterprise_id],
                category=a.category,
                title=a.title,
                content=a.content,
                source=a.source,
                today=day,
            )
            days += [appeal.pk, day]
            if appeal.status == S.DISPATCHED:  # the category dispatched itself: the planned dispatch is done
                next(steps)
                days.append(day)
            continue
        if kind == "dispatch":
            svc.appeal_dispatch(actor=zone, appeal=appeal, note=note, today=day)
        elif kind == "return":
            svc.appeal_return(actor=cast.handler(appeal, None), appeal=appeal, reason=note, today=day)
        elif kind == "accept":
            svc.appeal_accept(actor=cast.handler(appeal, a.handler_id), appeal=appeal, today=day)
        elif kind == "reply":
            svc.appeal_reply(actor=cast.handler(appeal, a.handler_id), appeal=appeal, text=note, today=day)
        elif kind == "extension_approve":
            c = appeal.category
            svc.appeal_request_extension(
                actor=cast.handler(appeal, a.handler_id),
                appeal=appeal,
                days=c.max_resolve_days - c.resolve_days,
                reason=note,
                today=day,
            )
            days.append(day)
            svc.appeal_decide_extension(actor=zone, appeal=appeal, approve=True, note=note, today=day)
        elif kind == "reply_final":
            # a reopened appeal was solved the second time; one still reopened says nothing of the first answer
            resolved = True if appeal.reopen_count else bool(a.resolved)
            svc.appeal_reply(
                actor=cast.handler(appeal, a.handler_id),
                appeal=appeal,
                text=note,
                final=True,
                resolved=resolved,
                today=day,
            )
        elif kind == "close":
            svc.appeal_close(actor=zone, appeal=appeal, today=day)
        elif kind == "follow_up":
            svc.appeal_follow_up(actor=zone, appeal=appeal, note=note, today=day)
        elif kind == "rate":
            if a.enterprise_id not in cast.contact_of:
                break  # no contact of this enterprise among the demo accounts: closed unrated
            rating = _planned_rating(note)
            comment = DISSATISFIED_COMMENT if rating == Rating.DISSATISFIED else ""
            svc.appeal_rate(actor=cast.contact, appeal=appeal, rating=rating, comment=comment)
        elif kind == "reopen":
            svc.appeal_reopen(actor=zone, appeal=appeal, reason=note, today=day)
        else:
            raise ValueError(kind)
        days.append(day)
    return days


def _planned_rating(note: str) -> str:
    return next(value for value, label in Rating.choices if str(label) == note)


def _lifecycle(a, cat, cal, today, rng, handlers, events):
    """Walk the appeal through its loop up to today with realistic durations."""
    S = AppealStatus
    dept = cat.default_department
    delay = rng.choice([0, 0, 1])  # drawn in every case: the rest of the demo stays the same
    auto = cat.dispatches_itself
    dispatched = a.submitted_on if auto else cal.add_working_days(a.submitted_on, delay)
    if dispatched > today:
        return
    a.department = dept
    a.status = S.DISPATCHED
    a.dispatched_on = dispatched
    a.accept_due = cal.add_working_days(dispatched, cat.accept_days)
    a.reply_due = cal.add_working_days(dispatched, cat.reply_days)
    a.resolve_due = cal.add_working_days(dispatched, cat.resolve_days)
    a.deadlines_provisional = cal.provisional(dispatched, max(a.accept_due, a.reply_due, a.resolve_due))
    events.append(("dispatch", dispatched, S.SUBMITTED, S.DISPATCHED, "按类别自动派单" if auto else ""))
    if rng.random() < 0.08:  # returned once, re-dispatched
        a.return_count = 1
        events.append(("return", dispatched, S.DISPATCHED, S.SUBMITTED, "非本部门职责，建议转相关部门办理"))
        events.append(("dispatch", dispatched, S.SUBMITTED, S.DISPATCHED, ""))
    accepted = cal.add_working_days(dispatched, rng.choices([0, 1, 2], [50, 42, 8])[0])
    if accepted > today:
        a.due_on, a.due_kind = a.accept_due, DueKind.ACCEPT
        return
    a.status = S.IN_PROGRESS
    a.accepted_on = accepted
    a.accepted_in_time = accepted <= a.accept_due
    hs = handlers.get(dept.pk if dept else None)
    a.handler_id = rng.choice(hs) if hs else None
    events.append(("accept", accepted, S.DISPATCHED, S.IN_PROGRESS, ""))
    replied = cal.add_working_days(accepted, rng.choices([0, 1, 2, 4], [30, 40, 20, 10])[0])
    if replied > today:
        a.due_on, a.due_kind = a.reply_due, DueKind.REPLY
        return
    a.replied_on = replied
    events.append(("reply", replied, S.IN_PROGRESS, S.IN_PROGRESS, "已与企业联系，正在协调办理。"))
    duration = int(rng.choices([5, 10, 14, 18, 25], [30, 35, 20, 10, 5])[0] * rng.uniform(0.6, 1.1))
    if duration > cat.resolve_days and rng.random() < 0.5:
        a.extended = True
        a.resolve_due = cal.add_working_days(a.resolve_due, cat.max_resolve_days - cat.resolve_days)
        a.deadlines_provisional = cal.provisional(dispatched, a.resolve_due)
        events.append(
            (
                "extension_approve",
                replied,  # asked for and approved with the first reply, before the first deadline passes
                S.IN_PROGRESS,
                S.IN_PROGRESS,
                "情况复杂，批准延期",
            )
        )
    finished = cal.add_working_days(dispatched, max(duration, 1))
    if finished > today:
        a.due_on, a.due_kind = a.resolve_due, DueKind.RESOLVE
        if a.due_on < today:
            a.sla_level = 2
        return
    a.status = S.REPLIED
    a.answered_on = finished
    a.resolved = rng.random() < 0.88
    a.reply = "经协调，相关事项已办理完毕，具体情况已电话告知企业。"
    events.append(("reply_final", finished, S.IN_PROGRESS, S.REPLIED, a.reply))
    closed = cal.add_working_days(finished, rng.choice([0, 1]))
    if closed > today:
        a.due_on, a.due_kind = a.resolve_due, DueKind.RESOLVE
        return
    a.status = S.CLOSED
    a.closed_on = closed
    a.closed_in_time = closed <= a.resolve_due
    a.handling_days = cal.working_days_between(dispatched, closed)
    a.due_on, a.due_kind = None, DueKind.NONE
    events.append(("close", closed, S.REPLIED, S.CLOSED, ""))
    follow = cal.add_working_days(closed, 1)
    if follow > today:
        return
    a.followed_up_on = follow
    events.append(("follow_up", follow, S.CLOSED, S.CLOSED, "电话回访，企业确认已办理"))
    weights = [70, 20, 10] if a.resolved else [15, 35, 50]
    a.rating = rng.choices([Rating.SATISFIED, Rating.BASIC, Rating.DISSATISFIED], weights)[0]
    events.append(("rate", follow, S.CLOSED, S.CLOSED, str(Rating(a.rating).label)))
    if a.rating == Rating.DISSATISFIED and rng.random() < 0.3 and (today - follow).days > 5:
        reopened = cal.add_working_days(follow, 1)
        a.reopen_count = 1
        a.status = S.IN_PROGRESS
        a.rating = ""
        a.closed_on = None
        a.closed_in_time = None
        a.handling_days = None
        a.resolved = None
        a.dispatched_on = reopened
        a.accepted_on = reopened  # fresh clocks from the reopening day, as appeal_reopen starts them
        a.accept_due = cal.add_working_days(reopened, cat.accept_days)
        a.reply_due = cal.add_working_days(reopened, cat.reply_days)
        a.resolve_due = cal.add_working_days(reopened, cat.resolve_days)
        a.replied_on = None
        a.answered_on = None
        a.due_on, a.due_kind = a.reply_due, DueKind.REPLY
        events.append(("reopen", reopened, S.CLOSED, S.IN_PROGRESS, "企业反映问题未实质解决，重新办理"))
        reclosed = cal.add_working_days(reopened, rng.randint(6, 14))
        if reclosed > today:
            if a.due_on < today:
                a.sla_level = 2
            return
        a.replied_on = a.answered_on = reclosed
        events.append(("reply_final", reclosed, S.IN_PROGRESS, S.REPLIED, "重新协调后已解决。"))
        events.append(("close", reclosed, S.REPLIED, S.CLOSED, ""))
        a.status, a.closed_on, a.resolved = S.CLOSED, reclosed, True
        a.closed_in_time = reclosed <= a.resolve_due
        a.handling_days = cal.working_days_between(reopened, reclosed)
        a.due_on, a.due_kind = None, DueKind.NONE
        a.rating = rng.choice([Rating.SATISFIED, Rating.BASIC])
        events.append(("rate", reclosed, S.CLOSED, S.CLOSED, str(Rating(a.rating).label)))


POLICY_TEMPLATES = [
    (
        "关于支持光子产业高质量发展的若干措施",
        "西安高新区管委会",
        "研发投入补贴、首台套奖励、人才引进补贴",
        {"industry": "C39"},
    ),
    (
        "高新技术企业认定奖励办法",
        "西安高新区科技局",
        "首次认定的高新技术企业给予一次性奖励 30 万元",
        {"tags": ["科技型中小企业"]},
    ),
    (
        "专精特新中小企业培育支持政策",
        "西安高新区工业和信息化局",
        "专精特新企业给予融资贴息和市场开拓补贴",
        {"tags": ["专精特新"], "sizes": "small medium"},
    ),
    ("楼宇经济发展扶持办法", "西安高新区商务局", "入驻重点楼宇企业给予房租补贴", {"buildings": True}),
    ("小微企业稳岗就业补贴", "西安高新区人社局", "小微企业招用高校毕业生给予社保补贴", {"sizes": "small micro"}),
    ("初创企业孵化支持政策", "西安高新区创业服务中心", "成立三年内的初创企业给予场地和创业补贴", {"founded": True}),
    (
        "软件和信息技术服务业发展专项",
        "西安高新区工业和信息化局",
        "软件企业研发投入后补助和首版次软件奖励",
        {"industry": "I65"},
    ),
    ("规上企业培育奖励", "西安高新区统计局", "新纳入规模以上统计的企业给予奖励", {"employees_min": 50}),
    ("知识产权质押融资贴息", "西安高新区金融服务局", "知识产权质押贷款给予贴息 50%", {}),
    ("瞪羚企业加速计划", "西安高新区科技局", "瞪羚企业给予研发和上市辅导支持", {"tags": ["瞪羚企业"]}),
]


def policy_issued_on(i: int, today: date) -> date:
    """Spread over the three years before today, never after it (a policy is dated when it was issued)."""
    return today - timedelta(days=3 + (i * 37) % 1090)


def seed_policies(scale: str, rng: random.Random) -> None:
    """The policy library, each policy saved through the policy service (tokens, relations, audit event)."""
    from hongyin.enterprises.models import Building, Tag
    from hongyin.policies.models import Policy
    from hongyin.policies.services import policy_save

    if Policy.objects.exists():
        return
    n = {"demo": 50, "zone": 2000}.get(scale, 2000)
    tags = {t.name: t for t in Tag.objects.all()}
    buildings = list(Building.objects.order_by("id"))
    today = timezone.localdate()
    for i in range(n):
        k = i % len(POLICY_TEMPLATES)
        title, issuer, benefits, cond = POLICY_TEMPLATES[k]
        issued = policy_issued_on(i, today)
        year = issued.year
        data = {
            "title": title if i < len(POLICY_TEMPLATES) else f"{title}（{year}年第{i // len(POLICY_TEMPLATES) + 1}批）",
            "issuer": issuer,
            "doc_number": f"西高新发〔{year}〕{10 + i}号",
            "issued_on": issued,
            "effective_from": issued,
            "effective_to": date(year + 3, 12, 31),
            "benefits": benefits,
            "full_text": f"为贯彻落实省市决策部署，进一步优化营商环境，制定本政策。{benefits}。"
            f"申报材料报送至{issuer}。",
            "industry_codes": cond.get("industry", ""),
            "size_classes": cond.get("sizes", ""),
            "founded_after": date(today.year - 3, 1, 1) if cond.get("founded") else None,
            "employees_min": cond.get("employees_min"),
        }
        in_buildings = rng.sample(buildings, min(3, len(buildings))) if cond.get("buildings") and buildings else None
        policy_save(
            actor=None,
            data=data,
            tags=[tags[name] for name in cond.get("tags", []) if name in tags] or None,
            buildings=in_buildings,
        )
