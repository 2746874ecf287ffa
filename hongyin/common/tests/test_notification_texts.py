"""Text the system writes to people is stored as a code plus parameters and rendered in the reader's language."""

import re
from collections import defaultdict

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from hongyin.accounts.models import User
from hongyin.accounts.services import user_reset_password
from hongyin.common.models import Notification
from hongyin.common.notification_texts import TEXTS, render, text

pytestmark = pytest.mark.django_db


def test_every_text_has_an_english_rendering():
    params = defaultdict(lambda: 1)  # every parameter 1 (a counted title takes its singular)
    for code, (title, body) in TEXTS.items():
        for part in (title, body):
            if part is None:
                continue
            with translation.override("en"):
                english = str(part % params)
            assert english and not re.search(r"[\u4e00-\u9fff]", english), (code, english)
            assert not re.search(r"[，。：；（）“”]", english), (code, english)


def test_a_counted_title_agrees_with_its_number_in_english():
    with translation.override("en"):
        assert str(text("appeal.sla_urge", n=1, d=5)) == "Reminder: 1 appeal is due soon"
        assert str(text("appeal.sla_urge", n=3, d=5)) == "Reminder: 3 appeals are due soon"
        assert str(text("appeal.sla_escalate", n=1, d=5)) == "Escalated: 1 appeal is more than 5 working days overdue"
    with translation.override("zh-hans"):
        assert str(text("appeal.sla_overdue", n=2, d=5)) == "超期通知：2 件诉求已超过期限"


def test_a_notification_written_by_an_english_reader_is_stored_in_chinese_and_read_in_each_language(
    django_capture_on_commit_callbacks,
):
    admin = User.objects.get(username="security_admin")
    owner = User.objects.get(username="zone_admin")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        user_reset_password(actor=admin, user=owner)
    note = Notification.objects.filter(user=owner).latest("id")
    assert note.code == "account.password_reset" and note.title == "您的密码已被重置"
    with translation.override("en"):
        assert "password" in note.display_title.lower()
        assert "session" in note.display_body.lower()
    with translation.override("zh-hans"):
        assert note.display_title == "您的密码已被重置"


def test_the_notification_centre_shows_the_title_in_the_readers_language(as_user):
    owner = User.objects.get(username="member")
    message = text("appeal.accepted", n="SQ2026000001")
    Notification.objects.create(user=owner, title=message.title_in(), code=message.code, params=message.params)
    client = as_user("member")
    assert "您的诉求已受理：SQ2026000001" in client.get(reverse("notifications")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("notifications")).content.decode()
    with translation.override("en"):
        english = str(message)
    assert "您的诉求已受理" not in page and english in page and "SQ2026000001" in english


def test_an_old_row_without_a_code_shows_its_stored_title():
    owner = User.objects.get(username="member")
    old = Notification.objects.create(user=owner, title="旧通知", body="正文")
    with translation.override("en"):
        assert old.display_title == "旧通知" and old.display_body == "正文"
    broken = Notification.objects.create(user=owner, title="存储的标题", code="appeal.new", params={})
    assert broken.display_title == "存储的标题"  # parameters that do not fit: what was stored


def test_a_lazy_parameter_is_kept_as_its_msgid_and_translated_when_read():
    from hongyin.development.steps import STEP_BY_NUMBER

    title = STEP_BY_NUMBER[2].title
    with translation.override("en"):
        message = text("development.step", t_msg=title)
        english = str(title)
    with translation.override("zh-hans"):
        assert message.params["t_msg"] == str(title) != english
    with translation.override("en"):
        assert render(message.code, message.params) == f"Your development case: {english}"


def test_unknown_codes_are_refused_when_written():
    with pytest.raises(KeyError):
        text("no.such_text")
