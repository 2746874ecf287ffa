"""Personal data: unmasking is explicit, scoped and audited; logs never hold plaintext identifiers or passwords."""

import datetime
import io
import logging

import pytest
from django.test import Client
from django.urls import reverse

from hongyin.audit.models import AuditEvent
from hongyin.common.logging import redact
from hongyin.common.unmask import REGISTRY, register_unmaskable
from hongyin.devtools.demo import demo_password

pytestmark = pytest.mark.django_db

ID = "11010519491231002X"
PHONE = "18012341999"


@pytest.fixture
def member_in_scope(demo):
    from hongyin.members.permissions import get_member_for_user_or_404
    from hongyin.members.services import member_create
    from hongyin.orgs.models import Organization

    if "members.member" not in REGISTRY:
        register_unmaskable(
            "members.member", ["id_number", "phone"], get_for_user=get_member_for_user_or_404, org_of=lambda m: m.org
        )
    building = demo.buildings[0]
    branch = Organization.objects.filter(path__startswith=building.path, kind="branch").order_by("path").first()
    return member_create(
        actor=None,
        org=branch,
        name="脱敏测试",
        gender="male",
        birth_date=datetime.date(1949, 12, 31),
        id_number=ID,
        joined_on=datetime.date(1980, 1, 1),
        phone=PHONE,
    )


def test_unmask_one_value_is_scoped_and_audited(as_user, member_in_scope):
    url = reverse("unmask", args=["members.member", member_in_scope.pk, "id_number"])
    assert as_user("zone_admin").get(url).status_code == 405  # an explicit POST, never a GET
    response = as_user("building_admin").post(url)
    assert response.status_code == 200 and ID in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.filter(action="personal_data.unmask", object_id=str(member_in_scope.pk)).latest("id")
    assert event.actor_name == "building_admin" and event.details == {
        "field": "id_number",
        "masked": "1***************2X",
    }
    assert ID not in str(event.details)
    assert as_user("chain_admin").post(url).status_code == 404  # outside its subtree
    assert as_user("member").post(url).status_code == 403  # no personal-data right
    assert as_user("audit_admin").post(url).status_code == 403
    bad_field = reverse("unmask", args=["members.member", member_in_scope.pk, "name"])
    assert as_user("zone_admin").post(bad_field).status_code == 404  # not registered as unmaskable
    bad_model = reverse("unmask", args=["accounts.user", 1, "password"])
    assert as_user("zone_admin").post(bad_model).status_code == 404


def test_unmask_api(as_user, member_in_scope):
    client = as_user("zone_admin")
    payload = {"model": "members.member", "pk": member_in_scope.pk, "field": "phone"}
    response = client.post("/api/v1/personal-data/unmask", payload, content_type="application/json")
    assert response.status_code == 200 and response.json() == {"value": PHONE}
    out = as_user("chain_admin").post("/api/v1/personal-data/unmask", payload, content_type="application/json")
    assert out.status_code == 404


def test_redaction_filter_blanks_identifiers_and_passwords():
    text = redact(f"id={ID} phone {PHONE} password=Secret-123 'password': 'x1'")
    assert ID not in text and PHONE not in text and "Secret-123" not in text


def test_logs_of_a_login_and_member_creation_hold_no_plaintext(demo, member_in_scope):
    """Capture what the configured log handlers write during a whole flow and scan it."""
    from hongyin.members.services import member_create
    from hongyin.orgs.models import Organization

    root = logging.getLogger()
    stream = io.StringIO()
    handlers = [h for h in root.handlers if isinstance(h, logging.StreamHandler) and h.filters]
    assert handlers, "the console handler with the redaction filter is configured"
    old_streams = [h.setStream(stream) for h in handlers]
    old_level = root.level
    root.setLevel(logging.DEBUG)
    loggers = [logging.getLogger(n) for n in ("django", "django.request", "django.security", "axes", "hongyin")]
    old_levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    password = demo_password()
    second_id, second_phone = "110105194912310038", "13912340000"
    try:
        client = Client()
        client.post(reverse("accounts:login"), {"username": "chain_admin", "password": "Wrong-" + password})
        client.post(reverse("accounts:login"), {"username": "chain_admin", "password": password})
        client.get(reverse("accounts:workbench"))
        client.get("/no-such-page/?id=" + ID)
        branch = Organization.objects.filter(kind="branch").order_by("-path").first()
        member_create(
            actor=None,
            org=branch,
            name="日志测试",
            gender="female",
            birth_date=datetime.date(1949, 12, 31),
            id_number=second_id,
            joined_on=datetime.date(1980, 1, 1),
            phone=second_phone,
        )
        logging.getLogger("hongyin.test").warning("careless code logs %s and %s with password=%s", ID, PHONE, password)
    finally:
        for h, s in zip(handlers, old_streams, strict=True):
            h.setStream(s)
        root.setLevel(old_level)
        for lg, lvl in zip(loggers, old_levels, strict=True):
            lg.setLevel(lvl)
    written = stream.getvalue()
    assert "careless code logs" in written  # the capture works
    for secret in (ID, PHONE, second_id, second_phone, password):
        assert secret not in written, f"plaintext found in logs: {secret[:3]}…"
