"""Signed, time-limited check-in codes and their QR rendering (activities, roadshow attendance, ...).

A code carries the object kind ("activities.activity", "roadshows.event", ...), its pk and a validity window,
signed with django.core.signing under a salt per purpose: a code made for one purpose never verifies for another,
and a code for one object never verifies for another object. The code is URL-safe (it travels in the URL a phone
opens after scanning the QR). Verifying refuses a forged, altered, expired or not-yet-valid code with a clear
Chinese DomainError; it writes nothing, so a caller that verifies first and writes after writes nothing on refusal.

    code = make_code("activity", "activities.activity", activity.pk, minutes=10)
    svg = qr_svg(request.build_absolute_uri(reverse("activities:checkin", args=[code])))
    token = verify_code(code, "activity", kind="activities.activity", pk=activity.pk)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import segno
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError

SALT_PREFIX = "hongyin.checkin."


@dataclass(frozen=True)
class CheckinToken:
    """What a verified code says: the object it is for and the window it is valid in."""

    purpose: str
    kind: str
    pk: int
    valid_from: datetime.datetime
    valid_until: datetime.datetime


def _salt(purpose: str) -> str:
    if not purpose:
        raise ValueError("purpose is required")
    return SALT_PREFIX + purpose


def _ts(moment: datetime.datetime) -> int:
    if timezone.is_naive(moment):
        raise ValueError("aware datetimes only")
    return int(moment.timestamp())


def _dt(ts: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(ts, tz=datetime.UTC)


def make_code(
    purpose: str,
    kind: str,
    pk: int,
    *,
    valid_from: datetime.datetime | None = None,
    valid_until: datetime.datetime | None = None,
    minutes: int = 10,
) -> str:
    """A signed code for (kind, pk), valid from `valid_from` (default now) until `valid_until` (default +minutes)."""
    start = valid_from or timezone.now()
    end = valid_until or start + datetime.timedelta(minutes=minutes)
    if end <= start:
        raise ValueError("valid_until must be after valid_from")
    payload = {"k": kind, "p": int(pk), "f": _ts(start), "u": _ts(end)}
    return signing.dumps(payload, salt=_salt(purpose), compress=True)


def verify_code(
    code: str,
    purpose: str,
    *,
    kind: str | None = None,
    pk: int | None = None,
    now: datetime.datetime | None = None,
) -> CheckinToken:
    """The token a code carries, or DomainError: forged or altered, for another object, expired, not yet valid."""
    try:
        payload = signing.loads(str(code or "").strip(), salt=_salt(purpose))
        token = CheckinToken(
            purpose=purpose,
            kind=str(payload["k"]),
            pk=int(payload["p"]),
            valid_from=_dt(int(payload["f"])),
            valid_until=_dt(int(payload["u"])),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError):
        raise DomainError(_("签到码无效：可能被伪造或篡改，请重新扫描现场的二维码。"), code="forged") from None
    if (kind is not None and token.kind != kind) or (pk is not None and token.pk != int(pk)):
        raise DomainError(_("签到码不属于此活动，请扫描本活动现场的二维码。"), code="mismatch")
    moment = now or timezone.now()
    if moment > token.valid_until:
        raise DomainError(_("签到码已过期，请向组织者索取最新的二维码。"), code="expired")
    if moment < token.valid_from:
        raise DomainError(_("签到码尚未生效，请稍后再扫。"), code="not_yet_valid")
    return token


def qr_svg(data: str, *, scale: int = 6, error: str = "m", responsive: bool = False) -> str:
    """An inline SVG QR code of `data` (a URL), for a page to show on a screen or a phone. `responsive`: no fixed
    width and height, only a viewBox, so the page sizes it (it fills its container, a phone's width included)."""
    return segno.make(data, error=error).svg_inline(scale=scale, omitsize=responsive)
