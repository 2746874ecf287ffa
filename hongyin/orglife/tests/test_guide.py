"""The monthly organizational-life guide: writing and publishing it, the branches still short of the month's
meetings, the reminder job before the deadline and the notice after it; the pages and the API."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError
from hongyin.common.models import Notification
from hongyin.orglife import services
from hongyin.orglife.models import Exemption, MonthlyGuide
from hongyin.orglife.selectors import current_guide, guide_materials, guide_outstanding

pytestmark = pytest.mark.django_db
MARCH = date(2025, 3, 1)


def _guide(month=MARCH, deadline=date(2025, 4, 5), publish=True, **kw):
    g = services.guide_save(
        actor=None,
        month=month,
        title=kw.pop("title", "三月组织生活指南"),
        deadline=deadline,
        topics=kw.pop("topics", {"committee": ["研究一季度工作"], "lecture": ["书记讲党课"]}),
        **kw,
    )
    return services.guide_publish(actor=None, guide=g) if publish else g


def _held(branch, kind, day):
    services.meetings_record_bulk(
        actor=None, meetings=[{"org": branch, "kind": kind, "title": "会议", "held_on": day}], status="submitted"
    )


# --- services -------------------------------------------------------------------------------------------------------


def test_the_zone_writes_a_guide_and_the_refusals_write_nothing(users):
    zone = users["zone_admin"]
    g = services.guide_save(
        actor=zone,
        month="2025-03",
        title="三月指南",
        deadline=date(2025, 4, 5),
        materials="《中国共产党支部工作条例》 https://example.org/rules\n学习笔记",
        topics={"committee": "研究一季度工作\n\n讨论发展党员", "group": ["交流学习体会"]},
    )
    assert g.month == MARCH and not g.published
    assert [(t.kind, t.title) for t in g.topics.all()] == [
        ("committee", "研究一季度工作"),
        ("committee", "讨论发展党员"),
        ("group", "交流学习体会"),
    ]
    assert guide_materials(g) == [("《中国共产党支部工作条例》", "https://example.org/rules"), ("学习笔记", "")]
    assert AuditEvent.objects.filter(action="orglife.guide_save").exists()
    before = MonthlyGuide.objects.count()
    bad = [
        ({"actor": users["branch_secretary"]}, None),
        ({"month": "2025-03"}, "month"),  # the month has its guide
        ({"month": "2025-05", "deadline": date(2025, 4, 30)}, "deadline"),  # before the month
        ({"month": "2025-05", "deadline": date(2025, 7, 1)}, "deadline"),  # too late
        ({"month": "2025-05", "title": " "}, "title"),
        ({"month": "2025-05", "topics": {"committee": [f"议题{i}" for i in range(11)]}}, "topics_committee"),
        ({"month": "2025-05", "topics": {"nonsense": ["x"]}}, "kind"),
        ({"month": "March"}, "month"),
    ]
    for change, field in bad:
        args = {
            "actor": zone,
            "month": "2025-05",
            "title": "五月指南",
            "deadline": date(2025, 5, 25),
            "topics": {"group": ["学习"]},
            **change,
        }
        with pytest.raises(DomainError) as exc:
            services.guide_save(**args)
        assert field is None or exc.value.field == field, (change, exc.value.field)
    assert MonthlyGuide.objects.count() == before


def test_publishing_tells_the_secretaries_once_and_a_stale_edit_is_refused(users, django_capture_on_commit_callbacks):
    g = _guide(publish=False, topics={})
    with pytest.raises(DomainError):
        services.guide_publish(actor=users["zone_admin"], guide=g)  # no topic yet
    g = services.guide_save(
        actor=None, guide=g, month=MARCH, title="三月指南", deadline=date(2025, 4, 5), topics={"group": ["学习"]}
    )
    with pytest.raises(DomainError) as exc:
        services.guide_publish(actor=users["zone_admin"], guide=g, version=g.version - 1)
    assert exc.value.code == "stale"
    with django_capture_on_commit_callbacks(execute=True):
        services.guide_publish(actor=users["zone_admin"], guide=g, version=g.version)
    note = Notification.objects.get(user=users["branch_secretary"], code="orglife.guide_published")
    assert note.url == reverse("orglife:guide", args=[g.pk])
    with pytest.raises(DomainError):
        services.guide_publish(actor=users["zone_admin"], guide=g)
    with pytest.raises(DomainError) as exc:
        services.guide_save(
            actor=None, guide=g, version=0, month=MARCH, title="x", deadline=date(2025, 4, 5), topics=None
        )
    assert exc.value.code == "stale"


def test_the_current_guide_is_the_latest_published_up_to_this_month():
    today = timezone.localdate()
    this_month = today.replace(day=1)
    MonthlyGuide.objects.all().delete()
    assert current_guide(today) is None
    last = _guide(month=date(this_month.year - 1, 12, 1), deadline=date(this_month.year - 1, 12, 28))
    assert current_guide(today) == last
    _guide(month=this_month, deadline=this_month + timedelta(days=20), publish=False)  # a draft does not count
    assert current_guide(today) == last
    nxt = (
        this_month.replace(year=this_month.year + 1)
        if this_month.month == 12
        else this_month.replace(month=this_month.month + 1)
    )
    _guide(month=nxt, deadline=nxt + timedelta(days=20))  # next month's, published early: not yet
    assert current_guide(today) == last


def test_outstanding_counts_the_periods_ending_with_the_month_and_skips_exemptions(users, fresh_branch, people):
    g = _guide()

    def kinds():
        found = {o.branch.pk: sorted(c.kind for c in o.kinds) for o in guide_outstanding(g)}
        return found.get(fresh_branch.pk)

    # March ends Q1: the monthly kinds and the quarterly ones are due
    assert kinds() == ["committee", "general", "group", "lecture", "theme_day"]
    _held(fresh_branch, "committee", date(2025, 3, 4))
    _held(fresh_branch, "general", date(2025, 1, 20))  # the quarter's general meeting, held in January
    _held(fresh_branch, "group", date(2025, 2, 10))  # February's: not March's
    Exemption.objects.create(
        org=fresh_branch, kind="lecture", reason="书记外出学习", start=date(2025, 1, 1), end=date(2025, 3, 1)
    )
    assert kinds() == ["group", "theme_day"]
    _held(fresh_branch, "group", date(2025, 3, 11))
    _held(fresh_branch, "theme_day", date(2025, 3, 1))
    assert kinds() is None
    # February's guide asks only the monthly kinds
    feb = _guide(month=date(2025, 2, 1), deadline=date(2025, 3, 5))
    found = {o.branch.pk: sorted(c.kind for c in o.kinds) for o in guide_outstanding(feb)}
    assert found[fresh_branch.pk] == ["committee", "theme_day"]


def test_the_sweep_reminds_before_the_deadline_and_tells_the_committee_after(
    users, branch, django_capture_on_commit_callbacks
):
    g = _guide()
    secretary, committee_admin = users["branch_secretary"], users["building_admin"]

    def sweep(day):
        with django_capture_on_commit_callbacks(execute=True):
            return services.guide_sweep(today=day)

    def notes(user, code):
        return list(Notification.objects.filter(user=user, code=code).order_by("id"))

    assert sweep(date(2025, 4, 1))["reminded"] == 0  # too early
    assert sweep(date(2025, 4, 2))["reminded"] >= 1  # three days before
    first = notes(secretary, "orglife.guide_reminder")
    assert len(first) == 1 and first[0].params["n"] == 5 and first[0].params["m"] == "2025-03"
    sweep(date(2025, 4, 2))
    sweep(date(2025, 4, 3))
    assert len(notes(secretary, "orglife.guide_reminder")) == 1  # once per step
    sweep(date(2025, 4, 4))  # the day before
    assert len(notes(secretary, "orglife.guide_reminder")) == 2
    assert sweep(date(2025, 4, 5))["noticed"] == 0  # the deadline day itself is still in time
    result = sweep(date(2025, 4, 6))
    assert result["noticed"] >= 1
    [notice] = notes(committee_admin, "orglife.guide_overdue")
    assert branch.name in notice.body and notice.params["n"] >= 1
    assert not notes(secretary, "orglife.guide_overdue")  # the committee is told, not the branch
    assert sweep(date(2025, 4, 7))["noticed"] == 0
    g.refresh_from_db()
    assert g.reminders_sent == 2 and g.overdue_noticed_at is not None
    assert AuditEvent.objects.filter(action="orglife.guide_sweep").count() >= 6


def test_a_branch_that_reported_gets_no_reminder(users, fresh_branch, people, django_capture_on_commit_callbacks):
    from hongyin.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=users["member"], role="branch_secretary", org=fresh_branch)
    _guide(month=date(2025, 2, 1), deadline=date(2025, 3, 5))
    for kind in ("committee", "group", "theme_day"):
        _held(fresh_branch, kind, date(2025, 2, 12))
    with django_capture_on_commit_callbacks(execute=True):
        services.guide_sweep(today=date(2025, 3, 4))
    assert not Notification.objects.filter(user=users["member"], code="orglife.guide_reminder").exists()


# --- pages ----------------------------------------------------------------------------------------------------------


def test_the_zone_writes_and_publishes_through_the_pages(as_user, users):
    client = as_user("zone_admin")
    assert client.get(reverse("orglife:guide_new")).status_code == 200
    post = {
        "month": "2001-05",
        "title": "五月组织生活指南",
        "deadline": "2001-05-25",
        "summary": "重温入党誓词",
        "materials": "学习材料一 https://example.org/a",
        "topics_committee": "研究五月工作",
        "topics_theme_day": "重温入党誓词\n参观红色会客厅",
    }
    bad = client.post(reverse("orglife:guide_new"), {**post, "deadline": "2001-08-01"})
    assert bad.status_code == 422 and "报送截止日期应在" in bad.content.decode()
    response = client.post(reverse("orglife:guide_new"), post)
    g = MonthlyGuide.objects.get(month=date(2001, 5, 1))
    assert response.status_code == 302 and response.url == reverse("orglife:guide", args=[g.pk])
    assert g.topics.count() == 3
    # a secretary does not see the draft
    assert as_user("branch_secretary").get(reverse("orglife:guide", args=[g.pk])).status_code == 404
    client = as_user("zone_admin")
    assert client.post(reverse("orglife:guide_publish", args=[g.pk]), {"version": "x"}).status_code == 302
    g.refresh_from_db()
    assert not g.published  # a forged version is refused
    client.post(reverse("orglife:guide_publish", args=[g.pk]), {"version": g.version})
    g.refresh_from_db()
    assert g.published
    page = as_user("branch_secretary").get(reverse("orglife:guide", args=[g.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "参观红色会客厅" in body and "https://example.org/a" in body
    assert reverse("orglife:new") + "?kind=theme_day" in body  # record a meeting from a topic
    assert as_user("branch_secretary").get(reverse("orglife:guide_new")).status_code in (403, 404)


def test_the_meetings_page_and_the_form_read_the_guide(as_user, users, branch):
    today = timezone.localdate()
    MonthlyGuide.objects.filter(month=today.replace(day=1)).delete()
    g = _guide(month=today.replace(day=1), deadline=today + timedelta(days=5), title="本月组织生活指南（测试）")
    client = as_user("branch_secretary")
    listing = client.get(reverse("orglife:list")).content.decode()
    assert "本月组织生活指南（测试）" in listing and reverse("orglife:guide", args=[g.pk]) in listing
    form = client.get(reverse("orglife:new") + "?kind=lecture&title=书记讲党课&topics=书记讲党课").content.decode()
    assert 'value="书记讲党课"' in form and '<option value="lecture" selected>' in form
    assert client.get(reverse("orglife:guides")).status_code == 200


def test_the_guide_page_lists_the_branches_still_short(as_user, users, branch):
    g = _guide()
    body = as_user("building_admin").get(reverse("orglife:guide", args=[g.pk])).content.decode()
    assert 'data-testid="outstanding"' in body and branch.name in body


# --- API ------------------------------------------------------------------------------------------------------------


def test_the_api_writes_publishes_and_reads_guides(as_user, users):
    zone = as_user("zone_admin")
    payload = {
        "month": "2001-06",
        "title": "六月指南",
        "deadline": "2001-06-25",
        "topics": {"group": ["学习党章"]},
    }
    r = zone.post("/api/v1/orglife/guides", json.dumps(payload), content_type="application/json")
    assert r.status_code == 201, r.content
    gid = r.json()["id"]
    r = zone.post("/api/v1/orglife/guides", json.dumps(payload), content_type="application/json")
    assert r.status_code == 422  # the month has its guide
    secretary = as_user("branch_secretary")
    assert secretary.get(f"/api/v1/orglife/guides/{gid}").status_code == 404  # a draft
    zone = as_user("zone_admin")
    r = zone.post(f"/api/v1/orglife/guides/{gid}/publish", json.dumps({"version": 0}), content_type="application/json")
    assert r.status_code == 200 and r.json()["published"]
    secretary = as_user("branch_secretary")
    r = secretary.get(f"/api/v1/orglife/guides/{gid}")
    assert r.status_code == 200 and r.json()["topics"][0]["title"] == "学习党章"
    r = secretary.post(f"/api/v1/orglife/guides/{gid}/publish", "{}", content_type="application/json")
    assert r.status_code == 403
    assert secretary.get(f"/api/v1/orglife/guides/{gid}/outstanding").status_code == 200
