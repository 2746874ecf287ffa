"""The closed loop of an appeal. Its state machine is APPEAL_FLOW (hongyin.workflows): every move locks the row,
refuses a stale move, checks the declared transition and who may make it, writes an AppealEvent row and an audit
event in the same transaction; notifications go out on commit. The page and the API offer APPEAL_FLOW's actions."""

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongyin.accounts.models import User
from hongyin.appeals_config.models import AppealCategory
from hongyin.audit import services as audit
from hongyin.common.calendar import WorkCalendar, get_calendar
from hongyin.common.errors import DomainError, NotFound
from hongyin.common.notification_texts import text as notice
from hongyin.common.notifications import notify
from hongyin.common.roles import Role
from hongyin.common.scopes import whole_zone_q
from hongyin.common.uploads import attachment_save
from hongyin.directory.models import Department
from hongyin.workflows.engine import Transition, Workflow, next_in_sequence

from . import conf
from .models import Appeal, AppealEvent, AppealSource, AppealStatus, DueKind, Rating, Visit
from .permissions import appeals_visible_to, enterprises_in_scope
from .text import similar_appeals, tokens_of

S = AppealStatus
OPEN = frozenset({S.SUBMITTED, S.ARBITRATION, S.DISPATCHED, S.IN_PROGRESS, S.REPLIED})


# --- who may do what ------------------------------------------------------------------------------------------


def handler_departments(user) -> list[int]:
    return [a.department_id for a in user.assignments if a.role == Role.DEPT_HANDLER and a.department_id]


def _dispatcher(user, appeal) -> bool:
    return user.has_role_perm("appeals.dispatch")


def _handler(user, appeal) -> bool:
    return appeal.department_id in handler_departments(user)


def _may_return(user, appeal) -> bool:
    return _handler(user, appeal) and not appeal.final_dispatch


def _is_supervisor(actor, appeal: Appeal) -> bool:
    return bool(appeal.department_id) and actor.supervised_departments.filter(pk=appeal.department_id).exists()


def _decides_extension(user, appeal) -> bool:
    return bool(appeal.extension_requested_days) and (_dispatcher(user, appeal) or _is_supervisor(user, appeal))


def _follows_up(user, appeal) -> bool:
    return user.has_role_perm("appeals.follow_up")


def _contact_of(user, appeal) -> bool:
    return any(a.role == Role.ENTERPRISE_CONTACT and a.enterprise_id == appeal.enterprise_id for a in user.assignments)


def _rates(user, appeal) -> bool:
    """A rating is given once: the page stops offering it when the appeal has one."""
    return _contact_of(user, appeal) and not appeal.rating


def _reopens(user, appeal) -> bool:
    """Only a "dissatisfied" rating reopens an appeal (appeal_reopen): the page offers no button that must fail."""
    return appeal.rating == Rating.DISSATISFIED and _dispatcher(user, appeal)


APPEAL_FLOW = Workflow(
    key="appeal",
    model=Appeal,
    transitions=[
        Transition("dispatch", {S.SUBMITTED, S.ARBITRATION}, S.DISPATCHED, gettext_lazy("派单"), _dispatcher),
        Transition("accept", {S.DISPATCHED}, S.IN_PROGRESS, gettext_lazy("签收"), _handler),
        Transition("return", {S.DISPATCHED, S.IN_PROGRESS}, S.SUBMITTED, gettext_lazy("退单"), _may_return),
        Transition("transfer", {S.DISPATCHED, S.IN_PROGRESS}, S.DISPATCHED, gettext_lazy("转办"), _dispatcher),
        Transition("urge", OPEN, None, gettext_lazy("催办"), _dispatcher),
        Transition("extension_request", {S.IN_PROGRESS}, None, gettext_lazy("申请延期"), _handler),
        Transition("extension_approve", {S.IN_PROGRESS}, None, gettext_lazy("批准延期"), _decides_extension),
        Transition("extension_refuse", {S.IN_PROGRESS}, None, gettext_lazy("驳回延期"), _decides_extension),
        Transition("reply", {S.IN_PROGRESS}, None, gettext_lazy("阶段性答复"), _handler),
        Transition("reply_final", {S.IN_PROGRESS}, S.REPLIED, gettext_lazy("办结答复"), _handler),
        Transition("close", {S.REPLIED}, S.CLOSED, gettext_lazy("办结"), _dispatcher),
        Transition("follow_up", {S.CLOSED}, None, gettext_lazy("回访"), _follows_up),
        Transition("rate", {S.CLOSED}, None, gettext_lazy("评价"), _rates),
        Transition("reopen", {S.CLOSED}, S.IN_PROGRESS, gettext_lazy("重新办理"), _reopens),
    ],
    record_event=lambda appeal, *, action, **e: AppealEvent.objects.create(
        appeal=appeal, kind=action, department=appeal.department, **e
    ),
    audit_org=lambda appeal: appeal.enterprise.org,
    audit_details=lambda appeal: {"number": appeal.number},
    stale_message=gettext_lazy("该诉求已被他人处理，请刷新后重试。"),
)

# Events that are not moves (the timeline shows them too).
ACTION_LABELS = {
    **{action: t.label for action, t in APPEAL_FLOW.by_action.items()},
    "submit": gettext_lazy("提交"),
    "arbitration": gettext_lazy("提交仲裁"),
    "overdue": gettext_lazy("超期通知"),
    "escalate": gettext_lazy("超期通报"),
    "recalculate": gettext_lazy("重算期限"),
}


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _check_move(appeal: Appeal, action: str) -> None:
    APPEAL_FLOW.check(appeal, action)


def _move(*, actor, appeal: Appeal, action: str, note: str = "", fields: dict | None = None, to: str | None = None):
    return APPEAL_FLOW.move(actor=actor, obj=appeal, action=action, note=note, to=to, changes=fields)


def _require(actor, perm: str, appeal: Appeal) -> None:
    if actor is None:  # the system (seed, periodic job)
        return
    if not actor.has_role_perm(perm) or not appeals_visible_to(actor, perm).filter(pk=appeal.pk).exists():
        raise NotFound


def _require_handler(actor, appeal: Appeal) -> None:
    if actor is None:
        return
    _require(actor, "appeals.view", appeal)
    if appeal.department_id not in handler_departments(actor):
        raise DomainError(_("只有承办部门的承办人可以执行此操作。"), field="department")


# --- clocks ---------------------------------------------------------------------------------------------------


def _set_due(appeal: Appeal, status: str) -> None:
    """The deadline that matters in `status`, kept on the row so the queue sorts by it and the sweep is one query."""
    if status == S.DISPATCHED:
        appeal.due_on, appeal.due_kind = appeal.accept_due, DueKind.ACCEPT
    elif status == S.IN_PROGRESS and appeal.replied_on is None and appeal.reply_due:
        appeal.due_on, appeal.due_kind = min(appeal.reply_due, appeal.resolve_due), DueKind.REPLY
    elif status in (S.IN_PROGRESS, S.REPLIED):
        appeal.due_on, appeal.due_kind = appeal.resolve_due, DueKind.RESOLVE
    else:
        appeal.due_on, appeal.due_kind = None, DueKind.NONE
    appeal.sla_level = 0


def _start_clocks(appeal: Appeal, cal: WorkCalendar, today: date) -> None:
    c = appeal.category
    appeal.dispatched_on = today
    appeal.accept_due = cal.add_working_days(today, c.accept_days)
    appeal.reply_due = cal.add_working_days(today, c.reply_days)
    appeal.resolve_due = cal.add_working_days(today, c.resolve_days)
    appeal.deadlines_provisional = cal.provisional(today, max(appeal.accept_due, appeal.reply_due, appeal.resolve_due))
    appeal.extended = False
    appeal.extension_requested_days = 0


# --- the services ---------------------------------------------------------------------------------------------


def next_number(day: date) -> str:
    """GD + date + a running number of the day, from a locked counter (two submissions never share one)."""
    prefix = f"GD{day:%Y%m%d}"

    def used() -> int:
        last = Appeal.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
        return int(last.first()[-4:]) if last.exists() else 0

    return f"{prefix}{next_in_sequence(prefix, start_after=used):04d}"


@transaction.atomic
def appeal_submit(
    *,
    actor,
    enterprise,
    category: AppealCategory,
    title: str,
    content: str,
    source: str,
    visit: Visit | None = None,
    today: date | None = None,
    uploads=(),
    department: Department | None = None,
) -> Appeal:
    """Register an appeal (with its attachments). A category that dispatches itself (a default department and
    auto_dispatch) sends it straight to that department; otherwise the zone reviews and dispatches it. A routing
    `department` (a one-stop service names the department that delivers it) sends it straight there."""
    today = _today(today)
    title, content = (title or "").strip(), (content or "").strip()
    if not title:
        raise DomainError(_("请填写诉求标题。"), field="title")
    if len(title) > 120:
        raise DomainError(_("诉求标题不能超过 120 个字。"), field="title")
    if not content:
        raise DomainError(_("请填写诉求内容。"), field="content")
    if source not in AppealSource.values:
        raise DomainError(_("诉求来源无效。"), field="source")
    if category is None or not category.is_active:
        raise DomainError(_("请选择有效的诉求类别。"), field="category")
    if actor is not None:
        if not actor.has_role_perm("appeals.submit"):
            raise NotFound
        if not enterprises_in_scope(actor, "appeals.submit").filter(pk=enterprise.pk).exists():
            raise DomainError(_("该企业不在您的服务范围内。"), field="enterprise")
    appeal = Appeal.objects.create(
        number=next_number(today),
        enterprise=enterprise,
        category=category,
        source=source,
        visit=visit,
        title=title,
        content=content,
        tokens=" ".join(tokens_of(f"{title} {content}")),
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        submitted_on=today,
    )
    AppealEvent.objects.create(appeal=appeal, actor=appeal.submitted_by, kind="submit", after=appeal.status)
    audit.record(
        actor=actor,
        action="appeal.submit",
        obj=appeal,
        org=enterprise.org,
        details={"number": appeal.number, "source": source, "category": category.code},
    )
    for upload in uploads:
        if upload:
            attachment_save(actor=actor, upload=upload, owner=appeal)  # refused: nothing of the appeal is kept
    if department is not None:
        return appeal_dispatch(actor=None, appeal=appeal, department=department, note=_("按服务事项派单"), today=today)
    if category.dispatches_itself:
        return appeal_dispatch(actor=None, appeal=appeal, note=_("按类别自动派单"), today=today)
    for user in _zone_admins():
        notify(user=user, title=notice("appeal.new", n=appeal.number), body=title, url=appeal.get_absolute_url())
    return appeal


@transaction.atomic
def appeal_dispatch(
    *, actor, appeal: Appeal, department: Department | None = None, note: str = "", today: date | None = None
) -> Appeal:
    """Route to a department: the category's default unless overridden. From arbitration the dispatch is final."""
    _require(actor, "appeals.dispatch", appeal)
    today = _today(today)
    department = department or appeal.category.default_department
    if department is None:
        raise DomainError(_("该类别没有默认承办部门，请选择承办部门。"), field="department")
    final = appeal.status == S.ARBITRATION
    _check_move(appeal, "dispatch")
    cal = get_calendar()
    appeal.department = department
    appeal.handler = None
    appeal.final_dispatch = appeal.final_dispatch or final
    _start_clocks(appeal, cal, today)
    _set_due(appeal, S.DISPATCHED)
    _move(actor=actor, appeal=appeal, action="dispatch", note=note)
    _notify_department(department, notice("appeal.dispatched", n=appeal.number), appeal)
    _notify_enterprise(appeal, notice("appeal.dispatched_to_you", d=department.name, n=appeal.number))
    return appeal


@transaction.atomic
def appeal_accept(*, actor, appeal: Appeal, today: date | None = None) -> Appeal:
    _require_handler(actor, appeal)
    today = _today(today)
    _check_move(appeal, "accept")
    appeal.accepted_on = today
    appeal.accepted_in_time = appeal.accept_due is None or today <= appeal.accept_due
    appeal.handler = actor if getattr(actor, "is_authenticated", False) else None
    _set_due(appeal, S.IN_PROGRESS)
    _move(actor=actor, appeal=appeal, action="accept")
    _notify_enterprise(appeal, notice("appeal.accepted", n=appeal.number))
    return appeal


@transaction.atomic
def appeal_return(*, actor, appeal: Appeal, reason: str, today: date | None = None) -> Appeal:
    """Back to dispatch with a reason; the MAX_RETURNS-th return goes to the zone for a final arbitration."""
    _require_handler(actor, appeal)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("退单必须填写理由。"), field="reason")
    if appeal.final_dispatch:
        raise DomainError(_("该诉求已经仲裁派单，不能再退回。"), field="status")
    _check_move(appeal, "return")
    count = appeal.return_count + 1
    to = S.ARBITRATION if count >= conf.get("MAX_RETURNS") else S.SUBMITTED
    appeal.return_count = count
    appeal.handler = None
    _set_due(appeal, to)
    _move(actor=actor, appeal=appeal, action="return", note=reason, to=to)
    for user in _zone_admins():
        code = "appeal.returned_arbitration" if to == S.ARBITRATION else "appeal.returned"
        notify(user=user, title=notice(code, n=appeal.number), body=reason, url=appeal.get_absolute_url())
    return appeal


@transaction.atomic
def appeal_transfer(*, actor, appeal: Appeal, department: Department, reason: str, today: date | None = None) -> Appeal:
    _require(actor, "appeals.dispatch", appeal)
    if department is None or department.pk == appeal.department_id:
        raise DomainError(_("请选择另一个承办部门。"), field="department")
    if not (reason or "").strip():
        raise DomainError(_("转办必须填写理由。"), field="reason")
    today = _today(today)
    _check_move(appeal, "transfer")
    cal = get_calendar()
    appeal.department = department
    appeal.handler = None
    _start_clocks(appeal, cal, today)
    _set_due(appeal, S.DISPATCHED)
    _move(actor=actor, appeal=appeal, action="transfer", note=reason.strip())
    _notify_department(department, notice("appeal.transferred", n=appeal.number), appeal)
    return appeal


@transaction.atomic
def appeal_urge(*, actor, appeal: Appeal, note: str = "") -> Appeal:
    _require(actor, "appeals.dispatch", appeal)
    _move(actor=actor, appeal=appeal, action="urge", note=note)
    if appeal.department_id:
        _notify_department(appeal.department, notice("appeal.urged", n=appeal.number), appeal)
    return appeal


@transaction.atomic
def appeal_request_extension(*, actor, appeal: Appeal, days: int, reason: str, today: date | None = None) -> Appeal:
    """Only before the resolve deadline passes, and never beyond the category's maximum."""
    _require_handler(actor, appeal)
    today = _today(today)
    _check_move(appeal, "extension_request")
    if appeal.resolve_due and today > appeal.resolve_due:
        raise DomainError(
            _("办结期限（%(d)s）已过，不能再申请延期。") % {"d": appeal.resolve_due.isoformat()}, field="days"
        )
    if appeal.extension_requested_days:
        raise DomainError(_("已有待审批的延期申请。"), field="days")
    if appeal.extended:
        raise DomainError(_("该诉求已经延期过一次。"), field="days")
    if not (reason or "").strip():
        raise DomainError(_("请填写延期理由。"), field="reason")
    cap = appeal.category.max_resolve_days or conf.get("MAX_EXTENSION_DAYS")
    allowed = cap - appeal.category.resolve_days
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise DomainError(_("延期天数必须是整数。"), field="days")
    if days < 1 or days > allowed:
        raise DomainError(_("延期天数须在 1 到 %(n)s 个工作日之间。") % {"n": allowed}, field="days")
    _move(
        actor=actor,
        appeal=appeal,
        action="extension_request",
        note=reason.strip(),
        fields={"extension_requested_days": days, "extension_reason": reason.strip()[:300]},
    )
    for user in _approvers(appeal):
        notify(
            user=user,
            title=notice("appeal.extension_request", n=appeal.number),
            body=reason,
            url=appeal.get_absolute_url(),
        )
    return appeal


@transaction.atomic
def appeal_decide_extension(*, actor, appeal: Appeal, approve: bool, note: str = "", today: date | None = None):
    """The zone or the department's supervisor approves (the deadline moves) or refuses."""
    if actor is not None:
        _require(actor, "appeals.view", appeal)
        if not (actor.has_role_perm("appeals.dispatch") or _is_supervisor(actor, appeal)):
            raise DomainError(_("只有党工委或部门分管负责人可以审批延期。"), field="approve")
    if not appeal.extension_requested_days:
        raise DomainError(_("没有待审批的延期申请。"), field="approve")
    today = _today(today)
    if approve:
        if appeal.resolve_due and today > appeal.resolve_due:
            raise DomainError(_("办结期限已过，延期申请不能再批准。"), field="approve")
        cal = get_calendar()
        new_due = cal.add_working_days(appeal.resolve_due, appeal.extension_requested_days)
        appeal.deadlines_provisional = appeal.deadlines_provisional or cal.provisional(appeal.resolve_due, new_due)
        appeal.resolve_due = new_due
        appeal.extended = True
        appeal.extension_requested_days = 0
        _set_due(appeal, appeal.status)
        action = "extension_approve"
        note = note or _("办结期限延至 %(d)s") % {"d": new_due.isoformat()}
    else:
        appeal.extension_requested_days = 0
        action = "extension_refuse"
    _move(actor=actor, appeal=appeal, action=action, note=note)
    if appeal.handler_id:
        notify(user=appeal.handler, title=notice(f"appeal.{action}", n=appeal.number), url=appeal.get_absolute_url())
    return appeal


@transaction.atomic
def appeal_reply(
    *, actor, appeal: Appeal, text: str, final: bool = False, resolved: bool | None = None, today: date | None = None
) -> Appeal:
    _require_handler(actor, appeal)
    today = _today(today)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("请填写答复内容。"), field="text")
    action = "reply_final" if final else "reply"
    _check_move(appeal, action)
    if final and resolved is None:
        raise DomainError(_("请说明诉求是否已实际解决。"), field="resolved")
    if appeal.replied_on is None:
        appeal.replied_on = today
    appeal.reply = text
    if final:
        appeal.resolved = bool(resolved)
        appeal.answered_on = today
    _set_due(appeal, S.REPLIED if final else S.IN_PROGRESS)
    _move(actor=actor, appeal=appeal, action=action, note=text)
    if final:
        _notify_enterprise(appeal, notice("appeal.replied_final", n=appeal.number))
        for user in _zone_admins():
            notify(
                user=user,
                title=notice("appeal.replied_to_close", n=appeal.number),
                body=appeal.title,
                url=appeal.get_absolute_url(),
            )
    else:
        _notify_enterprise(appeal, notice("appeal.replied", n=appeal.number))
    return appeal


@transaction.atomic
def appeal_close(*, actor, appeal: Appeal, note: str = "", today: date | None = None) -> Appeal:
    _require(actor, "appeals.dispatch", appeal)
    today = _today(today)
    _check_move(appeal, "close")
    appeal.closed_on = today
    appeal.closed_in_time = appeal.resolve_due is None or today <= appeal.resolve_due
    if appeal.dispatched_on:
        appeal.handling_days = max(get_calendar().working_days_between(appeal.dispatched_on, today), 0)
    _set_due(appeal, S.CLOSED)
    _move(actor=actor, appeal=appeal, action="close", note=note)
    _notify_enterprise(appeal, notice("appeal.closed_rate", n=appeal.number))
    return appeal


@transaction.atomic
def appeal_follow_up(*, actor, appeal: Appeal, note: str, today: date | None = None) -> Appeal:
    _require(actor, "appeals.follow_up", appeal)
    today = _today(today)
    if not (note or "").strip():
        raise DomainError(_("请填写回访情况。"), field="note")
    return _move(actor=actor, appeal=appeal, action="follow_up", note=note.strip(), fields={"followed_up_on": today})


@transaction.atomic
def appeal_rate(*, actor, appeal: Appeal, rating: str, comment: str = "") -> Appeal:
    """Only a contact of the appeal's own enterprise rates it."""
    is_contact = actor is not None and any(
        a.role == Role.ENTERPRISE_CONTACT and a.enterprise_id == appeal.enterprise_id for a in actor.assignments
    )
    if not is_contact:
        raise DomainError(_("只有提出诉求的企业联络员可以评价。"), field="rating")
    if appeal.rating:
        raise DomainError(_("该诉求已评价过，每件诉求只能评价一次。"), field="rating")
    if rating not in Rating.values:
        raise DomainError(_("请选择满意、基本满意或不满意。"), field="rating")
    if rating == Rating.DISSATISFIED and not (comment or "").strip():
        raise DomainError(_("选择“不满意”时请说明原因。"), field="comment")
    _move(
        actor=actor,
        appeal=appeal,
        action="rate",
        note=f"{Rating(rating).label} {comment}".strip(),
        fields={"rating": rating, "rating_comment": (comment or "").strip()[:300], "rated_by": actor},
    )
    if rating == Rating.DISSATISFIED:
        for user in _zone_admins():
            notify(
                user=user,
                title=notice("appeal.dissatisfied", n=appeal.number),
                body=comment,
                url=appeal.get_absolute_url(),
            )
    return appeal


@transaction.atomic
def appeal_reopen(*, actor, appeal: Appeal, reason: str, today: date | None = None) -> Appeal:
    """A substantive dissatisfaction reopens the appeal with fresh clocks in the same department."""
    _require(actor, "appeals.dispatch", appeal)
    if appeal.rating != Rating.DISSATISFIED:
        raise DomainError(_("只有企业评价“不满意”的诉求可以重新办理。"), field="reason")
    if not (reason or "").strip():
        raise DomainError(_("请说明重新办理的理由。"), field="reason")
    today = _today(today)
    _check_move(appeal, "reopen")
    cal = get_calendar()
    _start_clocks(appeal, cal, today)
    appeal.accepted_on = today
    appeal.closed_on = None
    appeal.closed_in_time = None
    appeal.handling_days = None
    appeal.resolved = None
    appeal.rating = ""
    appeal.replied_on = None
    appeal.answered_on = None
    appeal.reopen_count = F("reopen_count") + 1
    _set_due(appeal, S.IN_PROGRESS)
    _move(actor=actor, appeal=appeal, action="reopen", note=reason.strip())
    appeal.refresh_from_db(fields=["reopen_count"])
    if appeal.department_id:
        _notify_department(appeal.department, notice("appeal.reopened", n=appeal.number), appeal)
    return appeal


def similar_for(appeal: Appeal, *, viewer) -> list[Appeal]:
    """Only among the appeals the viewer may see: a department never learns of another department's appeals.
    viewer=None: every appeal (system jobs)."""
    within = appeals_visible_to(viewer) if viewer is not None else None
    return similar_appeals(
        appeal.enterprise_id, appeal.tokens, exclude_pk=appeal.pk, before=appeal.submitted_on, within=within
    )


# --- recipients -----------------------------------------------------------------------------------------------


def _zone_admins():
    return list(
        User.objects.filter(whole_zone_q("role_assignments"), role_assignments__role=Role.ZONE_ADMIN, is_active=True)
    )


def _department_handlers(department: Department):
    return list(
        User.objects.filter(
            role_assignments__role=Role.DEPT_HANDLER, role_assignments__department=department, is_active=True
        ).distinct()
    )


def _notify_department(department: Department, title: str, appeal: Appeal) -> None:
    for user in _department_handlers(department):
        notify(user=user, title=title, body=appeal.title, url=appeal.get_absolute_url())


def _notify_enterprise(appeal: Appeal, title: str) -> None:
    users = User.objects.filter(
        role_assignments__role=Role.ENTERPRISE_CONTACT, role_assignments__enterprise_id=appeal.enterprise_id
    ).distinct()
    for user in users:
        notify(user=user, title=title, body=appeal.title, url=appeal.get_absolute_url())


def _approvers(appeal: Appeal):
    users = {u.pk: u for u in _zone_admins()}
    if appeal.department_id:
        users.update({u.pk: u for u in appeal.department.supervisors.all()})
    return list(users.values())


@transaction.atomic
def department_set_supervisors(*, actor, department: Department, user_ids: list[int]) -> Department:
    """The zone names a department's supervisors (they approve extensions and receive escalations)."""
    if actor is not None and not actor.has_role_perm("appeals.dispatch"):
        raise NotFound
    users = list(User.objects.filter(pk__in=user_ids, is_active=True))
    if len(users) != len(set(user_ids)):
        raise DomainError(_("所选负责人中有不存在或已停用的账号。"), field="supervisors")
    department.supervisors.set(users)
    audit.record(
        actor=actor, action="department.supervisors", obj=department, details={"supervisors": [u.pk for u in users]}
    )
    return department
