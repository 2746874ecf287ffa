"""SLA arithmetic across holidays and make-up workdays, case by case."""

from datetime import date

import pytest

from hongyin.common.calendar import WorkCalendar, add_working_days, get_calendar, is_workday, uncovered_years
from hongyin.directory.models import CalendarOverride, CalendarYear

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "n", "expected", "why"),
    [
        (date(2025, 9, 30), 1, date(2025, 10, 9), "National Day 2025: Oct 1-8 off, first working day Oct 9"),
        (date(2025, 9, 26), 1, date(2025, 9, 28), "make-up Sunday Sep 28 2025 counts"),
        (date(2025, 10, 9), 2, date(2025, 10, 11), "make-up Saturday Oct 11 2025 counts"),
        (date(2025, 9, 26), 15, date(2025, 10, 23), "15 working days across the National Day week"),
        (date(2025, 1, 27), 1, date(2025, 2, 5), "Spring Festival 2025: Jan 28 - Feb 4 off"),
        (date(2025, 1, 24), 1, date(2025, 1, 26), "make-up Sunday Jan 26 2025 before the Spring Festival"),
        (date(2025, 2, 7), 1, date(2025, 2, 8), "make-up Saturday Feb 8 2025"),
        (date(2026, 2, 13), 1, date(2026, 2, 14), "make-up Saturday Feb 14 2026"),
        (date(2026, 2, 14), 1, date(2026, 2, 24), "Spring Festival 2026: Feb 15-23 off"),
        (date(2026, 9, 30), 1, date(2026, 10, 8), "National Day 2026: Oct 1-7 off"),
        (date(2026, 11, 20), 1, date(2026, 11, 23), "an ordinary weekend"),
        (date(2026, 11, 20), 3, date(2026, 11, 25), "reply clock: 3 working days"),
        (date(2026, 11, 20), 0, date(2026, 11, 20), "zero days is the day itself"),
    ],
)
def test_add_working_days(start, n, expected, why):
    assert add_working_days(start, n) == expected, why


def test_holidays_and_make_up_days_from_the_package():
    assert is_workday(date(2025, 10, 11)) is True  # Saturday, make-up
    assert is_workday(date(2025, 10, 8)) is False  # Wednesday, holiday
    assert is_workday(date(2026, 2, 28)) is True  # Saturday, make-up


def test_unknown_year_falls_back_to_the_holidays_package_then_weekends():
    CalendarYear.objects.filter(year__in=(2028, 2101)).delete()
    cal = get_calendar()
    assert not cal.is_workday(date(2028, 1, 26))  # Spring Festival 2028, from the holidays package
    assert cal.add_working_days(date(2028, 3, 1), 1) == date(2028, 3, 2)
    assert not cal.confirmed(date(2028, 3, 2)) and cal.provisional(date(2028, 3, 1), date(2028, 3, 2))
    assert cal.add_working_days(date(2101, 1, 7), 1) == date(2101, 1, 10)  # beyond any package: the week


def test_a_single_override_is_confirmed_the_rest_of_the_year_is_provisional():
    CalendarOverride.objects.create(date=date(2029, 5, 1), kind="holiday", note="劳动节")
    cal = get_calendar()
    assert cal.is_workday(date(2029, 5, 1)) is False and cal.confirmed(date(2029, 5, 1))
    assert cal.is_workday(date(2029, 5, 7)) is True and not cal.confirmed(date(2029, 5, 7))


def test_manual_year_follows_the_week_with_overrides():
    CalendarYear.objects.get_or_create(year=2027)
    CalendarOverride.objects.update_or_create(date=date(2027, 1, 1), defaults={"kind": "holiday"})
    CalendarOverride.objects.create(date=date(2027, 2, 6), kind="workday", note="春节调休")
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)  # Jan 1 off, then the weekend
    assert add_working_days(date(2027, 2, 5), 1) == date(2027, 2, 6)  # make-up Saturday
    assert is_workday(date(2027, 2, 7)) is False  # plain Sunday


def test_override_wins_over_the_package():
    CalendarOverride.objects.create(date=date(2026, 11, 23), kind="holiday", note="临时调整")
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 24)


def test_working_days_between_and_overdue():
    cal = get_calendar()
    assert cal.working_days_between(date(2025, 9, 30), date(2025, 10, 9)) == 1
    assert cal.working_days_between(date(2025, 10, 9), date(2025, 9, 30)) == -1
    assert cal.subtract_working_days(date(2025, 10, 9), 1) == date(2025, 9, 30)


def test_uncovered_years_warns_for_the_coming_year():
    cal = WorkCalendar(overrides={}, manual_years=frozenset())
    assert not cal.year_covered(2031)
    CalendarYear.objects.filter(year=2031).delete()
    assert 2031 in uncovered_years(date(2030, 12, 1))
    CalendarYear.objects.create(year=2031)
    assert 2031 not in uncovered_years(date(2030, 12, 1))


def test_fast_path_agrees_with_the_package():
    from datetime import timedelta

    import chinese_calendar

    cal = WorkCalendar(overrides={}, manual_years=frozenset())
    d = date(2024, 1, 1)
    while d <= date(2026, 12, 31):
        assert cal.is_workday(d) == chinese_calendar.is_workday(d), d
        d += timedelta(days=1)
