"""Phones (issue 11 item 8): at 375 px the member- and secretary-facing lists are stacked cards, the page never
scrolls sideways and each row's action buttons lie inside the viewport; a dues payment asks for its date and method
and is corrected on the ledger; the development case page puts its action forms before the step history."""

import os
from datetime import date

import pytest

from .conftest import login

PHONE = {"width": 375, "height": 812}
PAGES = [
    ("branch_secretary", "/members/", "members"),
    ("branch_secretary", "/dues/", "dues-ledger"),
    ("branch_secretary", "/dues/arrears/?months=1", "dues-arrears"),
    ("building_admin", "/dues/reductions/", "dues-reductions"),
    ("building_admin", "/dues/report/", "dues-report"),
    ("branch_secretary", "/orglife/", "meetings"),
    ("branch_secretary", "/orglife/standing/", "orglife-standing"),
    ("branch_secretary", "/development/", "development"),
    ("branch_secretary", "/transfers/?status=all", "transfers"),
    ("zone_admin", "/appeals/", "appeals"),
    ("zone_admin", "/appeals/queue/?view=to_close", "appeal-queue"),
    ("dept_handler", "/appeals/queue/?view=dept", "appeal-queue-handler"),
    ("grid_officer", "/enterprises/", "enterprises"),
    ("grid_officer", "/appeals/visits/", "visits"),
    ("branch_secretary", "/notifications/", "notifications"),
    ("branch_secretary", "/jobs/", "jobs"),
    ("member", "/dues/mine/", "my-dues"),
    ("member", "/", "workbench-member"),
]
NO_OVERFLOW = """() => {
  const out = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) out.push('page ' + document.documentElement.scrollWidth);
  for (const t of document.querySelectorAll('main table')) {
    if (t.getBoundingClientRect().right > width + 0.5) out.push('table ' + t.getBoundingClientRect().right);
  }
  for (const b of document.querySelectorAll('main tbody :is(button, a.btn, select, input)')) {
    const r = b.getBoundingClientRect();
    if (r.width && (r.left < 0 || r.right > width + 0.5)) out.push((b.name || b.textContent.trim()) + ' ' + r.right);
  }
  return out;
}"""


def _shot(page, screenshot_dir, name):
    page.screenshot(path=str(screenshot_dir / f"phone-{name}.png"), full_page=False)
    if os.environ.get("HONGYIN_SCREENSHOTS"):
        from pathlib import Path

        target = Path(os.environ["HONGYIN_SCREENSHOTS"])
        target.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target / f"phone-{name}.png"), full_page=False)


@pytest.mark.parametrize("username, path, name", PAGES, ids=[p[2] for p in PAGES])
def test_lists_fit_a_phone(open_context, server, credentials, screenshot_dir, username, path, name):
    ctx, _w = open_context(**PHONE)
    page = ctx.new_page()
    login(page, username, credentials)
    page.goto(path)
    assert page.evaluate(NO_OVERFLOW) == [], name
    rows = page.locator("main table.table-stack > tbody > tr")
    if rows.count():
        first = rows.first
        # a card: the cells are stacked (each as wide as the row), not columns a character wide
        widths = first.locator("td:not(.stack-select)").evaluate_all("tds => tds.map(td => td.offsetWidth)")
        row_width = first.evaluate("tr => tr.clientWidth")
        assert all(w >= row_width * 0.8 for w in widths if w), (name, widths, row_width)
        first.scroll_into_view_if_needed()
    else:
        assert page.locator("main table").count() == 0, f"{name}: a table that does not stack"
    _shot(page, screenshot_dir, name)


def test_dues_payment_asks_for_date_and_method_and_is_corrected_on_a_phone(
    open_context, server, credentials, screenshot_dir
):
    from decimal import Decimal

    from hongyin.accounts.models import User
    from hongyin.audit.models import AuditEvent
    from hongyin.dues import services
    from hongyin.dues.models import DuesRecord
    from hongyin.dues.rules import month_start

    branch = User.objects.get(username="branch_secretary").assignments[0].org
    month = month_start(date.today())
    services.dues_month_open(actor=None, org=branch, month=month)
    record = DuesRecord.objects.filter(branch=branch, month=month, paid=0, due__gt=0, closed=False).first()
    assert record is not None
    ctx, _w = open_context(**PHONE)
    page = ctx.new_page()
    login(page, "branch_secretary", credentials)
    page.goto(f"/dues/?branch={branch.pk}&month={month:%Y-%m}")
    row = page.locator(f"tr[data-member='{record.member_id}']")
    form = row.locator("[data-testid=pay-form]")
    assert form.locator("[name=paid_on]").input_value() == date.today().isoformat()
    form.locator("[name=amount]").fill(str(record.due))
    form.locator("[name=method]").select_option("wechat")
    form.locator("button").click()
    page.wait_for_load_state("load")
    assert "已登记" in page.locator(".hy-messages").inner_text()
    record.refresh_from_db()
    assert (record.paid, record.method, record.paid_on) == (record.due, "wechat", date.today())

    row = page.locator(f"tr[data-member='{record.member_id}']")
    assert "微信" in row.locator("[data-testid=paid]").inner_text()
    row.locator("[data-testid=correct]").click()
    correct = row.locator("form[action$='/correct/']")
    correct.locator("[name=amount]").fill("1.00")
    correct.locator("[name=method]").select_option("cash")
    correct.locator("[name=reason]").fill("金额登记错误")
    assert page.evaluate(NO_OVERFLOW) == []
    _shot(page, screenshot_dir, "dues-correct")
    correct.locator("button").click()
    page.wait_for_load_state("load")
    assert "已更正" in page.locator(".hy-messages").inner_text()
    record.refresh_from_db()
    assert (record.paid, record.method) == (Decimal("1.00"), "cash")
    assert AuditEvent.objects.filter(action="dues.pay_correct", object_id=str(record.pk)).exists()


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 860}], ids=["phone", "desktop"])
def test_development_actions_come_before_the_history(open_context, server, credentials, screenshot_dir, viewport):
    from hongyin.accounts.models import User
    from hongyin.development.models import DevelopmentCase

    branch = User.objects.get(username="branch_secretary").assignments[0].org
    case = DevelopmentCase.objects.filter(branch=branch).exclude(stage__in=["full", "closed"]).order_by("pk").first()
    assert case is not None
    ctx, _w = open_context(**viewport)
    page = ctx.new_page()
    login(page, "branch_secretary", credentials)
    page.goto(f"/development/{case.pk}/")
    actions, history = page.locator("[data-testid=actions]"), page.locator("[data-testid=timeline]")
    assert actions.locator("form").count() >= 1
    # in reading order (DOM) and on the screen: the first action form is not below the start of the history
    assert page.evaluate(
        "() => !!(document.querySelector('[data-testid=actions]').compareDocumentPosition("
        "document.querySelector('[data-testid=timeline]')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    first_form_top = actions.locator("details").first.bounding_box()["y"]
    assert first_form_top <= history.bounding_box()["y"]
    assert first_form_top < viewport["height"], "the first action is below the first screen"
    assert page.evaluate(NO_OVERFLOW) == []
    _shot(page, screenshot_dir, f"development-case-{viewport['width']}")
