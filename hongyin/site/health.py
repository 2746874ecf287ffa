"""Readiness: can this process serve? The database answers, Redis answers (when configured), every migration is
applied, the job queue moves, and the disks for uploaded files have room.

Each check returns a small dict with "ok"; nothing in it names a host, a user or a path, because /readyz is public
(the reason of a failure goes to the log)."""

import logging
import os
import shutil
import time
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from hongyin.jobs.models import Job, JobStatus

log = logging.getLogger("hongyin.health")


def _failed(check: str, exc: Exception) -> dict:
    log.warning("readiness check %s failed: %s", check, exc, exc_info=exc)
    return {"ok": False, "error": type(exc).__name__}


def check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return _failed("database", exc)
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def check_redis() -> dict:
    url = settings.REDIS_URL
    if not url:
        return {"ok": True, "configured": False}
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except Exception as exc:
        return _failed("redis", exc)
    finally:
        client.close()
    return {"ok": True, "configured": True}


def check_migrations() -> dict:
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return _failed("migrations", exc)
    return {"ok": not plan, "unapplied": len(plan)}


def job_queue() -> dict:
    """Queued jobs (how many, how long the oldest has waited) and running ones (the oldest heartbeat): one query."""
    now = timezone.now()
    row = Job.objects.aggregate(
        queued=Count("id", filter=Q(status=JobStatus.QUEUED)),
        oldest_queued=Min("created_at", filter=Q(status=JobStatus.QUEUED)),
        running=Count("id", filter=Q(status=JobStatus.RUNNING)),
        oldest_beat=Min(Coalesce("heartbeat_at", "started_at"), filter=Q(status=JobStatus.RUNNING)),
    )

    def age(at) -> float:
        return max((now - at).total_seconds(), 0.0) if at else 0.0

    return {
        "queued": row["queued"],
        "oldest_queued_seconds": round(age(row["oldest_queued"])),
        "running": row["running"],
        "oldest_heartbeat_seconds": round(age(row["oldest_beat"])),
    }


def check_jobs() -> dict:
    """Fails when the oldest queued job has waited longer than HONGYIN_READY_QUEUE_MAX_AGE_SECONDS (0: never):
    no worker is taking jobs, so imports, exports and the SLA sweep stand still."""
    try:
        queue = job_queue()
    except Exception as exc:
        return _failed("jobs", exc)
    limit = settings.HONGYIN_READY_QUEUE_MAX_AGE_SECONDS
    return {"ok": not limit or queue["oldest_queued_seconds"] <= limit, **queue}


def _existing(path: Path) -> Path:
    """The folder itself or, before the first upload created it, its nearest existing parent."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_disk() -> dict:
    """The folders for uploaded files (public and private) are writable and have HONGYIN_READY_MIN_FREE_MB left."""
    need = settings.HONGYIN_READY_MIN_FREE_MB * 1024 * 1024
    result = {"ok": True}
    for key, root in (("media", settings.MEDIA_ROOT), ("private", settings.PRIVATE_MEDIA_ROOT)):
        try:
            folder = _existing(Path(root))
            free = shutil.disk_usage(folder).free
            writable = os.access(folder, os.W_OK)
        except Exception as exc:
            return _failed("disk", exc)
        ok = writable and free >= need
        result[key] = {"ok": ok, "free_mb": free // (1024 * 1024), "writable": writable}
        result["ok"] = result["ok"] and ok
    return result


CHECKS = {
    "database": check_database,
    "redis": check_redis,
    "migrations": check_migrations,
    "jobs": check_jobs,
    "disk": check_disk,
}


def readiness() -> tuple[bool, dict]:
    checks = {name: check() for name, check in CHECKS.items()}
    return all(c["ok"] for c in checks.values()), checks
