"""The one way to record an audit event. Every service calls `record` inside its own transaction."""

import json
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
    """Append one event to the chain. Call it inside the transaction of the write it describes."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
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
            prev_hash=last or GENESIS,
        )
        event.hash = chain_hash(event.prev_hash, event)
        event.save(force_insert=True)
        return event


def verify_chain(*, batch: int = 5000) -> tuple[int, AuditEvent | None]:
    """Walk the chain in id order. Returns (events checked, first broken event or None)."""
    prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return checked, None
        for event in rows:
            if event.prev_hash != prev or chain_hash(prev, event) != event.hash:
                return checked, event
            prev = event.hash
            checked += 1
            last_id = event.id
