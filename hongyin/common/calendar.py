"""The working-day calendar: official holidays and make-up workdays.

A date is answered by the first source that knows it:

1. an admin override (directory.CalendarOverride), then a year the admin entered (CalendarYear: Monday to
   Friday are working days);
2. the chinese_calendar package, for the years the State Council has published;
3. the `holidays` package's China calendar: statutory holidays by rule, make-up workdays when it has them;
4. plain weekends.

Sources 1 and 2 are confirmed; 3 and 4 are provisional. Nothing is refused: a deadline in an unpublished year is
computed all the same and marked provisional, and recomputed when the admin enters the official notice.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays as holidays_pkg
from chinese_calendar import constants as cc_constants

from . import hooks

PACKAGE_YEARS = frozenset(range(min(cc_constants.holidays).year, max(cc_constants.holidays).year + 1))
PACKAGE_HOLIDAYS = frozenset(cc_constants.holidays)
PACKAGE_WORKDAYS = frozenset(cc_constants.workdays)


@lru_cache(maxsize=32)
def estimated_year(year: int) -> tuple[frozenset, frozenset]:
    """(holidays, make-up workdays) of `year` from the `holidays` package; empty outside its range."""
    try:
        cn = holidays_pkg.China(years=year)
    except (NotImplementedError, ValueError):
        return frozenset(), frozenset()
    days = frozenset(d for d in cn if d.year == year)
    workdays = frozenset(d for d in getattr(cn, "weekend_workdays", ()) if d.year == year)
    return days, workdays


@dataclass
class WorkCalendar:
    """An in-memory calendar: one query to build, then pure arithmetic (the SLA sweep and queue use it per row)."""

    overrides: dict  # date -> True (workday) / False (holiday)
    manual_years: frozenset

    def confirmed(self, d: date) -> bool:
        """True when the answer for `d` comes from an admin entry or from chinese_calendar."""
        return d in self.overrides or d.year in PACKAGE_YEARS or d.year in self.manual_years

    def is_workday(self, d: date) -> bool:
        if d in self.overrides:
            return self.overrides[d]
        if d.year in PACKAGE_YEARS:
            # chinese_calendar.is_workday, without its per-call scan of the whole table (170 µs -> 0.2 µs)
            return d in PACKAGE_WORKDAYS or (d.weekday() < 5 and d not in PACKAGE_HOLIDAYS)
        if d.year in self.manual_years:
            return d.weekday() < 5
        days_off, workdays = estimated_year(d.year)
        return d in workdays or (d.weekday() < 5 and d not in days_off)

    def provisional(self, start: date, end: date) -> bool:
        """True when a date in (start, end] was answered by a provisional source."""
        return any(not self.confirmed(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))

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
            if self.is_workday(d):
                count += 1
        return sign * count

    def year_covered(self, year: int) -> bool:
        return year in PACKAGE_YEARS or year in self.manual_years


def get_calendar() -> WorkCalendar:
    """The admin's entries (from the app that keeps them, through the CALENDAR_ENTRIES hook) over the packages."""
    entries = hooks.registered(hooks.CALENDAR_ENTRIES)
    overrides, years = entries[0]() if entries else ({}, frozenset())
    return WorkCalendar(overrides=overrides, manual_years=frozenset(years))


def is_workday(d: date) -> bool:
    return get_calendar().is_workday(d)


def add_working_days(start: date, n: int) -> date:
    return get_calendar().add_working_days(start, n)


def uncovered_years(today: date | None = None) -> list[int]:
    """This year and the coming one when no confirmed source knows them: deadlines there are provisional."""
    today = today or date.today()
    cal = get_calendar()
    return [y for y in (today.year, today.year + 1) if not cal.year_covered(y)]


# Apps that keep deadlines register here; the admin's confirmation of a year calls each hook inside its
# transaction with the calendars before and after, and puts what the hook returns in the audit event.
CONFIRM_HOOKS: list[Callable[..., dict]] = []


def register_confirm_hook(func: Callable[..., dict]) -> Callable[..., dict]:
    if func not in CONFIRM_HOOKS:
        CONFIRM_HOOKS.append(func)
    return func
