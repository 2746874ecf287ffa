"""Compliance periods and exemptions, and the art. 9 standing, case by case."""

from datetime import date
from decimal import Decimal

import pytest

from hongyin.dues.models import DuesRecord
from hongyin.orglife import services
from hongyin.orglife.models import RequiredFrequency
from hongyin.orglife.selectors import compliance, member_standing

pytestmark = pytest.mark.django_db
TODAY = date(2025, 7, 10)  # Q3 has begun; Q1 and Q2 are over


def _held(branch, kind, day, status="approved"):
    services.meetings_record_bulk(
        actor=None, meetings=[{"org": branch, "kind": kind, "title": "会议", "held_on": day}], status=status
    )


def _row(users, branch, start=date(2025, 1, 1), end=date(2025, 7, 1)):
    report = compliance(user=users["zone_admin"], org=branch, start=start, end=end, today=TODAY)
    assert [r.branch for r in report.rows] == [branch]
    return report, report.rows[0]


def test_the_defaults_follow_the_regulation():
    rules = {r.kind: (r.period, r.times) for r in RequiredFrequency.objects.all()}
    assert rules == {
        "general": ("quarter", 1),
        "committee": ("month", 1),
        "group": ("month", 1),
        "lecture": ("quarter", 1),
        "theme_day": ("month", 1),
    }


def test_monthly_and_quarterly_periods_count_only_once_ended(users, fresh_branch, people):
    for month in range(1, 7):
        _held(fresh_branch, "committee", date(2025, month, 5))
    _held(fresh_branch, "general", date(2025, 2, 5))  # Q1 held, Q2 missed
    _report, row = _row(users, fresh_branch)
    committee, general = row.cells["committee"], row.cells["general"]
    assert (committee.required, committee.held, committee.missing) == (6, 6, [])
    assert committee.in_progress  # July is not over and has none yet: not missing
    assert (general.required, general.held, [s.label for s in general.missing]) == (2, 1, ["2025年第2季度"])
    assert row.behind


def test_a_surplus_does_not_cover_a_gap_and_drafts_do_not_count(users, fresh_branch, people):
    _held(fresh_branch, "theme_day", date(2025, 1, 5))
    _held(fresh_branch, "theme_day", date(2025, 1, 20))
    _held(fresh_branch, "theme_day", date(2025, 2, 5), status="draft")
    _held(fresh_branch, "theme_day", date(2025, 3, 5), status="submitted")  # reported: counts
    _r, row = _row(users, fresh_branch, end=date(2025, 3, 1))
    cell = row.cells["theme_day"]
    assert (cell.required, cell.held, [s.label for s in cell.missing]) == (3, 2, ["2025-02"])


def test_an_exemption_excuses_only_the_periods_it_covers_whole(users, fresh_branch, people):
    services.exemption_add(
        actor=users["zone_admin"],
        org=fresh_branch,
        kind="group",
        reason="春节停产",
        start=date(2025, 1, 1),
        end=date(2025, 2, 1),
    )
    services.exemption_add(
        actor=None,
        org=fresh_branch,
        kind="lecture",
        reason="书记外出学习",
        start=date(2025, 1, 1),
        end=date(2025, 2, 1),
    )
    _r, row = _row(users, fresh_branch, end=date(2025, 3, 1))
    group, lecture = row.cells["group"], row.cells["lecture"]
    assert [s.label for s in group.exempt] == ["2025-01", "2025-02"]
    assert (group.required, [s.label for s in group.missing]) == (1, ["2025-03"])
    assert lecture.exempt == [] and lecture.required == 1  # two months of a quarter do not excuse the quarter


def test_a_changed_frequency_applies_and_an_inactive_kind_is_not_counted(users, fresh_branch, people):
    services.frequency_set(actor=users["zone_admin"], kind="general", period="month", times=2)
    services.frequency_set(actor=users["zone_admin"], kind="group", period="month", times=1, active=False)
    _report, row = _row(users, fresh_branch, end=date(2025, 1, 1))
    assert row.cells["general"].required == 2 and "group" not in row.cells


def test_a_branch_founded_mid_year_owes_only_from_its_founding(users, committee):
    from hongyin.orgs.services import org_create

    young = org_create(
        actor=None,
        parent=committee,
        name="新建党支部",
        kind="branch",
        category="enterprise",
        founded_on=date(2025, 5, 10),
    )
    _r, row = _row(users, young)
    assert row.cells["committee"].required == 2  # May and June


def test_only_the_zone_configures(users, fresh_branch):
    from hongyin.common.errors import DomainError

    with pytest.raises(DomainError):
        services.frequency_set(actor=users["building_admin"], kind="general", period="month", times=1)
    with pytest.raises(DomainError):
        services.exemption_add(
            actor=users["building_admin"], org=fresh_branch, kind="group", reason="x", start=TODAY, end=TODAY
        )
    with pytest.raises(DomainError) as exc:
        services.frequency_set(actor=users["zone_admin"], kind="general", period="month", times="²")
    assert exc.value.field == "times"


# --- art. 9 standing ------------------------------------------------------------------------------------------------


def _attend(branch, member, day):
    services.meetings_record_bulk(
        actor=None,
        meetings=[
            {"org": branch, "kind": "group", "title": "党小组会", "held_on": day, "attendance": {member.pk: "present"}}
        ],
    )


@pytest.mark.parametrize(
    ("last", "months", "level"),
    [
        (date(2025, 6, 20), 0, "ok"),  # last month
        (date(2025, 4, 2), 2, "ok"),  # May and June without
        (date(2025, 3, 30), 3, "alert"),  # April, May, June
        (date(2025, 1, 15), 5, "alert"),
        (date(2024, 12, 31), 6, "flag"),  # six whole months: January to June
    ],
)
def test_standing_from_attendance(fresh_branch, people, last, months, level):
    member = people[0][0]
    _attend(fresh_branch, member, last)
    s = member_standing(member, TODAY)
    assert (s.last_attended, s.months_without_life, s.level) == (last, months, level)


def test_a_member_who_never_attended_counts_from_joining_the_branch(fresh_branch, rng):
    from hongyin.devtools.people import new_member

    m = new_member(fresh_branch, rng=rng, joined_on=date(2025, 2, 10), registered_on=date(2025, 2, 10))
    s = member_standing(m, TODAY)
    assert s.last_attended is None and s.months_without_life == 4 and s.level == "alert"


def test_standing_from_dues(fresh_branch, people):
    member = people[0][0]
    _attend(fresh_branch, member, date(2025, 6, 20))
    assert member_standing(member, TODAY).months_unpaid is None  # no dues records: nothing to judge
    for month in range(1, 7):
        paid = Decimal("10") if month <= 3 else Decimal("0")
        DuesRecord.objects.create(member=member, branch=fresh_branch, month=date(2025, month, 1), due=10, paid=paid)
    s = member_standing(member, TODAY)
    assert (s.paid_until, s.months_unpaid, s.level) == (date(2025, 3, 1), 3, "alert")
    DuesRecord.objects.filter(member=member).update(paid=0)
    s = member_standing(member, TODAY)
    assert (s.paid_until, s.months_unpaid, s.level) == (None, 6, "flag")
