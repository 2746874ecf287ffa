"""gunicorn for Hongyin (deploy/systemd/hongyin-web.service runs it; `make prod-check` checks it).

Behind nginx on the loopback only: nginx terminates TLS, buffers slow clients and serves /static/ itself.
Numbers come from the environment (/etc/hongyin/env) so one file serves a park and a province."""

import multiprocessing
import os
from pathlib import Path

bind = os.environ.get("HONGYIN_BIND", "127.0.0.1:8001")  # never a public address: nginx is the front door
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("HONGYIN_WEB_THREADS", 2))
# A request that runs longer than this is killed (the worker restarts); nginx waits a little longer (75 s), so the
# visitor sees the themed 502 page rather than a hung connection. Long work belongs in a job.
timeout = int(os.environ.get("HONGYIN_WEB_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5  # below nginx's upstream keepalive_timeout
# Recycle workers now and then (a slow leak in a library never grows without bound); jitter avoids all at once.
max_requests = 2000
max_requests_jitter = 200
worker_tmp_dir = "/dev/shm"  # noqa: S108  heartbeat files on tmpfs (the unit has PrivateDevices): a slow disk never makes a worker look dead
forwarded_allow_ips = "127.0.0.1,::1"
limit_request_line = 8190
limit_request_fields = 100
accesslog = "-"  # journald keeps the access log (nginx has its own); errors go there too
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'  # no cookies or other headers
proc_name = "hongyin-web"

# systemd gives the unit /run/hongyin (RuntimeDirectory=hongyin): the control socket (gunicornc) lives there.
if os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = str(Path(os.environ["RUNTIME_DIRECTORY"].split(":")[0]) / "gunicorn.ctl")

# Prometheus multiprocess mode: every worker writes its counters to files in this folder and a scrape of any worker
# reads them all (hongyin/site/metrics.py). The unit sets it; it must exist before a worker imports prometheus_client.
PROMETHEUS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
if PROMETHEUS_DIR:
    Path(PROMETHEUS_DIR).mkdir(parents=True, exist_ok=True)


def on_starting(server):
    """A fresh start forgets the previous run's worker files (their counters would be counted again)."""
    if PROMETHEUS_DIR:
        for stale in Path(PROMETHEUS_DIR).glob("*.db"):
            stale.unlink(missing_ok=True)


def child_exit(server, worker):
    """A worker that exits leaves its counters (still summed) but its live gauges must go."""
    if PROMETHEUS_DIR:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """Load jieba's dictionary (about 2 s) before the worker takes requests, not in its first appeal or search."""
    import jieba

    jieba.initialize()
