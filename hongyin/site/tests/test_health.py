"""/healthz (alive) and /readyz (fit to serve): public, cheap, and each failing dependency named with a 503."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import override_settings
from django.utils import timezone

from hongyin.accounts.models import User
from hongyin.jobs.models import Job, JobStatus
from hongyin.site import health

pytestmark = pytest.mark.django_db


def test_healthz_is_alive_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_answers_200_with_every_check_when_all_pass(client, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path / "media", PRIVATE_MEDIA_ROOT=tmp_path / "private"):
        response = client.get("/readyz")  # anonymous: no redirect to the login page
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "migrations", "jobs", "disk"}
    assert all(check["ok"] for check in body["checks"].values())
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def _failed(client) -> tuple[dict, list]:
    response = client.get("/readyz")
    assert response.status_code == 503, response.content
    body = response.json()
    assert body["status"] == "unavailable"
    return body, body["failed"]


class _DownConnection:
    """Stands in for the database connection in the health module only: every cursor fails as a dead server's."""

    def cursor(self):
        raise OperationalError('connection to server at "10.9.8.7", port 5432 failed: password for user "hongyin"')

    def __getattr__(self, name):
        return getattr(connection, name)


def test_readyz_503_when_the_database_is_down_and_the_reason_stays_in_the_log(client, caplog):
    with mock.patch.object(health, "connection", _DownConnection()):
        body, failed = _failed(client)
    assert "database" in failed
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    text = str(body)
    assert "10.9.8.7" not in text and "hongyin" not in text  # no host, no user name in a public answer
    assert "10.9.8.7" in caplog.text


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")  # a closed port
def test_readyz_503_when_redis_is_configured_and_down(client):
    body, failed = _failed(client)
    assert failed == ["redis"]
    assert body["checks"]["redis"]["ok"] is False


def test_readyz_checks_a_live_redis_when_configured(client):
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    with override_settings(REDIS_URL="redis://127.0.0.1:6379/0"):
        response = client.get("/readyz")
    assert response.json()["checks"]["redis"] == {"ok": True, "configured": True}


def test_readyz_503_when_a_migration_is_not_applied(client):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'jobs' AND name = '0002_job_heartbeat'")
    body, failed = _failed(client)
    assert failed == ["migrations"]
    assert body["checks"]["migrations"]["unapplied"] >= 1


@override_settings(HONGYIN_READY_QUEUE_MAX_AGE_SECONDS=3600)
def test_readyz_503_when_the_oldest_queued_job_waits_too_long(client, demo):
    owner = User.objects.get(username="zone_admin")
    job = Job.objects.create(kind="export", title="t", owner=owner, status=JobStatus.QUEUED)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=2))
    body, failed = _failed(client)
    assert failed == ["jobs"]
    assert body["checks"]["jobs"]["queued"] >= 1
    assert body["checks"]["jobs"]["oldest_queued_seconds"] >= 7200
    with override_settings(HONGYIN_READY_QUEUE_MAX_AGE_SECONDS=0):  # 0: the queue's age never fails readiness
        assert client.get("/readyz").status_code == 200


def test_readyz_503_when_the_disk_for_uploads_is_short(client, tmp_path):
    with override_settings(
        MEDIA_ROOT=tmp_path / "media",
        PRIVATE_MEDIA_ROOT=tmp_path / "private" / "not-yet-made",
        HONGYIN_READY_MIN_FREE_MB=10**9,
    ):
        body, failed = _failed(client)
    assert failed == ["disk"]
    assert body["checks"]["disk"]["private"]["ok"] is False
    assert str(tmp_path) not in str(body)


def test_readyz_only_answers_get(client):
    assert client.post("/readyz").status_code == 405
