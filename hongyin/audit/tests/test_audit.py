"""Tamper-evident audit: chain verification, field diffs with masking, archive with checkpoint, pages, export."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from hongyin.audit import services as audit
from hongyin.audit.models import AuditCheckpoint, AuditEvent
from hongyin.common.fields import mask_id_number, mask_phone

pytestmark = pytest.mark.django_db

TAMPER = {
    "at": lambda e: e.at - timedelta(seconds=1),
    "actor_name": lambda e: e.actor_name + "x",
    "ip": lambda e: "10.9.9.9",
    "action": lambda e: e.action + ".x",
    "object_type": lambda e: "x.y",
    "object_id": lambda e: "999999",
    "object_repr": lambda e: "forged",
    "org_id": lambda e: (e.org_id or 0) + 1,
    "actor_id": lambda e: (e.actor_id or 0) + 1,
    "result": lambda e: "failure" if e.result != "failure" else "success",
    "details": lambda e: {**e.details, "forged": True},
    "prev_hash": lambda e: "f" * 64,
    "hash": lambda e: "e" * 64,
}


def _events(n=5):
    return [audit.record(action="test.event", details={"i": i}) for i in range(n)]


def _as_intruder():
    """An intruder with the database owner's rights switches the append-only trigger off (PostgreSQL);
    the statement is rolled back with the test's transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")


def test_the_chain_verifies_and_every_altered_field_is_detected():
    events = _events()
    _as_intruder()
    checked, broken = audit.verify_chain()
    assert broken is None and checked == AuditEvent.objects.count()
    target = events[2]
    detected = 0
    for field, change in TAMPER.items():
        original = AuditEvent.objects.get(pk=target.pk)
        AuditEvent.objects.filter(pk=target.pk).update(**{field: change(original)})
        _checked, broken = audit.verify_chain()
        if broken is not None and broken.pk == target.pk:
            detected += 1
        AuditEvent.objects.filter(pk=target.pk).update(**{field: getattr(original, field)})
    assert detected == len(TAMPER), f"altered fields detected: {detected}/{len(TAMPER)}"
    print(f"audit tamper: altered fields detected {detected}/{len(TAMPER)}")
    assert audit.verify_chain()[1] is None


def test_a_deleted_row_is_detected_and_audit_verify_names_it():
    events = _events()
    call_command("audit_verify", stdout=io.StringIO())
    _as_intruder()
    AuditEvent.objects.filter(pk=events[1].pk)._raw_delete(connection.alias)
    with pytest.raises(CommandError) as info:
        call_command("audit_verify", stdout=io.StringIO())
    assert f"first broken link: event #{events[2].pk}" in str(info.value)


def test_diff_keeps_only_changes_and_masks_personal_data():
    before = {"name": "张三", "id_number": "11010519491231002X", "phone": "18012341999", "branch": 3}
    after = {"name": "张三", "id_number": "110105194912310038", "phone": "13912340000", "branch": 4}
    d = audit.diff(before, after, masked={"id_number": mask_id_number, "phone": mask_phone})
    assert set(d["changes"]) == {"id_number", "phone", "branch"}
    assert d["changes"]["phone"] == {"before": "180****1999", "after": "139****0000"}
    assert d["changes"]["branch"] == {"before": 3, "after": 4}
    text = str(d)
    for secret in ("11010519491231002X", "110105194912310038", "18012341999", "13912340000"):
        assert secret not in text
    same_mask = audit.diff({"phone": "18011111999"}, {"phone": "18022221999"}, masked={"phone": mask_phone})
    assert same_mask["changes"]["phone"]["changed"] is True
    event = audit.record(action="test.update", details=d)
    assert audit.verify_chain()[1] is None and event.details["changes"]["branch"]["after"] == 4


def test_archive_moves_old_events_to_a_file_and_the_chain_still_verifies(tmp_path):
    old = _events(3)
    assert old[-1].pk == AuditEvent.objects.order_by("-id").first().pk
    with pytest.raises(CommandError):
        call_command("audit_archive", days=30, dir=str(tmp_path), stdout=io.StringIO())
    total = AuditEvent.objects.count()
    checkpoint = audit.archive_before(cutoff=timezone.now() + timedelta(seconds=1), directory=tmp_path)
    assert checkpoint is not None and checkpoint.events == total
    assert AuditEvent.objects.filter(pk__lte=checkpoint.last_event_id).count() == 0
    assert AuditEvent.objects.filter(action="audit.archive").count() == 1  # the act itself is audited
    checked, broken = audit.verify_chain()
    assert broken is None and checked == 1
    rows, file_broken = audit.verify_archive_file(
        tmp_path / checkpoint.file.split("/")[-1], expected_sm3=checkpoint.file_sm3
    )
    assert file_broken is None and rows == total
    out = io.StringIO()
    call_command("audit_verify", archives=True, stdout=out)
    assert "events OK" in out.getvalue() and "audit chain OK" in out.getvalue()
    # tampering with the archive file is detected too
    path = tmp_path / checkpoint.file.split("/")[-1]
    path.write_text(path.read_text(encoding="utf-8").replace("test.event", "test.evenX", 1), encoding="utf-8")
    assert audit.verify_archive_file(path, expected_sm3=checkpoint.file_sm3)[1] == -1
    assert audit.verify_archive_file(path)[1] is not None
    assert AuditCheckpoint.objects.count() == 1


@override_settings(HONGYIN_AUDIT_RETENTION_DAYS=90)
def test_retention_below_180_days_is_a_system_check_error():
    from hongyin.audit.apps import retention_check

    errors = retention_check(None)
    assert errors and errors[0].id == "hongyin.E001"


@pytest.mark.postgres
def test_postgresql_trigger_refuses_update_and_delete():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only (SQLite relies on the hash chain)")
    from django.db import DatabaseError, transaction

    event = audit.record(action="test.pg")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_audit_admin_searches_by_actor_action_object_org_and_time(as_user, demo):
    audit.record(action="test.org_event", org=demo.chain, details={})
    client = as_user("audit_admin")
    page = client.get(reverse("audit:list"), {"action": "test.org_event", "org": demo.chain.name[:4]})
    row = "<code>test.org_event</code>"
    assert page.status_code == 200 and row in page.content.decode()
    none = client.get(reverse("audit:list"), {"action": "test.org_event", "org": "不存在的组织"})
    assert row not in none.content.decode()
    today = timezone.localdate().isoformat()
    assert row in client.get(reverse("audit:list"), {"since": today, "until": today}).content.decode()
    assert row not in client.get(reverse("audit:list"), {"until": "2000-01-01"}).content.decode()
    assert row in client.get(reverse("audit:list"), {"actor": "", "object": ""}).content.decode()
    assert client.get(reverse("audit:list"), {"since": "not-a-date"}).status_code == 200
    event = AuditEvent.objects.filter(action="test.org_event").first()
    detail = client.get(reverse("audit:detail", args=[event.pk]))
    assert detail.status_code == 200 and event.hash in detail.content.decode()


def test_export_is_watermarked_audited_and_only_for_the_audit_admin(as_user):
    audit.record(action="test.export_me", details={"x": "=1+1"}, actor_name="=HYPERLINK()")
    client = as_user("audit_admin")
    response = client.get(reverse("audit:export"), {"action": "test.export_me"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_index(0).to_python()
    assert "导出人" in rows[0][0] and "audit_admin" in rows[0][0]
    assert rows[2][2] == "'=HYPERLINK()"  # formula neutralized
    assert AuditEvent.objects.filter(action="audit.export", actor_name="audit_admin").exists()
    for other in ("system_admin", "security_admin", "zone_admin"):
        assert as_user(other).get(reverse("audit:export")).status_code == 403
        assert as_user(other).get(reverse("audit:list")).status_code == 403
