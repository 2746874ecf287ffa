"""The appeal loop without a dispatcher in the way (issue 11, item 5): auto-dispatch per category, the handler's
interim and final replies, the zone's 待办结 view (one click, bulk, or automatic after N working days), the
enterprise's notices (once each), a rating given once with its error inline, notifications read when opened, and
the submit form (handling time, attachment, a real placeholder)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from hongyin.appeals import services as s
from hongyin.appeals.models import Appeal, AppealStatus
from hongyin.appeals.sla import sla_sweep
from hongyin.audit.models import AuditEvent
from hongyin.common.models import Notification
from hongyin.common.uploads import Attachment

from .conftest import TODAY

pytestmark = pytest.mark.django_db
S = AppealStatus
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def _submit(users, enterprise, category, title="研发费用补贴兑现", today=TODAY, **kw):
    return s.appeal_submit(
        actor=users["enterprise_contact"],
        enterprise=enterprise,
        category=category,
        title=title,
        content="研发费用补贴申报后未兑现，请协调。",
        source="portal",
        today=today,
        **kw,
    )


def _answered(users, enterprise, category, title="待办结的诉求", today=TODAY):
    a = _submit(users, enterprise, category, title=title, today=today)
    s.appeal_accept(actor=users["dept_handler"], appeal=a, today=today)
    s.appeal_reply(actor=users["dept_handler"], appeal=a, text="已兑现", final=True, resolved=True, today=today)
    return a


def _titles(user, appeal):
    return list(Notification.objects.filter(user=user, url=appeal.get_absolute_url()).values_list("title", flat=True))


# --- auto-dispatch ------------------------------------------------------------------------------------------------


def test_a_category_with_a_default_department_dispatches_on_submission(
    users, contact_enterprise, auto_science, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        a = _submit(users, contact_enterprise, auto_science)
    a.refresh_from_db()
    assert a.status == S.DISPATCHED and a.department == auto_science.default_department
    assert a.accept_due is not None and a.dispatched_on == TODAY
    dispatch = a.events.get(kind="dispatch")
    assert dispatch.actor is None and dispatch.note == "按类别自动派单"
    assert AuditEvent.objects.filter(action="appeal.dispatch", object_id=str(a.pk)).exists()
    assert any(t.startswith("新派单诉求") for t in _titles(users["dept_handler"], a))
    assert not any(t.startswith("新诉求待派单") for t in _titles(users["zone_admin"], a))
    # the zone can still route it elsewhere
    other = type(a.department).objects.exclude(pk=a.department_id).filter(is_active=True).first()
    s.appeal_transfer(actor=users["zone_admin"], appeal=a, department=other, reason="属其他部门职责", today=TODAY)
    assert a.department == other and a.status == S.DISPATCHED


def test_a_category_under_manual_review_waits_for_the_zone(users, contact_enterprise, science):
    assert science.auto_dispatch is False  # the fixture turns it off
    a = _submit(users, contact_enterprise, science)
    assert a.status == S.SUBMITTED and a.department is None
    assert [e.kind for e in a.events.all()] == ["submit"]


def test_auto_dispatch_is_a_category_setting_in_the_admin(auto_science):
    from django.test import Client

    from hongyin.devtools.sessions import login_as

    admin = login_as(Client(), "system_admin")
    page = admin.get(reverse("admin:appeals_config_appealcategory_change", args=[auto_science.pk]))
    assert page.status_code == 200 and 'name="auto_dispatch"' in page.content.decode()
    changelist = admin.get(reverse("admin:appeals_config_appealcategory_changelist")).content.decode()
    assert "auto_dispatch" in changelist


# --- the handler's replies ----------------------------------------------------------------------------------------


def test_the_handler_sees_an_interim_and_a_final_reply(users, contact_enterprise, auto_science, as_user):
    a = _submit(users, contact_enterprise, auto_science)
    s.appeal_accept(actor=users["dept_handler"], appeal=a, today=TODAY)
    assert str(s.APPEAL_FLOW.label("reply")) == "阶段性答复"
    assert str(s.APPEAL_FLOW.label("reply_final")) == "办结答复"
    body = as_user("dept_handler").get(a.get_absolute_url()).content.decode()
    assert ">阶段性答复</button>" in body and ">办结答复</button>" in body
    assert ">答复</button>" not in body and "办理答复" not in body
    assert 'data-testid="reply-final-hint"' in body


# --- 待办结, closing ----------------------------------------------------------------------------------------------


def test_a_final_reply_waits_in_the_zones_to_close_view_and_closes_in_one_click(
    users, contact_enterprise, auto_science, as_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        a = _answered(users, contact_enterprise, auto_science)
    assert a.status == S.REPLIED and a.answered_on == TODAY
    assert any(t.startswith("诉求已办结答复，待办结") for t in _titles(users["zone_admin"], a))
    zone = as_user("zone_admin")
    page = zone.get(reverse("appeals:queue") + "?view=to_close&size=200")
    assert page.status_code == 200 and 'data-testid="to-close-filter"' in page.content.decode()
    rows = list(page.context["page"].object_list)
    assert a in rows and all(r.status == S.REPLIED for r in rows)
    assert f'name="close_one" value="{a.pk}"' in page.content.decode()
    r = zone.post(reverse("appeals:queue_bulk"), {"close_one": a.pk, "view": "to_close", "action": ""})
    assert r.status_code == 302 and r["Location"].endswith("?view=to_close")
    a.refresh_from_db()
    assert a.status == S.CLOSED and a.closed_on is not None
    assert a.events.filter(kind="close", actor=users["zone_admin"]).exists()


def test_bulk_close_from_the_to_close_view(users, contact_enterprise, auto_science, as_user):
    one = _answered(users, contact_enterprise, auto_science, title="批量办结一")
    two = _answered(users, contact_enterprise, auto_science, title="批量办结二")
    r = as_user("zone_admin").post(
        reverse("appeals:queue_bulk"), {"action": "close", "ids": [one.pk, two.pk], "view": "to_close"}
    )
    assert r.status_code == 302
    assert set(Appeal.objects.filter(pk__in=[one.pk, two.pk]).values_list("status", flat=True)) == {S.CLOSED}
    # a handler cannot close through the bulk form
    three = _answered(users, contact_enterprise, auto_science, title="批量办结三")
    as_user("dept_handler").post(reverse("appeals:queue_bulk"), {"action": "close", "ids": [three.pk]})
    three.refresh_from_db()
    assert three.status == S.REPLIED


@override_settings(HONGYIN_APPEALS={"AUTO_CLOSE_AFTER_DAYS": 5})
def test_the_daily_sweep_closes_after_n_working_days(users, contact_enterprise, auto_science):
    a = _answered(users, contact_enterprise, auto_science)  # answered Friday Nov 20
    assert sla_sweep(today=date(2026, 11, 26))["auto_closed"] >= 0  # 4 working days later
    a.refresh_from_db()
    assert a.status == S.REPLIED
    result = sla_sweep(today=date(2026, 11, 27))  # 5 working days later
    a.refresh_from_db()
    assert result["auto_closed"] >= 1 and a.status == S.CLOSED and a.closed_on == date(2026, 11, 27)
    close = a.events.get(kind="close")
    assert close.actor is None and "自动办结" in close.note
    assert AuditEvent.objects.filter(action="appeal.close", object_id=str(a.pk), actor__isnull=True).exists()


# --- the enterprise's notices -------------------------------------------------------------------------------------


def test_the_enterprise_is_told_once_at_each_step(
    users, contact_enterprise, auto_science, django_capture_on_commit_callbacks
):
    contact = users["enterprise_contact"]
    with django_capture_on_commit_callbacks(execute=True):
        a = _answered(users, contact_enterprise, auto_science)
        s.appeal_close(actor=users["zone_admin"], appeal=a, today=TODAY)
    titles = _titles(contact, a)
    starts = ["您的诉求已派至", "您的诉求已受理", "您的诉求已办结答复", "您的诉求已办结，请评价"]
    assert len(titles) == 4, titles
    for start in starts:
        assert sum(t.startswith(start) for t in titles) == 1, (start, titles)


# --- rating -------------------------------------------------------------------------------------------------------


def _closed(users, enterprise, category, title="待评价的诉求"):
    a = _answered(users, enterprise, category, title=title)
    return s.appeal_close(actor=users["zone_admin"], appeal=a, today=TODAY)


def test_a_second_rating_is_refused(users, contact_enterprise, auto_science, as_user):
    a = _closed(users, contact_enterprise, auto_science)
    c = as_user("enterprise_contact")
    assert c.post(reverse("appeals:act", args=[a.pk, "rate"]), {"rating": "satisfied"}).status_code == 302
    a.refresh_from_db()
    assert a.rating == "satisfied"
    assert "rate" not in [t.action for t in s.APPEAL_FLOW.actions_for(users["enterprise_contact"], a)]
    r = c.post(reverse("appeals:act", args=[a.pk, "rate"]), {"rating": "dissatisfied", "comment": "改主意了"})
    assert r.status_code == 422 and "只能评价一次" in r.content.decode()
    api = c.post(f"/api/v1/appeals/{a.pk}/rate", {"rating": "basic"}, content_type="application/json")
    assert api.status_code == 422 and "只能评价一次" in api.json()["detail"]
    a.refresh_from_db()
    assert a.rating == "satisfied" and a.events.filter(kind="rate").count() == 1


def test_dissatisfied_without_a_reason_shows_the_error_inline_keeping_the_choice(
    users, contact_enterprise, auto_science, as_user
):
    a = _closed(users, contact_enterprise, auto_science)
    r = as_user("enterprise_contact").post(
        reverse("appeals:act", args=[a.pk, "rate"]), {"rating": "dissatisfied", "comment": "  "}
    )
    assert r.status_code == 422
    body = r.content.decode()
    assert 'data-testid="timeline"' in body  # the detail page, not an error page
    assert 'data-testid="comment-error"' in body and "请说明原因" in body
    assert 'value="dissatisfied" required checked' in body
    a.refresh_from_db()
    assert a.rating == ""


# --- notifications ------------------------------------------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(users, as_user):
    zone = users["zone_admin"]
    note = Notification.objects.create(user=zone, title="新诉求待派单", url="/appeals/queue/")
    evil = Notification.objects.create(user=zone, title="外链", url="https://evil.example/steal")
    c = as_user("zone_admin")
    listing = c.get(reverse("notifications")).content.decode()
    assert reverse("notification_open", args=[note.pk]) in listing
    r = c.get(reverse("notification_open", args=[note.pk]))
    assert r.status_code == 302 and r["Location"] == "/appeals/queue/"
    note.refresh_from_db()
    assert note.read_at is not None
    r = c.get(reverse("notification_open", args=[evil.pk]))
    assert r.status_code == 302 and r["Location"] == reverse("notifications")
    # another user's notification is not there for this one
    assert as_user("dept_handler").get(reverse("notification_open", args=[note.pk])).status_code == 404


# --- the submit form ----------------------------------------------------------------------------------------------


def test_the_submit_form_has_a_placeholder_the_handling_time_and_an_attachment(as_user, auto_science):
    c = as_user("enterprise_contact")
    body = c.get(reverse("appeals:new")).content.decode()
    assert '<option value="" selected>请选择诉求类别</option>' in body
    assert f'value="{auto_science.pk}" data-resolve-days="{auto_science.resolve_days}"' in body
    assert 'data-resolve-hint="id_category_hint"' in body and 'data-testid="resolve-hint"' in body
    assert 'enctype="multipart/form-data"' in body and 'name="attachment"' in body
    assert "<script>" not in body  # CSP: the hint is updated by app.js


def test_submit_with_an_attachment_and_see_the_handling_time_again_on_an_error(
    as_user, contact_enterprise, auto_science
):
    c = as_user("enterprise_contact")
    bad = c.post(reverse("appeals:new"), {"enterprise": contact_enterprise.pk, "category": auto_science.pk})
    assert bad.status_code == 422
    assert f"预计办理时限：{auto_science.resolve_days} 个工作日内办结" in bad.content.decode()
    r = c.post(
        reverse("appeals:new"),
        {
            "enterprise": contact_enterprise.pk,
            "category": auto_science.pk,
            "title": "附带材料的诉求",
            "content": "材料见附件。",
            "attachment": SimpleUploadedFile("说明.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert r.status_code == 302
    a = Appeal.objects.get(title="附带材料的诉求")
    assert a.status == S.DISPATCHED
    assert Attachment.objects.filter(owner_label="appeals.appeal", owner_id=str(a.pk), name="说明.pdf").exists()
    refused = c.post(
        reverse("appeals:new"),
        {
            "enterprise": contact_enterprise.pk,
            "category": auto_science.pk,
            "title": "附件不对的诉求",
            "content": "材料见附件。",
            "attachment": SimpleUploadedFile("说明.pdf", b"not a pdf", content_type="application/pdf"),
        },
    )
    assert refused.status_code == 422 and not Appeal.objects.filter(title="附件不对的诉求").exists()
    assert refused.context["form"].errors.get("attachment")
