"""Web hardening: deploy check, security headers, rate limits (429), uploads checked by content."""

import io
import os
import secrets
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from hongyin.common.errors import DomainError
from hongyin.common.uploads import Attachment, attachment_response, attachment_save

ROOT = Path(__file__).resolve().parents[2]


def test_deploy_check_passes_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "HONGYIN_FIELD_KEY": "3:" + secrets.token_hex(16),
        "DATABASE_URL": "sqlite:////tmp/hongyin-deploy-check.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    print("deploy check: warnings 0")


def test_production_refuses_the_demo_keys():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": "short"}
    env["HONGYIN_FIELD_KEY"] = "1:" + "0" * 32
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_settings_values():
    from importlib import import_module

    env = {"SECRET_KEY": secrets.token_urlsafe(64), "HONGYIN_FIELD_KEY": "3:" + secrets.token_hex(16)}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        sys.modules.pop("config.settings.production", None)
        prod = import_module("config.settings.production")
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert prod.SECURE_HSTS_SECONDS >= 31536000 and prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
    assert prod.SESSION_COOKIE_HTTPONLY and prod.X_FRAME_OPTIONS == "DENY" and prod.SECURE_REFERRER_POLICY
    script_src = prod.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("accounts:login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'nonce-" in script_src and "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in csp


@pytest.mark.django_db
@override_settings(HONGYIN_LOGIN_RATE_PER_MINUTE=3)
def test_login_rate_limit_answers_429_with_a_clear_message(client):
    cache.clear()
    statuses = [
        client.post(reverse("accounts:login"), {"username": f"x{i}", "password": "Wrong-pass1"}).status_code
        for i in range(5)
    ]
    assert statuses[:3] == [400, 400, 400] and statuses[3:] == [429, 429]
    response = client.post(reverse("accounts:login"), {"username": "y", "password": "Wrong-pass1"})
    assert "请求过于频繁" in response.content.decode()
    cache.clear()


@pytest.mark.django_db
@override_settings(HONGYIN_API_RATE_PER_MINUTE=5)
def test_api_rate_limit_answers_429_with_a_clear_message(as_user):
    cache.clear()
    client = as_user("zone_admin")
    statuses = [client.get("/api/v1/me").status_code for _ in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
    response = client.get("/api/v1/me")
    assert response.status_code == 429 and "请求过于频繁" in response.json()["detail"]
    anon = [client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer hy_wrong").status_code for _ in range(2)]
    assert 429 in anon or 401 in anon
    cache.clear()


def _docx(extra: dict | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,content,ok",
    [
        ("scan.pdf", PDF, True),
        ("photo.png", PNG, True),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, True),
        ("report.docx", _docx(), True),
        ("evil.pdf", b"<script>alert(1)</script>", False),
        ("evil.png", PDF, False),  # extension does not match the content
        ("shell.php", b"<?php system($_GET['c']); ?>", False),
        ("page.html", b"<html><script>alert(1)</script></html>", False),
        ("bomb.docx", _docx({"word/media/zero.bin": b"\x00" * (50 * 1024 * 1024)}), False),
        ("fake.xlsx", b"PK\x03\x04garbage", False),
        ("empty.pdf", b"", False),
    ],
)
def test_uploads_are_checked_by_content(name, content, ok, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(name, content)
    if ok:
        att = attachment_save(actor=None, upload=upload)
        assert att.full_path.is_relative_to(tmp_path) and att.full_path.read_bytes() == content
        assert not str(att.full_path).endswith((".pdf", ".png", ".php", ".html"))
        response = attachment_response(att)
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == content
    else:
        before = Attachment.objects.count()  # the demo data has attachments of its own
        with pytest.raises(DomainError) as info:
            attachment_save(actor=None, upload=upload)
        assert info.value.field == "file" and info.value.message
        assert Attachment.objects.count() == before and not any(tmp_path.rglob("*.bin"))


@pytest.mark.django_db
def test_upload_size_limit(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    with pytest.raises(DomainError) as info:
        attachment_save(actor=None, upload=SimpleUploadedFile("big.pdf", PDF + b"0" * 2048), max_bytes=1024)
    assert "过大" in info.value.message


def test_private_media_is_outside_static():
    from django.conf import settings

    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    for static in [Path(settings.STATIC_ROOT).resolve(), *[Path(p).resolve() for p in settings.STATICFILES_DIRS]]:
        assert not private.is_relative_to(static) and not static.is_relative_to(private)
