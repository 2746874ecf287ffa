"""The one way to record an audit event. Every service calls `record` inside its own transaction."""

import datetime
import json
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from hongyin.common.crypto import sm3_hex
from hongyin.common.request_context import client_ip

from .models import AuditEvent, AuditResult

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x4859_4155  # "HYAU": serializes the chain on PostgreSQL


def canonical(event: AuditEvent) -> bytes:
    body = {
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "ip": event.ip,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "org": event.org_id,
        "result": event.result,
        "details": event.details,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def chain_hash(prev_hash: str, event: AuditEvent) -> str:
    return sm3_hex(prev_hash.encode() + canonical(event))


def record(
    *,
    actor=None,
    action: str,
    obj: Any = None,
    org: Any = None,
    result: str = AuditResult.SUCCESS,
    details: dict | None = None,
    actor_name: str = "",
) -> AuditEvent:
    """Append one event. Call it inside the transaction of the write it describes: the event commits or rolls back
    with it. It is inserted unsealed (no lock, no read of the chain's end) and sealed when that transaction
    commits (`seal_pending`), so a long import never makes another zone's audited write wait."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    event = AuditEvent(
        at=timezone.now(),
        actor=actor,
        actor_name=actor_name or (actor.get_username() if actor else ""),
        ip=client_ip(),
        action=action,
        object_type=obj._meta.label_lower if obj is not None and hasattr(obj, "_meta") else "",
        object_id=str(obj.pk) if obj is not None and getattr(obj, "pk", None) is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        org=org,
        org_path=getattr(org, "path", "") or "",
        result=result,
        details=json.loads(json.dumps(details or {}, ensure_ascii=False, default=str)),
    )
    event.save(force_insert=True)
    _seal_on_commit()
    return event


def _seal_on_commit() -> None:
    """Once per transaction (not once per event of a 50,000-row import): seal after the commit."""
    conn = transaction.get_connection()
    if conn.in_atomic_block and any(entry[1] is _seal_after_commit for entry in conn.run_on_commit):
        return
    transaction.on_commit(_seal_after_commit, robust=True)


def _seal_after_commit() -> None:
    seal_pending(wait=False)


SEAL_BATCH = 1000


def seal_pending(*, wait: bool = True, batch: int = SEAL_BATCH) -> int:
    """Give every committed unsealed event its place in the chain, in commit order; returns how many were sealed.

    Each batch is one short transaction holding the chain lock (an advisory lock on PostgreSQL; SQLite has one
    writer anyway). An event committed late (a lower id, a long transaction) simply takes the next `seq`.
    With wait=False (after a commit) a busy lock means another sealer is at work: it looks again after its own
    commit, so it sees the events this caller committed before asking."""
    sealed = idle = 0
    while True:
        count = _seal_batch(wait=wait, batch=batch)
        if count is None:
            return sealed
        sealed += count
        if count < batch and not AuditEvent.objects.filter(seq__isnull=True, hash="").exists():
            return sealed
        idle = idle + 1 if count == 0 else 0
        if idle > 3:
            return sealed


def _chain_end() -> tuple[int, str]:
    from .models import AuditCheckpoint

    last = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
    if last is not None:
        return last
    # the first event, or the first after an archive: continue from the checkpoint
    checkpoint = AuditCheckpoint.objects.order_by("-last_seq").values_list("last_seq", "last_hash").first()
    return checkpoint or (0, GENESIS)


def _seal_batch(*, wait: bool, batch: int) -> int | None:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if wait:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
                else:
                    cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
                    if not cursor.fetchone()[0]:
                        return None
        rows = list(AuditEvent.objects.filter(seq__isnull=True, hash="").order_by("id")[:batch])
        if not rows:
            return 0
        seq, prev = _chain_end()
        for event in rows:
            seq += 1
            event.seq, event.prev_hash = seq, prev
            event.hash = prev = chain_hash(prev, event)
        AuditEvent.objects.bulk_update(rows, ["seq", "prev_hash", "hash"], batch_size=500)
        return len(rows)


def unsealed_count() -> int:
    """Committed events not sealed yet (recorded while the last sealing ran); the next sealing takes them."""
    return AuditEvent.objects.filter(seq__isnull=True, hash="").count()


def verify_chain(*, batch: int = 5000, seal: bool = True) -> tuple[int, AuditEvent | None]:
    """Seal what is committed, then walk the chain in seq order from the last archive checkpoint (or the genesis).

    Returns (events checked, first broken event or None). A row carrying a hash but no place in the chain is a
    break too; events committed after the sealing are reported by `unsealed_count`, not as breaks."""
    from .models import AuditCheckpoint

    if seal:
        seal_pending()
    checkpoint = AuditCheckpoint.objects.order_by("-last_seq").first()
    prev = checkpoint.last_hash if checkpoint else GENESIS
    checked = 0
    last_seq = checkpoint.last_seq if checkpoint else 0
    while True:
        rows = list(AuditEvent.objects.filter(seq__gt=last_seq).order_by("seq")[:batch])
        if not rows:
            break
        for event in rows:
            if event.prev_hash != prev or chain_hash(prev, event) != event.hash:
                return checked, event
            prev = event.hash
            checked += 1
            last_seq = event.seq
    stray = AuditEvent.objects.filter(seq__isnull=True).exclude(hash="", prev_hash="").order_by("id").first()
    return checked, stray


Masker = Callable[[Any], str]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return str(value)


def diff(before: dict | None, after: dict | None, *, masked: dict[str, Masker] | None = None) -> dict:
    """Field-level before/after for the `details` of an audit event: only changed fields, personal data masked.

    `audit.diff(snapshot(member), {...}, masked={"id_number": mask_id_number, "phone": mask_phone})`
    gives {"changes": {"phone": {"before": "180****1999", "after": "139****0000"}}}. A masked field whose value
    changed but masks the same says so with "changed": true, so the fact of a change is never lost.
    """
    before, after, masked = before or {}, after or {}, masked or {}
    changes = {}
    for key in sorted(set(before) | set(after)):
        old, new = _plain(before.get(key)), _plain(after.get(key))
        if old == new:
            continue
        if key in masked:
            entry = {
                "before": masked[key](old) if old not in (None, "") else old,
                "after": masked[key](new) if new not in (None, "") else new,
            }
            if entry["before"] == entry["after"]:
                entry["changed"] = True
        else:
            entry = {"before": old, "after": new}
        changes[key] = entry
    return {"changes": changes}


def snapshot(obj, fields: list[str] | None = None) -> dict:
    """Field values of a model instance (foreign keys as ids), for `diff`."""
    if fields is not None:
        return {name: getattr(obj, name) for name in fields}
    return {f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def event_body(event: AuditEvent) -> dict:
    """Every stored column of an event, for archive files and exports."""
    body = json.loads(canonical(event))
    body.update(
        {"id": event.id, "seq": event.seq, "org_path": event.org_path, "prev_hash": event.prev_hash, "hash": event.hash}
    )
    return body


def archive_before(*, cutoff: datetime.datetime, directory: Path, actor=None) -> Any:
    """Move the events older than `cutoff` to a JSON-lines file and leave a checkpoint; never a silent deletion.

    The chain is verified first (a broken chain is not archived); the file is written and fsynced before any row
    is removed; the act itself is audited.
    """
    from .models import AuditCheckpoint

    _checked, broken = verify_chain()
    if broken is not None:
        raise ValueError(f"audit chain broken at event #{broken.pk}; refusing to archive")
    with transaction.atomic():
        if connection.vendor == "postgresql":  # the chain holds still while it is cut
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        sealed = AuditEvent.objects.filter(seq__isnull=False)
        last = sealed.filter(at__lt=cutoff).order_by("seq").last()
        if last is None:
            return None
        # archive a contiguous prefix of the chain only
        rows = list(sealed.filter(seq__lte=last.seq).order_by("seq"))
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"audit-{rows[0].id}-{rows[-1].id}-{timezone.now():%Y%m%d%H%M%S}.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for event in rows:
                fh.write(json.dumps(event_body(event), ensure_ascii=False, sort_keys=True) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        digest = sm3_hex(path.read_bytes())
        checkpoint = AuditCheckpoint.objects.create(
            last_event_id=rows[-1].id,
            last_seq=rows[-1].seq,
            last_hash=rows[-1].hash,
            first_prev_hash=rows[0].prev_hash,
            events=len(rows),
            file=str(path),
            file_sm3=digest,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL hongyin.audit_archive = 'on'")
        sealed.filter(seq__lte=rows[-1].seq)._raw_delete(AuditEvent.objects.db)
        record(
            actor=actor,
            action="audit.archive",
            details={"events": len(rows), "last_event_id": rows[-1].id, "file": path.name, "sm3": digest},
        )
        return checkpoint


def verify_archive_file(path: Path, *, expected_sm3: str | None = None) -> tuple[int, int | None]:
    """Re-check an archive file's own chain. Returns (rows checked, id of the first broken row or None)."""
    data = Path(path).read_bytes()
    if expected_sm3 and sm3_hex(data) != expected_sm3:
        return 0, -1
    checked, prev = 0, None
    for line in data.decode("utf-8").splitlines():
        row = json.loads(line)
        event = AuditEvent(
            at=datetime.datetime.fromisoformat(row["at"]),
            actor_id=row["actor"],
            actor_name=row["actor_name"],
            ip=row["ip"],
            action=row["action"],
            object_type=row["object_type"],
            object_id=row["object_id"],
            object_repr=row["object_repr"],
            org_id=row["org"],
            result=row["result"],
            details=row["details"],
        )
        if (prev is not None and row["prev_hash"] != prev) or chain_hash(row["prev_hash"], event) != row["hash"]:
            return checked, row["id"]
        prev = row["hash"]
        checked += 1
    return checked, None
