"""Every demo role logs in through the real form (TOTP where the role needs it) and reaches its workbench."""

import os
from pathlib import Path

import pytest

from hongyin.devtools.demo import DEMO_USERNAMES

from .conftest import login

TWO_FACTOR = {"zone_admin", "system_admin", "security_admin", "audit_admin"}


def _assert_workbench(page, server_url: str) -> None:
    assert page.url.rstrip("/") == server_url, f"ended on {page.url}, not the workbench"
    heading = page.locator("main h1").first
    assert heading.inner_text().strip() == "工作台"
    assert page.locator("header .navbar-brand").inner_text().startswith("红引")


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_role_logs_in_and_reaches_workbench(username, open_context, server, credentials, screenshot_dir):
    context, _watch = open_context()
    page = context.new_page()
    login(page, username, credentials)
    _assert_workbench(page, server)
    assert page.locator("nav#hy-nav a.nav-link").count() >= 1, "no navigation for the role"
    assert page.locator("[data-testid=user-menu]").inner_text().strip() != ""
    page.screenshot(path=str(screenshot_dir / f"workbench-{username}.png"), full_page=True)


def test_two_factor_roles_are_asked_for_a_code(open_context, server, credentials):
    context, watch = open_context()
    watch.allow("status of 400")  # the wrong code is refused with 400 on purpose
    page = context.new_page()
    password, _code_for = credentials
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "zone_admin")
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state("load")
    assert "/accounts/otp/" in page.url
    page.fill("input[name=token]", "000000")
    page.click("form button[type=submit]")
    page.wait_for_load_state("load")
    assert "/accounts/otp/" in page.url, "a wrong code must not pass"
    assert set(DEMO_USERNAMES) >= TWO_FACTOR


def test_wrong_password_shows_a_message(open_context, server):
    context, watch = open_context()
    watch.allow("status of 400")  # the refused login answers 400 on purpose
    page = context.new_page()
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.fill("input[name=username]", "member")
    page.fill("input[name=password]", "not-the-password-1A")
    page.click("form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("[data-testid=login-error]").is_visible()
    assert "/accounts/login/" in page.url


@pytest.mark.parametrize("username", ["member", "branch_secretary"])
def test_phone_width_workbench(username, open_context, server, credentials, screenshot_dir):
    context, _watch = open_context(width=375, height=812, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    login(page, username, credentials)
    _assert_workbench(page, server)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px at 375px"
    page.screenshot(path=str(screenshot_dir / f"phone-workbench-{username}.png"), full_page=True)


def test_readme_screenshots(open_context, server, credentials, screenshot_dir):
    """`make screenshots` sets HONGYIN_SCREENSHOTS=docs/screenshots: the README's pictures of the real pages."""
    target = Path(os.environ.get("HONGYIN_SCREENSHOTS") or screenshot_dir / "readme")
    target.mkdir(parents=True, exist_ok=True)
    context, _watch = open_context(width=1280, height=800)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.screenshot(path=str(target / "login.png"))
    login(page, "zone_admin", credentials)
    _assert_workbench(page, server)
    page.screenshot(path=str(target / "workbench-zone_admin.png"))
    page.goto("/orgs/")
    page.locator(".hy-tree .hy-node button").first.click()
    nested = page.locator(".hy-tree li li")  # the root's children, loaded on demand by htmx
    nested.first.wait_for()
    assert nested.count() >= 3, "the root's children did not load"
    page.screenshot(path=str(target / "org-tree.png"))
    phone, _ = open_context(width=375, height=760, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = phone.new_page()
    login(page, "branch_secretary", credentials)
    page.screenshot(path=str(target / "phone-branch_secretary.png"))
    for name in ("login.png", "workbench-zone_admin.png", "org-tree.png", "phone-branch_secretary.png"):
        assert (target / name).stat().st_size > 5000


def test_navigation_sections_open_close_and_stay_open(open_context, server, credentials):
    """The zone admin's navigation: sections collapse; one the user opens stays open on the next page."""
    context, _watch = open_context(width=1280, height=800)
    page = context.new_page()
    login(page, "zone_admin", credentials)
    mine = page.locator("details[data-nav-section=me]")
    link = mine.locator("a.nav-link").first
    assert not link.is_visible(), "the personal-settings section starts closed on the workbench"
    mine.locator("summary").click()
    assert link.is_visible()
    page.locator("details[data-nav-section=party] summary").click()
    page.locator("details[data-nav-section=party] a.nav-link", has_text="党员名册").click()
    page.wait_for_load_state("load")
    assert page.locator("nav#hy-nav a[aria-current=page]").inner_text().strip() == "党员名册"
    assert page.locator("details[data-nav-section=me] a.nav-link").first.is_visible(), "still open"
    page.locator("details[data-nav-section=me] summary").click()
    page.reload()
    assert not page.locator("details[data-nav-section=me] a.nav-link").first.is_visible(), "closed stays closed"
