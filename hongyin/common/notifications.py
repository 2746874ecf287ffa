"""Notifications, created on commit so nothing is sent for a rolled-back write.

The in-app centre always receives them; email and SMS follow the user's preferences
(hongyin.notifications: NotificationPreference, the SMS provider interface)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import hooks
from .models import Notification
from .notification_texts import Text


def _external(items: list[tuple[int, str, str, str]]) -> None:
    hooks.call_all(hooks.DELIVER_EXTERNAL, items)  # email and SMS, when the notifications app is installed


def notify(*, user, title, body: str = "", url: str = "") -> None:
    """`title` is a `notification_texts.text(code, **params)` (rendered in the reader's language) or, for older
    callers, a plain string."""
    code, params = "", {}
    if isinstance(title, Text):
        code, params = title.code, title.params
        language = getattr(user, "language", "") or None  # email and SMS in the user's language
        body = body or title.body_in(language)
        external_title = title.title_in(language)
        title = title.title_in()  # the stored title: the default language
    else:
        external_title = title

    def send():
        Notification.objects.create(user=user, title=title[:200], body=body, url=url, code=code, params=params)
        _external([(user.pk, external_title[:200], body, url)])

    transaction.on_commit(send)


def notify_many(items: list[tuple]) -> None:
    """(user_id, title, body, url) rows, in bulk (the SLA sweep): one INSERT, then email/SMS per preference. A title
    that is a `notification_texts.text(...)` is stored as its code and parameters (read in the reader's language)
    and sent by email and SMS in each user's own language."""
    if not items:
        return
    texts = [i for i in items if isinstance(i[1], Text)]
    languages = {}
    if texts:
        languages = dict(get_user_model().objects.filter(pk__in={i[0] for i in texts}).values_list("pk", "language"))
    rows, external = [], []
    for user_id, title, body, url in items:
        code, params, sent_title = "", {}, title
        if isinstance(title, Text):
            code, params = title.code, title.params
            language = languages.get(user_id) or None
            body = body or title.body_in(language)
            sent_title = title.title_in(language)
            title = title.title_in()
        rows.append(Notification(user_id=user_id, title=title[:200], body=body, url=url, code=code, params=params))
        external.append((user_id, sent_title[:200], body, url))

    def send():
        Notification.objects.bulk_create(rows, batch_size=2000)
        _external(external)

    transaction.on_commit(send)


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def mark_read(*, user, notification: Notification) -> Notification:
    """Opening a notification reads it (only the user's own; the first opening's time is kept)."""
    if notification.user_id == user.pk and notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification
