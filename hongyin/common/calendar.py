"""The working-day calendar: official holidays and make-up workdays.

The chinese_calendar package knows the years the State Council has published. For other years the system
administrator enters the arrangement (appeals_config.CalendarYear + CalendarOverride). An override always wins
over the package, so a late correction is one row. A date nobody knows raises DomainError: an SLA deadline
computed on a guessed calendar would be wrong without anyone noticing.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from chinese_calendar import constants as cc_constants
from django.utils.translation import gettext as _

from .errors import DomainError

PACKAGE_YEARS = frozenset(range(min(cc_constants.holidays).year, max(cc_constants.holidays).year + 1))
PACKAGE_HOLIDAYS = frozenset(cc_constants.holidays)
PACKAGE_WORKDAYS = frozenset(cc_constants.workdays)


@dataclass
class WorkCalendar:
    """An in-memory calendar: one query to build, then pure arithmetic (the SLA sweep and queue use it per row)."""

    overrides: dict  # date -> True (workday) / False (holiday)
    manual_years: frozenset

    def knows(self, d: date) -> bool:
        return d in self.overrides or d.year in PACKAGE_YEARS or d.year in self.manual_years

    def is_workday(self, d: date) -> bool:
        if d in self.overrides:
            return self.overrides[d]
        if d.year in PACKAGE_YEARS:
            # chinese_calendar.is_workday, without its per-call scan of the whole table (170 µs -> 0.2 µs)
            return d in PACKAGE_WORKDAYS or (d.weekday() < 5 and d not in PACKAGE_HOLIDAYS)
        if d.year in self.manual_years:
            return d.weekday() < 5
        raise DomainError(
            _("工作日历中没有 %(y)s 年 %(d)s 的安排：请系统管理员在“节假日调整”中录入该年度的放假和调休安排。")
            % {"y": d.year, "d": d.isoformat()},
            field="date",
        )

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (n >= 1); n == 0 gives `start` itself."""
        d = start
        remaining = n
        while remaining > 0:
            d += timedelta(days=1)
            if self.is_workday(d):
                remaining -= 1
        return d

    def subtract_working_days(self, start: date, n: int) -> date:
        d = start
        remaining = n
        while remaining > 0:
            d -= timedelta(days=1)
            if self.is_workday(d):
                remaining -= 1
        return d

    def next_workday(self, d: date) -> date:
        return self.add_working_days(d, 1)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start (days overdue)."""
        if end == start:
            return 0
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        count = 0
        d = start
        while d < end:
            d += timedelta(days=1)
            if self.knows(d) and self.is_workday(d):
                count += 1
        return sign * count

    def year_covered(self, year: int) -> bool:
        return year in PACKAGE_YEARS or year in self.manual_years


def get_calendar() -> WorkCalendar:
    from hongyin.appeals_config.models import CalendarOverride, CalendarYear

    overrides = {
        d: kind == CalendarOverride.Kind.WORKDAY for d, kind in CalendarOverride.objects.values_list("date", "kind")
    }
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    return WorkCalendar(overrides=overrides, manual_years=years)


def is_workday(d: date) -> bool:
    return get_calendar().is_workday(d)


def add_working_days(start: date, n: int) -> date:
    return get_calendar().add_working_days(start, n)


def uncovered_years(today: date | None = None) -> list[int]:
    """This year and the coming one, when the calendar does not know them (the admin page warns)."""
    today = today or date.today()
    cal = get_calendar()
    return [y for y in (today.year, today.year + 1) if not cal.year_covered(y)]
