"""/metrics: django-prometheus's request and database metrics plus Hongyin's, for the monitoring host only."""

import time
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from hongyin.accounts.models import User
from hongyin.appeals.selectors import appeal_list
from hongyin.appeals.sla import sla_sweep
from hongyin.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db


def scrape(client, **extra) -> dict[str, float]:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for s in family.samples:
            key = s.name + ("{" + ",".join(f"{k}={v}" for k, v in sorted(s.labels.items())) + "}" if s.labels else "")
            samples[key] = s.value
    return samples


def names(samples: dict) -> set[str]:
    return {key.split("{")[0] for key in samples}


def test_metrics_exports_requests_by_view_database_queries_and_hongyin_figures(client):
    client.get("/healthz")
    samples = scrape(client)
    found = names(samples)
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in found
    assert (
        samples["django_http_requests_total_by_view_transport_method_total{method=GET,transport=http,view=healthz}"]
        >= 1
    )
    assert "django_db_execute_total" in found and "django_db_query_duration_seconds_count" in found
    for name in (
        "hongyin_database_up",
        "hongyin_jobs_queued",
        "hongyin_jobs_queued_oldest_age_seconds",
        "hongyin_jobs_running_oldest_heartbeat_age_seconds",
        "hongyin_appeals_overdue",
        "hongyin_sla_sweep_last_run_timestamp_seconds",
        "hongyin_login_failures_total",
        "hongyin_login_lockouts_total",
    ):
        assert name in found, name
    assert samples["hongyin_database_up"] == 1


def test_a_scrape_reads_the_database_a_fixed_number_of_times(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        client.get("/metrics")


@pytest.mark.parametrize("address", ["10.0.0.8", "203.0.113.9"])
def test_metrics_look_missing_to_other_addresses(client, address):
    assert client.get("/metrics", REMOTE_ADDR=address).status_code == 404


@override_settings(HONGYIN_TRUSTED_PROXIES=["127.0.0.1"])
def test_metrics_through_the_proxy_count_the_real_client_not_nginx(client):
    assert client.get("/metrics", HTTP_X_REAL_IP="203.0.113.9").status_code == 404
    assert client.get("/metrics", HTTP_X_REAL_IP="127.0.0.1").status_code == 200


@override_settings(HONGYIN_METRICS_TOKEN="s3cret-token-for-prometheus", HONGYIN_METRICS_ALLOWED_IPS=[])
def test_metrics_with_the_bearer_token_from_anywhere(client):
    assert client.get("/metrics").status_code == 404  # loopback no longer allowed
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    ok = client.get("/metrics", REMOTE_ADDR="198.51.100.4", HTTP_AUTHORIZATION="Bearer s3cret-token-for-prometheus")
    assert ok.status_code == 200


def _value(name: str) -> float:
    return REGISTRY.get_sample_value(name) or 0.0


def test_login_failures_and_lockouts_are_counted_as_the_audit_records_them(client, settings):
    failures, lockouts = _value("hongyin_login_failures_total"), _value("hongyin_login_lockouts_total")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post("/accounts/login/", {"username": "zone_admin", "password": "wrong-password-1"})
    assert _value("hongyin_login_failures_total") - failures == settings.AXES_FAILURE_LIMIT + 1
    # the fifth failure locks the account, the sixth is refused on the locked account: two audit events auth.lockout
    assert _value("hongyin_login_lockouts_total") - lockouts == 2
    samples = scrape(client)
    assert samples["hongyin_login_lockouts_total"] == _value("hongyin_login_lockouts_total")


def test_job_queue_and_outcomes(client, demo):
    owner = User.objects.get(username="zone_admin")
    now = timezone.now()
    before = scrape(client)
    queued = Job.objects.create(kind="export", title="q", owner=owner)
    Job.objects.filter(pk=queued.pk).update(created_at=now - timedelta(minutes=20))
    Job.objects.create(
        kind="export", title="r", owner=owner, status=JobStatus.RUNNING, heartbeat_at=now - timedelta(minutes=10)
    )
    Job.objects.create(kind="import", title="f", owner=owner, status=JobStatus.FAILED)
    Job.objects.create(kind="import", title="s", owner=owner, status=JobStatus.SUCCEEDED)
    after = scrape(client)
    assert after["hongyin_jobs_queued"] == before["hongyin_jobs_queued"] + 1
    assert after["hongyin_jobs_queued_oldest_age_seconds"] >= 20 * 60
    assert after["hongyin_jobs_running_oldest_heartbeat_age_seconds"] >= 10 * 60
    failed = "hongyin_jobs_finished_total{kind=import,status=failed}"
    succeeded = "hongyin_jobs_finished_total{kind=import,status=succeeded}"
    assert after[failed] == before.get(failed, 0) + 1
    assert after[succeeded] == before.get(succeeded, 0) + 1


def test_overdue_appeals_agree_with_the_appeal_list_overdue_filter(client, demo):
    zone_admin = User.objects.get(username="zone_admin")
    expected = appeal_list(user=zone_admin, overdue=True).count()
    assert expected > 0, "the demo zone has overdue appeals"
    assert scrape(client)["hongyin_appeals_overdue"] == expected


def test_the_sla_sweep_timestamp_follows_its_last_run(client, demo):
    sla_sweep()
    assert abs(scrape(client)["hongyin_sla_sweep_last_run_timestamp_seconds"] - time.time()) < 60


def test_metrics_only_answers_get(client):
    assert client.post("/metrics").status_code == 405
