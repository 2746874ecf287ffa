"""Pages and API of activities: publish through the form, sign up, the organizer's QR, check in through the URL in
the QR (a forged or expired code changes nothing), check out, the volunteer-hours page; query counts flat; scope."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hongyin.activities import services
from hongyin.activities.models import Activity, Signup, SignupStatus, VolunteerHours
from hongyin.activities.workbench import activities_branch, activities_mine
from hongyin.common import checkin
from hongyin.members.models import Member

pytestmark = pytest.mark.django_db


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _publish(branch, *, start_in=datetime.timedelta(minutes=30), kind="volunteer", capacity=5, co_orgs=()):
    now = timezone.now()
    return services.activity_publish(
        actor=None,
        org=branch,
        kind=kind,
        title="楼宇文明引导志愿服务",
        place="楼宇大厅",
        starts_at=now + start_in,
        ends_at=now + start_in + datetime.timedelta(hours=3),
        signup_deadline=now + start_in - datetime.timedelta(minutes=5),
        capacity=capacity,
        co_orgs=co_orgs,
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_secretary_publishes_through_the_form(as_user, branch):
    client = as_user("branch_secretary")
    page = client.get(reverse("activities:new"))
    assert page.status_code == 200
    now = timezone.now()
    data = {
        "org": branch.pk,
        "kind": "volunteer",
        "title": "关爱孤寡老人志愿服务（表单测试）",
        "place": "社区服务站",
        "starts_at": _local(now + datetime.timedelta(days=2)),
        "ends_at": _local(now + datetime.timedelta(days=2, hours=3)),
        "signup_deadline": _local(now + datetime.timedelta(days=1)),
        "capacity": "10",
        "description": "为社区老人送温暖。",
    }
    bad = client.post(reverse("activities:new"), {**data, "ends_at": data["starts_at"]})
    assert bad.status_code == 422 and "结束时间应晚于开始时间" in bad.content.decode()
    assert not Activity.objects.filter(title=data["title"]).exists()
    response = client.post(reverse("activities:new"), data)
    assert response.status_code == 302
    a = Activity.objects.get(title=data["title"])
    assert a.org == branch and a.capacity == 10


def test_member_signs_up_checks_in_through_the_qr_url_and_out(as_user, users, branch):
    a = _publish(branch, start_in=datetime.timedelta(minutes=10))
    secretary, member = as_user("branch_secretary"), as_user("member")
    assert member.post(reverse("activities:act", args=[a.pk, "signup"])).status_code == 302
    qr = secretary.get(reverse("activities:qr", args=[a.pk]))
    assert qr.status_code == 200 and "<svg" in qr.content.decode()
    url = re.search(r'data-testid="checkin-url"[^>]*>|href="([^"]+/checkin/\?c=[^"]+)"', qr.content.decode()).group(1)
    code = url.split("?c=")[1]
    # a member opens the URL: a confirm page; a forged code changes nothing
    assert member.get(reverse("activities:checkin", args=[a.pk]) + "?c=" + code).status_code == 200
    forged = member.post(reverse("activities:checkin", args=[a.pk]), {"c": code[:-4] + "abcd", "step": "checkin"})
    assert forged.status_code == 422 and "签到码无效" in forged.content.decode()
    expired_code = checkin.make_code(
        "activity", "activities.activity", a.pk, valid_from=timezone.now() - datetime.timedelta(hours=1), minutes=5
    )
    expired = member.post(reverse("activities:checkin", args=[a.pk]), {"c": expired_code, "step": "checkin"})
    assert expired.status_code == 422 and "已过期" in expired.content.decode()
    signup = Signup.objects.get(activity=a, member__user=users["member"])
    assert signup.checked_in_at is None
    early_out = member.post(reverse("activities:checkin", args=[a.pk]), {"c": code, "step": "checkout"})
    assert early_out.status_code == 422 and "尚未签到" in early_out.content.decode()
    assert member.post(reverse("activities:checkin", args=[a.pk]), {"c": code, "step": "checkin"}).status_code == 302
    signup.refresh_from_db()
    assert signup.checked_in_at is not None
    out = member.post(reverse("activities:checkin", args=[a.pk]), {"c": code, "step": "checkout"})
    assert out.status_code == 302 and out["Location"] == reverse("activities:hours")
    assert VolunteerHours.objects.filter(activity=a, member__user=users["member"]).exists()
    assert member.get(reverse("activities:hours")).status_code == 200
    attendance = secretary.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert "陈静" in attendance


def test_api_signup_checkin_checkout_and_attendance(as_user, users, branch):
    a = _publish(branch, start_in=datetime.timedelta(minutes=10), capacity=1)
    member, secretary = as_user("member"), as_user("branch_secretary")
    listed = json.loads(member.get("/api/v1/activities").content)
    assert a.pk in [x["id"] for x in listed]
    r = member.post(f"/api/v1/activities/{a.pk}/signup", "{}", content_type="application/json")
    assert r.status_code == 200 and json.loads(r.content)["my_status"] == "signed_up"
    r = secretary.post(f"/api/v1/activities/{a.pk}/signup", "{}", content_type="application/json")
    assert json.loads(r.content)["my_status"] == "waiting"  # the secretary is a member too: the place is taken
    bad = member.post(f"/api/v1/activities/{a.pk}/checkin", json.dumps({"code": "x"}), content_type="application/json")
    assert bad.status_code == 422
    code = services.checkin_code(a)[0]
    r = member.post(f"/api/v1/activities/{a.pk}/checkin", json.dumps({"code": code}), content_type="application/json")
    assert r.status_code == 200 and json.loads(r.content)["my_checked_in_at"]
    r = member.post(f"/api/v1/activities/{a.pk}/checkout", json.dumps({"code": code}), content_type="application/json")
    assert r.status_code == 200 and json.loads(r.content)["my_hours"] is not None
    rows = json.loads(secretary.get(f"/api/v1/activities/{a.pk}/attendance").content)
    assert {r["status"] for r in rows} == {"signed_up", "waiting"}
    assert member.get(f"/api/v1/activities/{a.pk}/attendance").status_code == 403
    hours = json.loads(member.get("/api/v1/activities/volunteer-hours").content)
    assert hours and hours[0]["activity_id"] == a.pk


def test_pages_are_flat_in_the_number_of_signups(as_user, branch, make_member):
    a = _publish(branch, capacity=50)
    client = as_user("branch_secretary")
    urls = [reverse("activities:list"), reverse("activities:detail", args=[a.pk]), reverse("accounts:workbench")]

    def sign(n):
        for _ in range(n):
            Signup.objects.create(
                activity=a, member=make_member(branch), status=SignupStatus.SIGNED_UP, queued_at=timezone.now()
            )

    sign(1)
    before = [_queries(client, u) for u in urls]
    sign(6)
    assert [_queries(client, u) for u in urls] == before


def test_scope_other_branch_activity_is_not_found(as_user, other_branch):
    a = _publish(other_branch)
    for who in ("member", "branch_secretary"):
        client = as_user(who)
        assert client.get(reverse("activities:detail", args=[a.pk])).status_code == 404
        assert client.post(reverse("activities:act", args=[a.pk, "signup"])).status_code == 404
    assert as_user("member").get(reverse("activities:qr", args=[a.pk])).status_code == 403


def test_workbench_panels(users, branch):
    a = _publish(branch)
    services.signup_join(actor=users["member"], activity=a)
    mine = activities_mine(users["member"])
    assert str(mine["hours"]) == str(mine["hours"].quantize(Decimal("0.1")))
    assert a.pk in [s.activity_id for s in mine["rows"]]
    rows = activities_branch(users["branch_secretary"])["rows"]
    assert a.pk in [x.pk for x in rows]
    assert next(x for x in rows if x.pk == a.pk).own_signed == 1


def test_member_record_needed(as_user, branch, users):
    a = _publish(branch)
    zone = as_user("zone_admin")
    assert zone.get(reverse("activities:detail", args=[a.pk])).status_code == 200
    r = zone.post(reverse("activities:act", args=[a.pk, "signup"]))
    assert r.status_code == 422
    assert not Signup.objects.filter(activity=a).exists()
    assert Member.objects.filter(user=users["member"]).exists()
