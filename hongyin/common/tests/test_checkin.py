"""Signed, time-limited check-in codes: a valid code verifies; forged, altered, expired, early, other-purpose and
other-object codes are refused with a clear Chinese message; the QR is an inline SVG."""

import datetime

import pytest
from django.utils import timezone

from hongyin.common.checkin import make_code, qr_svg, verify_code
from hongyin.common.errors import DomainError

KIND = "activities.activity"


def test_valid_code_round_trips():
    now = timezone.now()
    code = make_code("activity", KIND, 42, valid_from=now, valid_until=now + datetime.timedelta(minutes=5))
    token = verify_code(code, "activity", kind=KIND, pk=42)
    assert (token.kind, token.pk) == (KIND, 42)
    assert token.valid_until - token.valid_from == datetime.timedelta(minutes=5)
    assert "/" not in code and " " not in code  # travels in a URL path


def test_expired_code_is_refused():
    then = timezone.now() - datetime.timedelta(hours=1)
    code = make_code("activity", KIND, 1, valid_from=then, minutes=10)
    with pytest.raises(DomainError) as err:
        verify_code(code, "activity", kind=KIND, pk=1)
    assert err.value.code == "expired"
    assert "过期" in err.value.message


def test_not_yet_valid_code_is_refused():
    later = timezone.now() + datetime.timedelta(hours=1)
    code = make_code("activity", KIND, 1, valid_from=later, minutes=10)
    with pytest.raises(DomainError) as err:
        verify_code(code, "activity")
    assert err.value.code == "not_yet_valid"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda c: c[:-2] + ("AA" if not c.endswith("AA") else "BB"),  # signature altered
        lambda c: "x" + c,  # payload altered
        lambda c: "",
        lambda c: "not-a-code",
        lambda c: c.split(":")[0],  # signature dropped
    ],
)
def test_forged_or_altered_code_is_refused(mangle):
    code = make_code("activity", KIND, 7)
    with pytest.raises(DomainError) as err:
        verify_code(mangle(code), "activity", kind=KIND, pk=7)
    assert err.value.code == "forged"
    assert "无效" in err.value.message


def test_code_of_another_purpose_does_not_verify():
    code = make_code("roadshow", KIND, 7)
    with pytest.raises(DomainError) as err:
        verify_code(code, "activity", kind=KIND, pk=7)
    assert err.value.code == "forged"


def test_code_of_another_object_is_refused():
    code = make_code("activity", KIND, 7)
    with pytest.raises(DomainError) as err:
        verify_code(code, "activity", kind=KIND, pk=8)
    assert err.value.code == "mismatch"
    with pytest.raises(DomainError):
        verify_code(code, "activity", kind="roadshows.event", pk=7)


def test_forged_payload_signed_with_another_key_is_refused(settings):
    code = make_code("activity", KIND, 7)
    settings.SECRET_KEY = "another-key-entirely-" + "x" * 40
    with pytest.raises(DomainError) as err:
        verify_code(code, "activity", kind=KIND, pk=7)
    assert err.value.code == "forged"


def test_window_must_be_forward_and_aware():
    now = timezone.now()
    with pytest.raises(ValueError):
        make_code("activity", KIND, 1, valid_from=now, valid_until=now)
    with pytest.raises(ValueError):
        make_code("activity", KIND, 1, valid_from=datetime.datetime(2026, 1, 1))


def test_qr_svg_is_inline_svg():
    svg = qr_svg("https://hongyin.example/activities/checkin/abc/")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")


def test_qr_svg_responsive_has_a_viewbox_and_no_size():
    svg = qr_svg("https://hongyin.example/activities/1/checkin/?c=abc", responsive=True)
    assert "viewBox" in svg and 'width="' not in svg.split(">")[0]
