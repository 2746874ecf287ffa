"""The notification settings take the phone number in a phone field, validated and normalised."""

import re

import pytest
from django.urls import reverse

from hongyin.notifications.models import NotificationPreference
from hongyin.notifications.views import PHONE_PATTERN

pytestmark = pytest.mark.django_db


def test_the_phone_is_a_tel_input_with_a_pattern(as_user):
    body = as_user("member").get(reverse("notification_prefs:preferences")).content.decode()
    field = re.search(r'<input[^>]*name="sms_phone"[^>]*>', body).group(0)
    assert 'type="tel"' in field and 'inputmode="tel"' in field and "pattern=" in field
    assert re.search(r'<input[^>]*type="email"[^>]*name="email"', body)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("13800138000", "13800138000"), ("138 0013 8000", "13800138000"), ("+86 138-0013-8000", "13800138000")],
)
def test_a_mobile_number_is_stored_without_spaces_or_prefix(as_user, typed, stored):
    response = as_user("member").post(
        reverse("notification_prefs:preferences"), {"sms_enabled": "on", "sms_phone": typed}
    )
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user__username="member").sms_phone == stored
    assert re.fullmatch(PHONE_PATTERN, typed)  # the browser's check agrees


@pytest.mark.parametrize("typed", ["123", "12345678901", "1380013800a", "010-12345678"])
def test_anything_else_is_refused(as_user, typed):
    response = as_user("member").post(
        reverse("notification_prefs:preferences"), {"sms_enabled": "on", "sms_phone": typed}
    )
    assert response.status_code == 422 and "11 位手机号" in response.content.decode()
    assert not re.fullmatch(PHONE_PATTERN, typed)
