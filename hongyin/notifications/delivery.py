"""Sending beyond the in-app centre: email through Django's email backend, SMS through the provider interface,
each only when the user's preference asks for it. Called after commit by hongyin.common.notifications."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q

from .models import NotificationPreference
from .sms import get_backend

log = logging.getLogger("hongyin.notifications")


def deliver_external(items: list[tuple[int, str, str, str]]) -> dict:
    """items: (user_id, title, body, url). Failures are logged, never raised: the in-app notice is already kept."""
    user_ids = {i[0] for i in items}
    enabled = Q(email_enabled=True) | Q(sms_enabled=True)
    prefs = {p.user_id: p for p in NotificationPreference.objects.filter(enabled, user_id__in=user_ids)}
    if not prefs:
        return {"email": 0, "sms": 0}
    sent = {"email": 0, "sms": 0}
    sms = None
    base = getattr(settings, "HONGYIN_SITE_URL", "")
    for user_id, title, body, url in items:
        pref = prefs.get(user_id)
        if pref is None:
            continue
        if pref.email_enabled and pref.email:
            try:
                send_mail(f"[红引] {title}", f"{body}\n\n{base}{url}".strip(), None, [pref.email])
                sent["email"] += 1
            except Exception:  # a mail server down must not break the action that notified
                log.exception("email to user %s failed", user_id)
        if pref.sms_enabled and pref.sms_phone:
            try:
                sms = sms or get_backend()
                sms.send(pref.sms_phone, f"【红引】{title}"[:70])
                sent["sms"] += 1
            except Exception:
                log.exception("sms to user %s failed", user_id)
    return sent
