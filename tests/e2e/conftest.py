"""Browser tests: Playwright (the Python package) driving Debian's Chromium, headless, never a downloaded browser.

The server is a live WSGI server in a thread that shares the test's database connection, inside the test's
transaction (the `db` fixture): it sees the demo zone built once per session, and whatever the browser writes is
rolled back at the end, so the browser tests neither flush the session's demo zone nor leak into other tests.
The server is single-threaded (requests one after another) so the shared connection is never used concurrently.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections
from django.test.testcases import LiveServerThread

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


def _chromium_missing_reason() -> str | None:
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            return "the playwright Python package is not installed"
        return None
    return f"{CHROMIUM} is absent (apt-get install chromium); browser tests skipped"


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module.

    Module scope on purpose: Playwright's sync API keeps an asyncio loop marked as running in this thread while it
    lives, and Django then refuses ORM calls as "async unsafe". DJANGO_ALLOW_ASYNC_UNSAFE is set only while the
    browser lives (pytest finishes a module's fixtures before running another module's tests on this worker), so
    no other test, and no subprocess they start, ever sees it.
    """
    reason = _chromium_missing_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class _SharedConnectionServerThread(LiveServerThread):
    """Django's live server thread, single-threaded, that leaves the shared connections open when it stops."""

    def _create_server(self, connections_override=None):
        from django.core.servers.basehttp import WSGIServer
        from django.test.testcases import QuietWSGIRequestHandler

        return WSGIServer((self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False)

    def run(self):
        for alias, conn in (self.connections_override or {}).items():
            connections[alias] = conn
        try:
            handler = self.static_handler(_media_handler())
            self.httpd = self._create_server()
            if self.port == 0:
                self.port = self.httpd.server_address[1]
            self.httpd.set_app(handler)
            self.is_ready.set()
            self.httpd.serve_forever(poll_interval=0.05)
        except Exception as exc:
            self.error = exc
            self.is_ready.set()


def _media_handler():
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.testcases import _MediaFilesHandler

    return _MediaFilesHandler(WSGIHandler())


@pytest.fixture
def server(db):
    """A live server on 127.0.0.1 sharing the test's transaction. Yields its base URL."""
    from django.test.testcases import _StaticFilesHandler

    override = {alias: connections[alias] for alias in connections}
    for conn in override.values():
        conn.inc_thread_sharing()
    # The connection is inside the test's transaction: requests must not close it.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    thread = _SharedConnectionServerThread("127.0.0.1", _StaticFilesHandler, override, 0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.httpd.shutdown()
        thread.httpd.server_close()
        thread.join()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        for conn in override.values():
            conn.dec_thread_sharing()


class Watch:
    """Collects console errors, uncaught page errors and requests to other hosts for one browser context."""

    def __init__(self, base_url: str):
        self.host = urlsplit(base_url).netloc
        self.console_errors: list[str] = []
        self.foreign: list[str] = []
        self.failed: list[str] = []
        self.allowed: list[str] = []

    def allow(self, fragment: str) -> None:
        """Accept console errors containing `fragment` (e.g. the 400 status of a refused form on purpose)."""
        self.allowed.append(fragment)

    def attach(self, context) -> None:
        def route(route, request):
            parts = urlsplit(request.url)
            if parts.scheme in ("data", "blob", "about"):
                return route.continue_()
            if parts.netloc != self.host:
                self.foreign.append(request.url)
                return route.abort()
            return route.continue_()

        context.route("**/*", route)
        context.on("page", self._page)

    def _page(self, page) -> None:
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))
        page.on("pageerror", lambda exc: self.console_errors.append(f"uncaught: {exc}"))
        page.on(
            "response",
            lambda r: r.status >= 500 and self.failed.append(f"{r.status} {r.url}"),
        )

    def check(self) -> None:
        assert not self.foreign, f"requests to other hosts: {self.foreign}"
        errors = [e for e in self.console_errors if not any(a in e for a in self.allowed)]
        assert not errors, f"console errors: {errors}"
        assert not self.failed, f"server errors: {self.failed}"


@pytest.fixture
def open_context(browser, server):
    """`open_context(width=1366, height=860)` -> (context, watch); every context is checked when the test ends."""
    opened = []

    def _open(width: int = 1366, height: int = 860, **kwargs):
        watch = Watch(server)
        context = browser.new_context(
            base_url=server,
            viewport={"width": width, "height": height},
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            **kwargs,
        )
        context.set_default_timeout(30000)  # the machines are shared and slow
        watch.attach(context)
        opened.append((context, watch))
        return context, watch

    yield _open
    for context, _watch in opened:
        context.close()
    for _context, watch in opened:
        watch.check()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def credentials(db):
    """Password and a TOTP-code function per demo user, read before the browser starts (main thread only)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hongyin.devtools.demo import demo_password

    devices = {d.user.username: d for d in TOTPDevice.objects.select_related("user").filter(confirmed=True)}

    def code_for(username: str) -> str | None:
        device = devices.get(username)
        if device is None:
            return None
        return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"

    return demo_password(), code_for


def login(page, username: str, credentials) -> None:
    """Through the real login form, then the TOTP step when the role has one; ends on the workbench."""
    password, code_for = credentials
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state("load")
    if "/accounts/otp/" in page.url:
        code = code_for(username)
        assert code, f"{username} was asked for a TOTP code but has no device"
        page.fill("input[name=token]", code)
        page.click("form button[type=submit]")
        page.wait_for_load_state("load")
