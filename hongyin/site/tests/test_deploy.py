"""The production files under deploy/: `make prod-check` passes (and fails on a broken file), and they agree with the
settings and the metrics they name."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
TOOLS = ("nginx", "systemd-analyze", "logrotate", "promtool", "openssl")


def _need_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        reason = f"{', '.join(missing)} absent (apt-get install nginx logrotate prometheus): make prod-check skipped"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}")
        pytest.skip(reason)


def _prod_check(steps: str | None = None, deploy: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PROMETHEUS_"))}
    if steps:
        env["PROD_CHECK_STEPS"] = steps
    if deploy:
        env["HONGYIN_DEPLOY_DIR"] = str(deploy)
    return subprocess.run(
        ["make", "--no-print-directory", "prod-check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_make_prod_check_passes():
    _need_tools()
    done = _prod_check()
    assert done.returncode == 0, done.stdout + done.stderr
    for tool in ("gunicorn --check-config", "systemd-analyze verify", "nginx -t", "logrotate", "promtool"):
        assert tool in done.stdout
    assert "all production files pass" in done.stdout


@pytest.mark.parametrize(
    ("path", "old", "new", "steps", "says"),
    [
        ("nginx/hongyin.conf", "client_max_body_size 25m;", "client_max_body_size 25 m;", "nginx", "nginx"),
        ("systemd/hongyin-web.service", "ProtectSystem=strict", "ProtectSytem=strict", "systemd", "Unknown key"),
        ("gunicorn.conf.py", "threads = int(", 'threads = "two" or int(', "gunicorn", "Invalid value for threads"),
        (
            "prometheus/alerts.yml",
            "expr: min(hongyin_database_up) == 0",
            "expr: min(hongyin_database_up ==",
            "promtool",
            "",
        ),
        ("logrotate/hongyin", "    daily\n", "    dialy\n", "logrotate", "unknown option"),
    ],
)
def test_make_prod_check_fails_on_a_broken_file(tmp_path, path, old, new, steps, says):
    _need_tools()
    broken = tmp_path / "deploy"
    shutil.copytree(DEPLOY, broken)
    text = (broken / path).read_text()
    assert old in text
    (broken / path).write_text(text.replace(old, new, 1))
    done = _prod_check(steps, broken)
    assert done.returncode != 0, done.stdout + done.stderr
    assert says in done.stdout + done.stderr


def test_nginx_takes_the_uploads_the_application_takes():
    site = (DEPLOY / "nginx" / "hongyin.conf").read_text()
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    assert settings.HONGYIN_UPLOAD_MAX_BYTES < megabytes * 1024 * 1024 <= 2 * settings.HONGYIN_UPLOAD_MAX_BYTES


def test_nginx_never_serves_uploaded_files_and_keeps_metrics_inside():
    site = (DEPLOY / "nginx" / "hongyin.conf").read_text()
    assert "/srv/hongyin/private" not in re.sub(r"#.*", "", site)
    assert "/srv/hongyin/media" not in re.sub(r"#.*", "", site)
    metrics = re.search(r"location = /metrics \{(.*?)\}", site, re.S).group(1)
    assert "deny all;" in metrics


def test_nginx_adds_only_the_headers_the_application_does_not_set_to_its_answers():
    """The app sets HSTS, CSP (with its nonce), X-Frame-Options, nosniff and Referrer-Policy itself: a proxied
    location that declared any of them would send it twice."""
    site = (DEPLOY / "nginx" / "hongyin.conf").read_text()
    app_sets = ("Strict-Transport-Security", "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options")
    for block in re.findall(r"location [^{]*\{[^}]*proxy_pass[^}]*\}", site):
        for header in app_sets:
            assert f"add_header {header}" not in block, block


def test_gunicorn_listens_on_the_loopback_only():
    conf = (DEPLOY / "gunicorn.conf.py").read_text()
    assert '"127.0.0.1:8001"' in conf
    assert "127.0.0.1:8001" in (DEPLOY / "nginx" / "hongyin.conf").read_text()


@pytest.mark.django_db
def test_every_metric_an_alert_names_is_exported(client):
    client.get("/healthz")  # so the request metrics have a sample
    exported = client.get("/metrics").content.decode()
    rules = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    named = set()
    for group in rules["groups"]:
        for rule in group["rules"]:
            named |= set(re.findall(r"\b((?:hongyin|django)_[a-z0-9_]+)", rule["expr"]))
    assert named, "the alerts name no metric"
    for name in sorted(named):
        family = re.sub(r"_(bucket|count|sum)$", "", name)  # a histogram's series belong to its family
        declared = re.search(rf"^# TYPE ({name}|{family}) ", exported, re.M)  # no sample before a first error
        assert declared or re.search(rf"^{name}[{{ ]", exported, re.M), f"{name} is not in /metrics"
