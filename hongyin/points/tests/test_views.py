"""Pages and API of the points ledger: own points only, rankings in scope (and switched off), the rule page, the
manual adjustment."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hongyin.members.models import Member
from hongyin.points import services
from hongyin.points.models import PointEntry, PointsSettings, RuleSet

pytestmark = pytest.mark.django_db


def test_the_demo_has_rules_and_a_ledger(db):
    assert RuleSet.objects.count() >= 2
    assert PointEntry.objects.filter(action="manual").exists()


def test_own_points_page(as_user, django_assert_max_num_queries):
    client = as_user("member")
    r = client.get(reverse("points:mine"))
    assert r.status_code == 200 and 'data-testid="ledger"' in r.content.decode()
    with django_assert_max_num_queries(20):
        client.get(reverse("points:mine"))
    r = client.get("/api/v1/points/mine")
    me = Member.objects.get(user__username="member")
    assert r.status_code == 200 and r.json()["member_id"] == me.pk


def test_members_see_no_rankings_and_no_rules(as_user):
    client = as_user("member")
    assert client.get(reverse("points:ranking")).status_code == 403
    assert client.get(reverse("points:rules")).status_code == 403
    assert client.get(reverse("points:adjust")).status_code == 403
    assert client.get("/api/v1/points/ranking").status_code == 403


def test_rankings_per_branch_and_committee(as_user, branch, other_branch, django_assert_max_num_queries):
    client = as_user("branch_secretary")
    r = client.get(reverse("points:ranking"))
    assert r.status_code == 200 and 'data-testid="ranking"' in r.content.decode()
    assert client.get(reverse("points:ranking"), {"org": other_branch.pk}).status_code == 404
    with django_assert_max_num_queries(20):
        client.get(reverse("points:ranking"), {"org": branch.pk})
    zone = as_user("zone_admin")
    r = zone.get(reverse("points:ranking"))
    assert r.status_code == 200 and 'data-testid="averages"' in r.content.decode()
    r = zone.get("/api/v1/points/ranking", {"org_id": branch.pk})
    assert r.status_code == 200 and r.json()["enabled"] is True


def test_rankings_switched_off_show_nothing(as_user, users):
    s = PointsSettings.current()
    services.settings_update(actor=users["zone_admin"], rankings_enabled=False, version=s.version)
    client = as_user("branch_secretary")
    html = client.get(reverse("points:ranking")).content.decode()
    assert 'data-testid="rankings-off"' in html and 'data-testid="ranking"' not in html
    assert client.get("/api/v1/points/ranking").json() == {
        "enabled": False,
        "org_id": None,
        "year": timezone.localdate().year,
        "rows": [],
    }
    assert 'data-testid="rankings-off"' in client.get("/").content.decode()


def test_rule_page_publishes_a_version(as_user):
    client = as_user("zone_admin")
    r = client.get(reverse("points:rules"))
    assert r.status_code == 200
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    data = {"form": "ruleset", "effective_from": day, "note": "测试", "meeting_attend_points": "6"}
    data |= {"study_finish_points": "2", "study_finish_min_dwell_seconds": "240"}
    assert client.post(reverse("points:rules"), data).status_code == 302
    assert RuleSet.objects.filter(effective_from=day, rules__action="meeting_attend", rules__points=6).exists()
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    r = client.post(reverse("points:rules"), data | {"effective_from": past})
    assert r.status_code == 422 and "早于今天" in r.content.decode()
    r = client.post(reverse("points:rules"), data | {"effective_from": "garbage"})
    assert r.status_code == 422
    assert as_user("building_admin").get(reverse("points:rules")).status_code == 403


def test_adjust_page(as_user, users, branch):
    client = as_user("branch_secretary")
    assert client.get(reverse("points:adjust")).status_code == 200
    m = Member.objects.filter(org=branch, left_on__isnull=True).exclude(user=users["branch_secretary"]).first()
    before = PointEntry.objects.count()
    r = client.post(reverse("points:adjust"), {"member": m.pk, "points": "2", "reason": "表现突出"})
    assert r.status_code == 302 and PointEntry.objects.count() == before + 1
    own = Member.objects.get(user=users["branch_secretary"])
    r = client.post(reverse("points:adjust"), {"member": own.pk, "points": "2", "reason": "x"})
    assert r.status_code == 422 and PointEntry.objects.count() == before + 1
    r = client.post(reverse("points:adjust"), {"member": "abc", "points": "2", "reason": "x"})
    assert r.status_code == 422
