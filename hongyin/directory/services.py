"""Writes of the calendar configuration: the system admin confirms a year from the State Council's notice."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.calendar import CONFIRM_HOOKS, get_calendar
from hongyin.common.errors import DomainError, NotFound

from .models import CalendarOverride, CalendarYear


@transaction.atomic
def calendar_year_confirm(
    *, actor, year: int, holidays: dict[date, str], workdays: dict[date, str], note: str = ""
) -> CalendarYear:
    """The year's official arrangement replaces its overrides and confirms it; provisional deadlines are recomputed
    by the registered hooks (appeals) in the same transaction, and one audit event says what changed."""
    if actor is not None and not actor.has_role_perm("admin.site"):
        raise NotFound
    if not 2000 <= year <= 2100:
        raise DomainError(_("年份须在 2000 到 2100 之间。"), field="year")
    if not holidays:
        raise DomainError(_("请填写放假日期。"), field="holidays")
    for field, days in (("holidays", holidays), ("workdays", workdays)):
        wrong = [d.isoformat() for d in days if d.year != year]
        if wrong:
            raise DomainError(
                _("以下日期不在 %(y)s 年：%(d)s") % {"y": year, "d": "、".join(sorted(wrong))}, field=field
            )
    both = sorted(d.isoformat() for d in set(holidays) & set(workdays))
    if both:
        raise DomainError(_("以下日期既是放假又是调休上班：%(d)s") % {"d": "、".join(both)}, field="workdays")
    weekdays = sorted(d.isoformat() for d in workdays if d.weekday() < 5)
    if weekdays:
        raise DomainError(
            _("调休上班日应是周六或周日，以下日期本来就是工作日：%(d)s") % {"d": "、".join(weekdays)}, field="workdays"
        )
    old = get_calendar()
    calendar_year, created = CalendarYear.objects.update_or_create(year=year, defaults={"note": note.strip()[:200]})
    CalendarOverride.objects.filter(date__year=year).delete()
    CalendarOverride.objects.bulk_create(
        [CalendarOverride(date=d, kind=CalendarOverride.Kind.HOLIDAY, note=n[:100]) for d, n in holidays.items()]
        + [CalendarOverride(date=d, kind=CalendarOverride.Kind.WORKDAY, note=n[:100]) for d, n in workdays.items()]
    )
    new = get_calendar()
    details = {"year": year, "created": created, "holidays": len(holidays), "workdays": len(workdays)}
    for hook in CONFIRM_HOOKS:
        details.update(hook(old=old, new=new))
    audit.record(actor=actor, action="calendar.confirm_year", obj=calendar_year, details=details)
    return calendar_year
