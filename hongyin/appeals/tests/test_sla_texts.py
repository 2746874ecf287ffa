"""The SLA sweep's notices are codes plus parameters: stored once, read in each reader's language."""

from datetime import date

import pytest
from django.test import override_settings
from django.utils import translation

from hongyin.appeals import services as s
from hongyin.appeals.models import Appeal, AppealEvent
from hongyin.appeals.sla import sla_sweep
from hongyin.common.models import Notification

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_sweeps_notices_are_codes_read_in_the_readers_language(
    new_appeal, users, django_capture_on_commit_callbacks
):
    Appeal.objects.update(status="closed", due_on=None)  # only ours are open
    first, second = new_appeal(), new_appeal(title="厂房租金补贴咨询")
    for a in (first, second):
        s.appeal_dispatch(actor=users["zone_admin"], appeal=a, today=TODAY)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):  # written by an English job
        sla_sweep(today=date(2026, 11, 20))
    note = Notification.objects.filter(user=users["dept_handler"], code="appeal.sla_urge").get()
    assert note.params["n"] == 2 and note.title == "催办：2 件诉求即将到期"
    with translation.override("en"):
        assert note.display_title == "Reminder: 2 appeals are due soon"
    with django_capture_on_commit_callbacks(execute=True):
        sla_sweep(today=date(2026, 11, 30))  # both overdue and escalated
    escalated = Notification.objects.filter(user=users["zone_admin"], code="appeal.sla_escalate").get()
    with translation.override("en"):
        assert escalated.display_title == "Escalated: 2 appeals are more than 5 working days overdue"
    with translation.override("zh-hans"):
        assert escalated.display_title == "超期通报：2 件诉求超期 5 个工作日以上"


def test_email_of_a_sweep_notice_is_in_the_recipients_language(
    new_appeal, users, django_capture_on_commit_callbacks, mailoutbox
):
    from hongyin.notifications.models import NotificationPreference

    handler = users["dept_handler"]
    handler.language = "en"
    handler.save(update_fields=["language"])
    NotificationPreference.objects.update_or_create(
        user=handler, defaults={"email_enabled": True, "email": "handler@example.com"}
    )
    Appeal.objects.update(status="closed", due_on=None)
    s.appeal_dispatch(actor=users["zone_admin"], appeal=new_appeal(), today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        sla_sweep(today=date(2026, 11, 20))
    assert [m.subject for m in mailoutbox] == ["[红引] Reminder: 1 appeal is due soon"]


def test_the_sweeps_timeline_notes_are_codes_read_in_the_readers_language(new_appeal, users, as_user):
    from django.conf import settings
    from django.urls import reverse

    Appeal.objects.update(status="closed", due_on=None)
    a = new_appeal()
    s.appeal_dispatch(actor=users["zone_admin"], appeal=a, today=TODAY)
    sla_sweep(today=date(2026, 11, 20))
    sla_sweep(today=date(2026, 11, 30))
    events = {e.kind: e for e in AppealEvent.objects.filter(appeal=a, actor=None, kind__in=["urge", "escalate"])}
    assert events["urge"].code == "appeal.history.sla_urge" and events["urge"].note == "即将到期，系统自动催办"
    assert events["escalate"].params == {"d": 5}
    with translation.override("en"):
        assert events["urge"].display_note == "Deadline near; urged automatically"
        assert events["escalate"].display_note.startswith("Overdue by 5 working days")
    client = as_user("zone_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("appeals:detail", args=[a.pk])).content.decode()
    assert "Deadline near; urged automatically" in page and "系统自动催办" not in page
    api = client.get(f"/api/v1/appeals/{a.pk}").json()
    assert "Deadline near; urged automatically" in [e["note"] for e in api["events"]]


@override_settings(HONGYIN_APPEALS={"AUTO_CLOSE_AFTER_DAYS": 5})
def test_an_automatic_close_is_noted_in_the_readers_language(new_appeal, users):
    a = new_appeal()
    s.appeal_dispatch(actor=users["zone_admin"], appeal=a, today=TODAY)
    s.appeal_accept(actor=users["dept_handler"], appeal=a, today=TODAY)
    s.appeal_reply(actor=users["dept_handler"], appeal=a, text="已兑现", final=True, resolved=True, today=TODAY)
    sla_sweep(today=date(2026, 11, 27))  # 5 working days after the final reply
    close = a.events.get(kind="close")
    assert close.code == "appeal.history.auto_closed" and close.params == {"n": 5} and "自动办结" in close.note
    with translation.override("en"):
        assert close.display_note == "Closed automatically: not closed 5 working days after the final reply"
