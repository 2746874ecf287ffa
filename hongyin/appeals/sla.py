"""The SLA sweep: close what the zone left waiting AUTO_CLOSE_AFTER_DAYS working days after the final reply
(through the workflow engine, actor None, one move each), urge before a deadline, notify the day after it passes,
escalate ESCALATE_AFTER_DAYS working days later. Idempotent through `sla_level` (reset when the deadline moves);
set-based: a few UPDATEs and bulk inserts whatever the number of appeals, and one notification per recipient and
step, not per appeal."""

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.utils import timezone

from hongyin.accounts.models import RoleAssignment
from hongyin.audit import services as audit
from hongyin.common.calendar import get_calendar
from hongyin.common.notification_texts import Text, text
from hongyin.common.notifications import notify_many
from hongyin.common.roles import Role
from hongyin.common.scopes import whole_zone_q
from hongyin.directory.models import Department

from . import conf
from .models import OPEN_STATUSES, Appeal, AppealEvent, AppealStatus

URGED, OVERDUE, ESCALATED = 1, 2, 3


def _step(qs, level: int, kind: str, note: Text) -> list[tuple[int, int | None]]:
    rows = list(qs.filter(sla_level__lt=level).values_list("id", "department_id"))
    if not rows:
        return []
    ids = [r[0] for r in rows]
    for start in range(0, len(ids), 900):  # SQLite's bound-parameter limit
        Appeal.objects.filter(id__in=ids[start : start + 900]).update(sla_level=level)
    AppealEvent.objects.bulk_create(
        [
            AppealEvent(
                appeal_id=i, kind=kind, note=note.title_in(), code=note.code, params=note.params, department_id=d
            )
            for i, d in rows
        ],
        batch_size=2000,
    )
    return rows


def auto_close(*, today: date, cal) -> int:
    """Appeals answered finally AUTO_CLOSE_AFTER_DAYS working days ago or more and still not closed: closed by the
    system, one engine move each (event, audit, the enterprise's notice)."""
    from .services import appeal_close

    days = conf.get("AUTO_CLOSE_AFTER_DAYS")
    if not days:
        return 0
    last_day = cal.subtract_working_days(today, days)
    due = (
        Appeal.objects.filter(status=AppealStatus.REPLIED, answered_on__lte=last_day)
        .select_related("category", "enterprise__org")
        .order_by("pk")
    )
    note = text("appeal.history.auto_closed", n=days)
    closed = []
    for appeal in due:
        appeal_close(actor=None, appeal=appeal, note=note.title_in(), today=today)
        closed.append(appeal.pk)
    # the close events the engine wrote carry the note's code, so the timeline reads it in the reader's language
    AppealEvent.objects.filter(appeal_id__in=closed, kind="close", actor=None, code="", note=note.title_in()).update(
        code=note.code, params=note.params
    )
    return len(closed)


@transaction.atomic
def sla_sweep(*, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    cal = get_calendar()
    auto_closed = auto_close(today=today, cal=cal)
    urge_until = cal.add_working_days(today, conf.get("URGE_BEFORE_DAYS"))
    escalate_before = cal.subtract_working_days(today, conf.get("ESCALATE_AFTER_DAYS"))
    open_qs = Appeal.objects.filter(status__in=OPEN_STATUSES, due_on__isnull=False)

    after = conf.get("ESCALATE_AFTER_DAYS")
    escalated = _step(
        open_qs.filter(due_on__lte=escalate_before), ESCALATED, "escalate", text("appeal.history.sla_escalate", d=after)
    )
    overdue = _step(open_qs.filter(due_on__lt=today), OVERDUE, "overdue", text("appeal.history.sla_overdue"))
    urge_qs = open_qs.filter(due_on__gte=today, due_on__lte=urge_until)
    urged = _step(urge_qs, URGED, "urge", text("appeal.history.sla_urge"))

    handlers = defaultdict(set)
    for dept_id, user_id in RoleAssignment.objects.filter(role=Role.DEPT_HANDLER, department__isnull=False).values_list(
        "department_id", "user_id"
    ):
        handlers[dept_id].add(user_id)
    supervisors = defaultdict(set)
    for dept_id, user_id in Department.supervisors.through.objects.values_list("department_id", "user_id"):
        supervisors[dept_id].add(user_id)
    zone = set(RoleAssignment.objects.filter(whole_zone_q(), role=Role.ZONE_ADMIN).values_list("user_id", flat=True))

    counts: dict[tuple[int, str], int] = defaultdict(int)
    for rows, kind in ((urged, "urge"), (overdue, "overdue")):
        for _id, dept in rows:
            for user_id in handlers.get(dept, ()):
                counts[(user_id, kind)] += 1
    for _id, dept in escalated:
        for user_id in supervisors.get(dept, set()) | zone:
            counts[(user_id, "escalate")] += 1
    codes = {"urge": "appeal.sla_urge", "overdue": "appeal.sla_overdue", "escalate": "appeal.sla_escalate"}
    notes = [
        (user_id, text(codes[kind], n=n, d=after), "", "/appeals/queue/?overdue=1")
        for (user_id, kind), n in counts.items()
    ]
    notify_many(notes)
    result = {
        "auto_closed": auto_closed,
        "urged": len(urged),
        "overdue": len(overdue),
        "escalated": len(escalated),
        "notifications": len(notes),
    }
    audit.record(
        actor=None, action="appeal.sla_sweep", details={"day": today.isoformat(), **result}, actor_name="system"
    )
    return result
