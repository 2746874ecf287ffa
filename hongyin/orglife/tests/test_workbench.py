"""The secretary's and the zone's workbench figures of organizational life: meetings due and overdue (the compliance
page's selector), members absent three times in a row (and their list page), compliance by committee; points for
attending an approved meeting."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hongyin.devtools.people import new_member
from hongyin.orglife import selectors, services
from hongyin.orglife.selectors import absent_in_a_row, compliance_by_committee, due_and_overdue, roster_at
from hongyin.orglife.workbench import orglife_committees, orglife_due

pytestmark = pytest.mark.django_db


def _held(branch, day, states: dict, kind="group"):
    services.meetings_record_bulk(
        actor=None,
        meetings=[{"org": branch, "kind": kind, "title": "党小组会", "held_on": day, "attendance": states}],
        status="approved",
    )


def test_the_due_panel_reads_the_compliance_page_report(as_user, users):
    user = users["branch_secretary"]
    panel = orglife_due(user)
    response = as_user("branch_secretary").get(panel["url"])
    assert response.status_code == 200
    due, overdue = due_and_overdue(response.context["report"])
    assert panel["due_count"] == len(due) and panel["overdue_count"] == len(overdue)
    assert [(d.branch.pk, d.kind) for d in panel["due"]] == [(d.branch.pk, d.kind) for d in due[:6]]
    assert [(d.kind, d.span) for d in panel["overdue"]] == [(d.kind, d.span) for d in overdue[:6]]
    report = response.context["report"]
    assert len(overdue) == report.missing_total
    assert len(due) == sum(1 for r in report.rows for c in r.cell_list if c.in_progress)
    body = as_user("branch_secretary").get(reverse("accounts:workbench")).content.decode()
    assert 'data-panel="orglife_due"' in body and 'data-panel="orglife_guide"' in body


def test_absent_in_a_row_case_by_case(users, fresh_branch, people):
    full, _probationary = people
    a, b, c, d = full[:4]
    base = date(2025, 3, 3)
    plan = [  # oldest first
        {a.pk: "present", b.pk: "absent", c.pk: "present", d.pk: "floating"},
        {a.pk: "leave", b.pk: "present", c.pk: "absent", d.pk: "absent"},
        {a.pk: "sick", b.pk: "absent", c.pk: "absent", d.pk: "floating"},
        {a.pk: "absent", b.pk: "absent", c.pk: "present", d.pk: "absent"},
    ]
    for i, states in enumerate(plan):
        _held(fresh_branch, base + timedelta(days=7 * i), states)
    found = absent_in_a_row(user=users["zone_admin"], since=date(2025, 1, 1), org=fresh_branch)
    by_member = {run.member.pk: run for run in found}
    # a: leave, sick, absent (the last three); b: present two meetings before the last; c: came last time;
    # d: floating meetings are not counted, so its last three are absent, absent and the very first... absent
    assert a.pk in by_member and b.pk not in by_member and c.pk not in by_member
    assert [r["state"] for r in by_member[a.pk].meetings] == ["absent", "sick", "leave"]
    assert d.pk not in by_member  # only two non-floating meetings: not three in a row
    # a drafted (unreported) meeting does not count
    services.meeting_create(
        actor=None,
        org=fresh_branch,
        kind="group",
        title="草稿",
        held_on=base + timedelta(days=30),
        attendance={a.pk: "present"},
    )
    assert a.pk in {r.member.pk for r in absent_in_a_row(user=users["zone_admin"], since=date(2025, 1, 1))}
    # the window starts at `since`
    assert not absent_in_a_row(user=users["zone_admin"], since=date(2025, 3, 20), org=fresh_branch)


def test_the_absent_page_lists_them_flat_in_their_number(as_user, users, branch, rng):
    day = timezone.localdate() - timedelta(days=40)
    newcomers = [
        new_member(branch, rng=rng, joined_on=day - timedelta(days=400), registered_on=day - timedelta(days=400))
        for _ in range(2)
    ]

    def record():
        roster = roster_at(branch, day)
        states = {e.member.pk: "present" for e in roster}
        for m in newcomers:
            states[m.pk] = "absent"
        return states

    for i in range(3):
        _held(branch, day + timedelta(days=i), record())
    client = as_user("branch_secretary")
    with CaptureQueriesContext(connection) as few:
        body = client.get(reverse("orglife:absent")).content.decode()
    assert all(m.name in body for m in newcomers)
    more = [
        new_member(branch, rng=rng, joined_on=day - timedelta(days=400), registered_on=day - timedelta(days=400))
        for _ in range(4)
    ]
    newcomers += more
    for i in range(3):
        _held(branch, day + timedelta(days=10 + i), record())
    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse("orglife:absent")).content.decode()
    assert all(m.name in body for m in more)
    assert len(many.captured_queries) == len(few.captured_queries)
    workbench = client.get(reverse("accounts:workbench")).content.decode()
    assert reverse("orglife:absent") in workbench


def test_the_zone_sees_compliance_by_committee_with_a_chart_and_a_table(as_user, users):
    zone = users["zone_admin"]
    panel = orglife_committees(zone)
    today = timezone.localdate()
    start, end = selectors.default_range(today)
    report = selectors.compliance(user=zone, org=selectors.default_org(zone), start=start, end=end, today=today)
    rows = compliance_by_committee(report)
    assert [r["f"].org.pk for r in panel["rows"]] == [r.org.pk for r in rows]
    assert sum(r.branches for r in rows) == len(report.rows)
    assert sum(r.behind for r in rows) == report.branches_behind
    assert sum(r.held for r in rows) == sum(t["held"] for t in report.totals())
    assert len(rows) > 1  # the demo zone has several committees
    body = as_user("zone_admin").get(reverse("accounts:workbench")).content.decode()
    assert 'data-testid="committee-compliance"' in body and "hy-chart" in body and "echarts" in body
    assert (
        'data-panel="orglife_committees"'
        not in as_user("branch_secretary").get(reverse("accounts:workbench")).content.decode()
    )


def test_the_meeting_page_is_flat_in_the_roster_size(as_user, branch, rng):
    day = timezone.localdate() - timedelta(days=1)

    def meeting():
        return services.meeting_create(
            actor=None,
            org=branch,
            kind="group",
            title="党小组会",
            held_on=day,
            minutes="学习",
            attendance={e.member.pk: "present" for e in roster_at(branch, day)},
        )

    client = as_user("branch_secretary")
    small = meeting()
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("orglife:detail", args=[small.pk])).status_code == 200
    for _ in range(25):
        new_member(branch, rng=rng, joined_on=day - timedelta(days=300), registered_on=day - timedelta(days=300))
    big = meeting()
    assert big.expected >= small.expected + 25
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("orglife:detail", args=[big.pk])).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


# --- points -----------------------------------------------------------------------------------------------------------


def _rule():
    from hongyin.points.models import Rule, RuleSet
    from hongyin.points.services import rule_at

    day = timezone.localdate() - timedelta(days=10)
    rule = rule_at("meeting_attend", day)
    if rule is None:
        version = (RuleSet.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1
        rs = RuleSet.objects.create(version=version, effective_from=date(2000, 1, 1))
        rule = Rule.objects.create(ruleset=rs, action="meeting_attend", points=2)
    return rule


def test_approving_a_meeting_awards_attendance_points_once(users, branch):
    from hongyin.points.models import PointEntry

    _rule()
    day = timezone.localdate() - timedelta(days=10)
    roster = roster_at(branch, day)
    assert len(roster) >= 3
    states = {e.member.pk: "present" for e in roster}
    absent = roster[0].member.pk
    states[absent] = "leave"
    m = services.meeting_create(
        actor=None, org=branch, kind="group", title="党小组会", held_on=day, minutes="学习", attendance=states
    )
    services.meeting_submit(actor=users["branch_secretary"], meeting=m)
    source = {"source_type": "orglife.meeting", "source_id": str(m.pk)}
    assert not PointEntry.objects.filter(**source).exists()  # submitted: nothing yet
    services.meeting_approve(actor=users["building_admin"], meeting=m)
    entries = PointEntry.objects.filter(**source, action="meeting_attend")
    assert sorted(entries.values_list("member_id", flat=True)) == sorted(pk for pk in states if pk != absent)
    assert services.award_attendance([m]) == 0  # idempotent per member and meeting
    assert entries.count() == len(states) - 1


def test_bulk_approved_meetings_award_points_in_bulk(users, fresh_branch, people):
    from hongyin.points.models import PointEntry

    _rule()
    full, probationary = people
    day = timezone.localdate() - timedelta(days=20)
    states = {m.pk: "present" for m in full} | {probationary.pk: "absent"}
    services.meetings_record_bulk(
        actor=None,
        meetings=[
            {"org": fresh_branch, "kind": "group", "title": "党小组会", "held_on": day, "attendance": states},
            {
                "org": fresh_branch,
                "kind": "lecture",
                "title": "党课",
                "held_on": day - timedelta(days=3),  # another day: a daily cap cannot cut it
                "attendance": states,
            },
        ],
        status="approved",
    )
    assert PointEntry.objects.filter(member_id__in=[m.pk for m in full], action="meeting_attend").count() == 10
    assert not PointEntry.objects.filter(member=probationary).exists()
