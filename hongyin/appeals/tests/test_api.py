import pytest

from hongyin.appeals.models import Appeal

pytestmark = pytest.mark.django_db


def test_api_submit_dispatch_accept_and_scoping(as_user, contact_enterprise):
    contact = as_user("enterprise_contact")
    r = contact.post(
        "/api/v1/appeals/",
        {"enterprise_id": contact_enterprise.pk, "category": "science", "title": "专利预审", "content": "申请备案"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    # the science category dispatches itself to its default department on submission
    assert r.json()["status"] == "dispatched" and r.json()["department"] == "science"
    r = as_user("dept_handler").post(f"/api/v1/appeals/{pk}/accept", {}, content_type="application/json")
    assert r.json()["status"] == "in_progress"
    r = contact.post(f"/api/v1/appeals/{pk}/rate", {"rating": "satisfied"}, content_type="application/json")
    assert r.status_code == 422 and "办理中" in r.json()["detail"]
    detail = contact.get(f"/api/v1/appeals/{pk}").json()
    assert [e["kind"] for e in detail["events"]] == ["submit", "dispatch", "accept"]
    foreign = Appeal.objects.exclude(enterprise=contact_enterprise).first()
    assert contact.get(f"/api/v1/appeals/{foreign.pk}").status_code == 404
    listed = contact.get("/api/v1/appeals/?limit=200").json()
    assert {a["enterprise_id"] for a in listed} == {contact_enterprise.pk}


def test_api_wrong_state_is_422(as_user):
    a = Appeal.objects.filter(status="closed").first()
    r = as_user("zone_admin").post(f"/api/v1/appeals/{a.pk}/dispatch", {}, content_type="application/json")
    assert r.status_code == 422 and "已办结" in r.json()["detail"]


def test_api_stats_and_visits(as_user):
    zone = as_user("zone_admin")
    assert zone.get("/api/v1/appeals/stats").json()[0]["total"] == Appeal.objects.count()
    assert zone.get("/api/v1/appeals/stats?by=month").status_code == 200
    assert zone.get("/api/v1/visits/?limit=5").status_code == 200
    assert zone.get("/api/v1/visits/coverage?by=committee").status_code == 200
    assert as_user("enterprise_contact").get("/api/v1/visits/").status_code == 403
