import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from hongyin.accounts.models import User
from hongyin.common.models import Notification
from hongyin.common.notifications import notify, notify_many
from hongyin.notifications.models import NotificationPreference
from hongyin.notifications.sms import ConsoleSmsBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    return User.objects.get(username="member")


def test_in_app_only_by_default_and_on_commit(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=member, title="测试通知")
    assert Notification.objects.filter(user=member, title="测试通知").exists()
    assert len(mail.outbox) == 0


def test_nothing_sent_when_rolled_back(member, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=member, email_enabled=True, email="m@example.com")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(user=member, title="回滚的通知")
                raise RuntimeError
        except RuntimeError:
            pass
    assert not callbacks and not Notification.objects.filter(title="回滚的通知").exists()
    assert len(mail.outbox) == 0


def test_email_and_sms_per_preference(member, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(
        user=member, email_enabled=True, email="m@example.com", sms_enabled=True, sms_phone="18012341999"
    )
    ConsoleSmsBackend.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify_many([(member.pk, "诉求即将到期", "正文", "/appeals/queue/")])
    assert mail.outbox[-1].to == ["m@example.com"] and "诉求即将到期" in mail.outbox[-1].subject
    assert ConsoleSmsBackend.sent[-1][0] == "18012341999" and "诉求即将到期" in ConsoleSmsBackend.sent[-1][1]
    pref = NotificationPreference.objects.get(user=member)
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT sms_phone FROM notifications_notificationpreference WHERE id=%s", [pref.pk])
        assert "18012341999" not in c.fetchone()[0]  # stored encrypted


def test_preferences_page_validates(as_user):
    c = as_user("member")
    assert c.get(reverse("notification_prefs:preferences")).status_code == 200
    r = c.post(reverse("notification_prefs:preferences"), {"sms_enabled": "on", "sms_phone": "123"})
    assert r.status_code == 422 and "11 位手机号" in r.content.decode()
    r = c.post(reverse("notification_prefs:preferences"), {"email_enabled": "on", "email": "a@example.com"})
    assert r.status_code == 302
    assert NotificationPreference.objects.get(user__username="member").email_enabled
