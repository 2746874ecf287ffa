"""When the system admin confirms a year's calendar, open appeals whose deadlines were provisional are recomputed
(registered as a hook of hongyin.common.calendar; it runs inside the confirmation's transaction)."""

from django.utils.translation import gettext as _

from hongyin.common.calendar import WorkCalendar, register_confirm_hook

from .models import OPEN_STATUSES, Appeal, AppealEvent, DueKind

DUE_FIELDS = ("accept_due", "reply_due", "resolve_due")


def _current_due(a: Appeal):
    if a.due_kind == DueKind.ACCEPT:
        return a.accept_due
    if a.due_kind == DueKind.REPLY:
        return min(a.reply_due, a.resolve_due)
    if a.due_kind == DueKind.RESOLVE:
        return a.resolve_due
    return a.due_on


@register_confirm_hook
def appeals_recompute_provisional(*, old: WorkCalendar, new: WorkCalendar) -> dict:
    """Each deadline keeps its number of working days after dispatch (an approved extension included), counted
    again on the confirmed calendar; the SLA level resets only where the current deadline moves."""
    appeals = list(
        Appeal.objects.select_for_update()
        .filter(status__in=OPEN_STATUSES, deadlines_provisional=True, dispatched_on__isnull=False)
        .order_by("id")
    )
    events = []
    for a in appeals:
        start, before = a.dispatched_on, (a.accept_due, a.reply_due, a.resolve_due, a.due_on)
        for field in DUE_FIELDS:
            due = getattr(a, field)
            if due is not None:
                setattr(a, field, new.add_working_days(start, old.working_days_between(start, due)))
        dues = [getattr(a, f) for f in DUE_FIELDS if getattr(a, f) is not None]
        a.deadlines_provisional = bool(dues) and new.provisional(start, max(dues))
        a.due_on = _current_due(a)
        if a.due_on != before[3]:
            a.sla_level = 0
        if (a.accept_due, a.reply_due, a.resolve_due, a.due_on) != before:
            events.append(
                AppealEvent(
                    appeal=a,
                    kind="recalculate",
                    department_id=a.department_id,
                    note=_("按正式公布的节假日安排重新计算期限：签收 %(a)s，答复 %(r)s，办结 %(s)s")
                    % {"a": a.accept_due or "—", "r": a.reply_due or "—", "s": a.resolve_due or "—"},
                )
            )
    fields = [*DUE_FIELDS, "due_on", "sla_level", "deadlines_provisional"]
    Appeal.objects.bulk_update(appeals, fields, batch_size=500)
    AppealEvent.objects.bulk_create(events, batch_size=2000)
    return {
        "appeals_recomputed": len(appeals),
        "appeals_moved": [e.appeal.number for e in events[:200]],
        "still_provisional": sum(a.deadlines_provisional for a in appeals),
    }
