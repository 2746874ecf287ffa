"""In-app notifications, created on commit so nothing is sent for a rolled-back write."""

from django.db import transaction
from django.utils import timezone

from .models import Notification


def notify(*, user, title: str, body: str = "", url: str = "") -> None:
    transaction.on_commit(lambda: Notification.objects.create(user=user, title=title[:200], body=body, url=url))


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
