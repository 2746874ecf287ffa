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


@pytest.mark.postgres
def test_postgresql_trigger_lets_only_the_sealing_through():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only (SQLite relies on the hash chain)")
    from django.db import DatabaseError, transaction

    event = audit.record(action="test.pg_seal")  # unsealed: the test's transaction never commits
    rows = AuditEvent.objects.filter(pk=event.pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        rows.update(action="forged")  # an unsealed event cannot be edited either
    with pytest.raises(DatabaseError), transaction.atomic():
        rows.update(seq=10**12, prev_hash="a" * 64, hash="b" * 64, action="forged")  # sealing changes nothing else
    assert audit.seal_pending() >= 1 and rows.get().seq is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        rows.update(seq=10**12, prev_hash="a" * 64, hash="b" * 64)  # sealed once, never again
    assert audit.verify_chain()[1] is None


def test_audit_admin_searches_by_actor_action_object_org_and_time(as_user, demo):
    audit.record(action="test.org_event", org=demo.chain, details={})
    client = as_user("audit_admin")
    page = client.get(reverse("audit:list"), {"action": "test.org_event", "org": demo.chain.name[:4]})
    row = 'title="test.org_event"'  # the label shows; the code is the cell's title
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


def test_export_labels_each_code_in_the_readers_language_and_keeps_the_code(as_user):
    from django.conf import settings

    audit.record(action="auth.otp_verify", actor_name="export-label-probe")
    client = as_user("audit_admin")
    for language, label, header, result in (
        ("zh-hans", "双因素认证通过", "操作代码", "成功"),
        ("en", None, None, None),
    ):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(reverse("audit:export"), {"action": "auth.otp_verify"})
        rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
        rows = rows.get_sheet_by_index(0).to_python()
        head, row = rows[1], next(r for r in rows[2:] if r[2] == "export-label-probe")
        action, code = head.index("操作" if language != "en" else "Action"), row.index("auth.otp_verify")
        assert code == action + 1
        if language == "en":
            assert row[action] == "Second factor verified" and "Action code" in head
            assert "Success" in row
        else:
            assert row[action] == label and header in head and result in row


def test_events_are_inserted_unsealed_and_sealed_after_commit(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        first = audit.record(action="test.seal", details={"i": 1})
        second = audit.record(action="test.seal", details={"i": 2})
        assert AuditEvent.objects.get(pk=first.pk).seq is None  # no lock, no hash inside the business transaction
    assert len(callbacks) == 1  # one sealing per transaction, not one per event
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.seq == first.seq + 1 and second.prev_hash == first.hash
    assert audit.chain_hash(first.prev_hash, first) == first.hash
    assert audit.verify_chain()[1] is None and audit.unsealed_count() == 0


def test_a_rolled_back_transaction_leaves_no_event_and_verify_seals_what_is_pending():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(action="test.rolled_back")
        raise RuntimeError("the write failed")
    assert not AuditEvent.objects.filter(action="test.rolled_back").exists()
    pending = audit.record(action="test.pending")  # the test's transaction never commits: still unsealed
    assert AuditEvent.objects.get(pk=pending.pk).seq is None and audit.unsealed_count() >= 1
    out = io.StringIO()
    call_command("audit_verify", stdout=out)  # seals first, then verifies
    assert "audit chain OK" in out.getvalue()
    assert AuditEvent.objects.get(pk=pending.pk).seq is not None and audit.unsealed_count() == 0


def test_a_sealed_row_taken_out_of_the_chain_is_detected():
    events = _events(3)
    assert audit.verify_chain()[1] is None
    _as_intruder()
    AuditEvent.objects.filter(pk=events[2].pk).update(seq=None)
    assert audit.verify_chain()[1].pk == events[2].pk


def _in_thread(func, *, timeout: float = 15.0):
    """Run `func` in a thread of its own, hence on a database connection of its own (committed work)."""
    import threading

    from django.db import connections

    out: dict = {}

    def run():
        try:
            out["value"] = func()
        except BaseException as exc:  # handed to the test thread
            out["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    return thread, out


@pytest.mark.postgres
def test_a_long_transaction_with_audit_events_does_not_hold_up_another_audited_write():
    """A 50,000-row import records its events inside one long transaction; an audited write elsewhere must not
    queue behind it (it did while `record` took the chain lock), and after both commit the chain verifies."""
    if connection.vendor != "postgresql":
        pytest.skip("needs two PostgreSQL connections (set DATABASE_URL=postgres://...; CI does)")
    import threading
    import time

    from django.db import transaction

    recorded, release = threading.Event(), threading.Event()

    def big_import():
        with transaction.atomic():
            ids = [audit.record(action="test.import_row", details={"row": i}).pk for i in range(300)]
            recorded.set()
            release.wait(20)  # the import's transaction stays open
        return ids

    def audited_write():
        started = time.monotonic()
        with transaction.atomic():
            event = audit.record(action="test.concurrent_write")
        return event.pk, time.monotonic() - started

    importer_out: dict = {}
    importer = threading.Thread(target=lambda: importer_out.update(zip(("thread", "out"), _in_thread(big_import))))
    importer.start()
    try:
        assert recorded.wait(15), "the import did not start"
        writer, writer_out = _in_thread(audited_write, timeout=5)
        blocked = writer.is_alive()
    finally:
        release.set()
        importer.join(30)
    if blocked:
        writer.join(30)
    assert not blocked, f"the audited write waited for the import's transaction: {writer_out.get('value')}"
    assert "error" not in writer_out and "error" not in importer_out["out"], (writer_out, importer_out)
    write_id, waited = writer_out["value"]
    print(f"audit: concurrent audited write took {waited:.3f}s while an import held 300 unsealed events open")
    assert waited < 1.0
    import_ids = importer_out["out"]["value"]

    def check():
        checked, broken = audit.verify_chain()
        seqs = dict(AuditEvent.objects.filter(pk__in=[write_id, *import_ids]).values_list("pk", "seq"))
        return checked, broken, seqs, audit.unsealed_count()

    _thread, result = _in_thread(check)
    try:
        assert "error" not in result, result
        checked, broken, seqs, unsealed = result["value"]
        assert broken is None and unsealed == 0 and checked >= 301
        # the import's events have lower ids but committed later: they come after the write in the chain
        assert write_id > max(import_ids) and seqs[write_id] < min(seqs[i] for i in import_ids)
        assert sorted(seqs[i] for i in import_ids) == [seqs[i] for i in import_ids]
    finally:

        def cleanup():  # the committed rows are the end of the chain: take them off the way an archive does
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL hongyin.audit_archive = 'on'")
                AuditEvent.objects.filter(pk__in=[write_id, *import_ids])._raw_delete(connection.alias)

        _in_thread(cleanup)
