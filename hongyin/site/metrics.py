"""Prometheus metrics: django-prometheus's (requests by view, database queries) plus Hongyin's own.

- Counted as they happen, in the web process: sign-in failures and lockouts (the same signals the login view's
  audit events follow: Django's `user_login_failed`, axes' `user_locked_out`).
- Read from the database at scrape time (`HongyinCollector`), so every web process and every worker machine agrees:
  the job queue (depth, oldest waiting, oldest heartbeat of a running job), finished jobs by kind and outcome,
  overdue appeals, and when the SLA sweep last ran.

Under gunicorn, PROMETHEUS_MULTIPROC_DIR makes the counters multiprocess (deploy/gunicorn.conf.py); a scrape then
reads every worker's files (`scrape_registry`)."""

import logging
import os

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.db.models import Count, Max
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from prometheus_client import REGISTRY as DEFAULT_REGISTRY
from prometheus_client import CollectorRegistry, Counter, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from hongyin.appeals.models import OPEN_STATUSES, Appeal
from hongyin.audit.models import AuditEvent
from hongyin.jobs.models import Job, JobStatus

from .health import job_queue

log = logging.getLogger("hongyin.metrics")

LOGIN_FAILURES = Counter("hongyin_login_failures", "Sign-ins refused (wrong credentials or a locked account).")
LOGIN_LOCKOUTS = Counter("hongyin_login_lockouts", "Sign-ins refused because the account is (or just became) locked.")


def _login_failed(sender, credentials=None, request=None, **kwargs) -> None:
    LOGIN_FAILURES.inc()


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    LOGIN_LOCKOUTS.inc()


def connect_signals() -> None:
    user_login_failed.connect(_login_failed, dispatch_uid="hongyin.metrics.login_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="hongyin.metrics.locked_out")


def overdue_appeals():
    """The zone's overdue appeals: open, deadline passed (the appeal list's and the SLA sweep's `overdue`)."""
    return Appeal.objects.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())


class HongyinCollector:
    """Figures read from the database when Prometheus scrapes (four small queries, indexed or on small tables)."""

    def collect(self):
        try:
            families = list(self._families())
        except Exception as exc:  # the database is down: the process metrics still answer, and say so
            log.warning("metrics: database figures unavailable: %s", exc)
            families = []
        up = GaugeMetricFamily("hongyin_database_up", "1 when the scrape could read the database's figures.")
        up.add_metric([], 1 if families else 0)
        yield up
        yield from families
        pending = self._huey_pending()
        if pending is not None:
            yield pending

    def _families(self):
        queue = job_queue()
        yield _gauge("hongyin_jobs_queued", "Background jobs waiting for a worker.", queue["queued"])
        yield _gauge(
            "hongyin_jobs_queued_oldest_age_seconds",
            "How long the oldest queued job has waited (0 when none).",
            queue["oldest_queued_seconds"],
        )
        yield _gauge("hongyin_jobs_running", "Background jobs running now.", queue["running"])
        yield _gauge(
            "hongyin_jobs_running_oldest_heartbeat_age_seconds",
            "Age of the oldest heartbeat among running jobs (0 when none); a dead worker's job grows old.",
            queue["oldest_heartbeat_seconds"],
        )
        finished = CounterMetricFamily(
            "hongyin_jobs_finished", "Background jobs finished, by kind and outcome.", labels=["kind", "status"]
        )
        rows = (
            Job.objects.filter(status__in=(JobStatus.SUCCEEDED, JobStatus.FAILED))
            .values("kind", "status")
            .annotate(n=Count("id"))
            .values_list("kind", "status", "n")
            .order_by()
        )
        for kind, status, n in rows:
            finished.add_metric([kind, status], n)
        yield finished
        yield _gauge(
            "hongyin_appeals_overdue", "Open appeals past their deadline, zone-wide.", overdue_appeals().count()
        )
        last = AuditEvent.objects.filter(action="appeal.sla_sweep").aggregate(at=Max("at"))["at"]
        yield _gauge(
            "hongyin_sla_sweep_last_run_timestamp_seconds",
            "When the appeals' SLA sweep last finished (Unix time; 0 if it never ran).",
            last.timestamp() if last else 0,
        )

    def _huey_pending(self):
        try:
            n = HUEY.pending_count()
        except Exception as exc:
            log.warning("metrics: huey queue unavailable: %s", exc)
            return None
        return _gauge("hongyin_huey_pending_tasks", "Tasks in huey's queue (jobs, periodic tasks) not yet taken.", n)


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation)
    family.add_metric([], value)
    return family


class _ThisProcess:
    """The default registry (process, platform and every metric of this process) as one collector."""

    def collect(self):
        return DEFAULT_REGISTRY.collect()


def scrape_registry() -> CollectorRegistry:
    """What one scrape answers: every gunicorn worker's metrics in multiprocess mode (this process's otherwise),
    and Hongyin's figures read now."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(HongyinCollector())
    return registry
