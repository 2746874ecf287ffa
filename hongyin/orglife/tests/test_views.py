"""Pages and API: the record form with the roster, the workflow through the page, the compliance page and its
workbench panel (one selector), the member page's standing, the scope of a member."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hongyin.devtools.people import new_member
from hongyin.orglife import services
from hongyin.orglife.models import Meeting, MeetingStatus
from hongyin.orglife.selectors import roster_at
from hongyin.orglife.workbench import orglife_compliance

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_form_and_the_list_are_flat_in_the_roster_size(as_user, branch, rng):
    client = as_user("branch_secretary")
    day = timezone.localdate() - timedelta(days=1)
    url = reverse("orglife:new") + f"?org={branch.pk}"
    services.meeting_create(
        actor=None,
        org=branch,
        kind="group",
        title="党小组会",
        held_on=day,
        attendance={e.member.pk: "present" for e in roster_at(branch, day)},
    )
    before = (_queries(client, url), _queries(client, reverse("orglife:list")))
    for _ in range(8):
        new_member(branch, rng=rng)
    services.meeting_create(
        actor=None,
        org=branch,
        kind="lecture",
        title="党课",
        held_on=day,
        attendance={e.member.pk: "present" for e in roster_at(branch, day)},
    )
    after = (_queries(client, url), _queries(client, reverse("orglife:list")))
    assert after == before


def test_a_secretary_records_and_submits_through_the_pages(as_user, users, branch):
    client = as_user("branch_secretary")
    day = timezone.localdate() - timedelta(days=2)
    roster = roster_at(branch, day)
    post = {
        "org": branch.pk,
        "kind": "general",
        "title": "第四季度支部党员大会",
        "held_on": day.isoformat(),
        "minutes": "通报季度工作",
        "resolutions": "同意",
        **{f"att_{e.member.pk}": "present" for e in roster},
    }
    response = client.post(reverse("orglife:new"), post)
    assert response.status_code == 302, response.content.decode()[:2000]
    m = Meeting.objects.get(title="第四季度支部党员大会")
    assert m.present == len(roster) and not m.below_quorum
    page = client.get(reverse("orglife:detail", args=[m.pk])).content.decode()
    assert 'name="version"' in page and "报送上级审核" in page
    client.post(reverse("orglife:act", args=[m.pk, "submit"]), {"version": m.version})
    m.refresh_from_db()
    assert m.status == MeetingStatus.SUBMITTED
    # the committee above approves on the page; a stale page is refused with a message
    admin = as_user("building_admin")
    stale = admin.post(reverse("orglife:act", args=[m.pk, "approve"]), {"version": m.version - 1})
    assert stale.status_code == 422 and "刷新" in stale.content.decode()
    admin.post(reverse("orglife:act", args=[m.pk, "approve"]), {"version": m.version})
    m.refresh_from_db()
    assert m.status == MeetingStatus.APPROVED


def test_a_future_held_date_on_the_form_is_refused_with_a_message(as_user, branch):
    client = as_user("branch_secretary")
    future = timezone.localdate() + timedelta(days=5)
    response = client.post(
        reverse("orglife:new"), {"org": branch.pk, "kind": "lecture", "title": "党课", "held_on": future.isoformat()}
    )
    assert response.status_code == 422 and "晚于今天" in response.content.decode()
    assert not Meeting.objects.filter(title="党课", org=branch, held_on=future).exists()


def test_the_compliance_panel_and_the_page_it_links_to_show_the_same_figures(as_user, users):
    client = as_user("building_admin")
    figures = orglife_compliance(users["building_admin"])["figures"]
    for label, value, url in figures:
        body = client.get(url).content.decode()
        shown = {k: int(v) for k, v in re.findall(r'data-figure="(\w+)">(\d+)<', body)}
        key = {"党支部": "branches", "未按要求开展的支部": "behind", "缺开期数": "missing"}[str(label)]
        assert shown[key] == value, (label, url)


def test_the_member_page_shows_the_standing(as_user, branch, make_member):
    member = make_member(branch)
    body = as_user("branch_secretary").get(reverse("members:detail", args=[member.pk])).content.decode()
    assert 'data-testid="orglife-standing"' in body and "党章第九条" in body


def test_a_member_sees_only_its_branchs_reported_meetings(as_user, users, branch, other_branch):
    day = timezone.localdate() - timedelta(days=1)
    own = services.meeting_create(
        actor=None, org=branch, kind="lecture", title="本支部党课", held_on=day, attendance={}
    )
    draft = services.meeting_create(actor=None, org=branch, kind="lecture", title="本支部草稿", planned_on=day)
    other = services.meeting_create(actor=None, org=other_branch, kind="lecture", title="外支部党课", held_on=day)
    Meeting.objects.filter(pk__in=[own.pk, other.pk]).update(status=MeetingStatus.APPROVED)
    member_branch = users["member"].assignments[0].org
    client = as_user("member")
    listed = client.get(reverse("orglife:list")).content.decode()
    api = json.loads(client.get("/api/v1/orglife/meetings").content)
    titles = {m["title"] for m in api}
    if member_branch == branch:
        assert "本支部党课" in listed and "本支部党课" in titles
    assert "本支部草稿" not in listed and "外支部党课" not in listed and "外支部党课" not in titles
    assert client.get(reverse("orglife:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("orglife:detail", args=[other.pk])).status_code == 404


def test_the_api_records_attendance_submits_and_refuses_bad_input(as_user, branch):
    client = as_user("branch_secretary")
    day = timezone.localdate() - timedelta(days=1)
    created = client.post(
        "/api/v1/orglife/meetings",
        {"org_id": branch.pk, "kind": "theme_day", "title": "主题党日", "held_on": day.isoformat(), "minutes": "记录"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    m = created.json()
    roster = roster_at(branch, day)
    done = client.put(
        f"/api/v1/orglife/meetings/{m['id']}/attendance",
        {"attendance": [{"member_id": e.member.pk, "state": "present"} for e in roster], "version": m["version"]},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["present"] == len(roster)
    bad = client.put(
        f"/api/v1/orglife/meetings/{m['id']}/attendance",
        {"attendance": [{"member_id": 999999999, "state": "present"}]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "不能登记出勤" in bad.json()["detail"]
    submitted = client.post(
        f"/api/v1/orglife/meetings/{m['id']}/submit",
        {"version": done.json()["version"]},
        content_type="application/json",
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    report = client.get("/api/v1/orglife/compliance")
    assert report.status_code == 200 and report.json()["branches"] >= 1
    future = client.post(
        "/api/v1/orglife/meetings",
        {"org_id": branch.pk, "kind": "lecture", "title": "党课", "held_on": (day + timedelta(days=9)).isoformat()},
        content_type="application/json",
    )
    assert future.status_code == 422
