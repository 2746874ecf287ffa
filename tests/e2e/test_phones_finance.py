"""Phones (issue 13): at 375 px the red-credit, offer, ticket and investment lists are stacked cards and no page
scrolls sideways (the same check as tests/e2e/test_phones.py)."""

import pytest

from .conftest import login
from .test_phones import NO_OVERFLOW, PHONE, _shot

PAGES = [
    ("enterprise_contact", "/finance/credit/", "finance-credit"),
    ("bank_reviewer", "/finance/credit/", "finance-credit-bank"),
    ("zone_admin", "/finance/credit/figures/", "finance-figures"),
    ("enterprise_contact", "/finance/credit/products/", "finance-products"),
    ("partner_contact", "/finance/tickets/", "finance-tickets"),
    ("enterprise_contact", "/finance/offers/", "finance-offers"),
    ("chain_admin", "/finance/investment/", "finance-investment"),
    ("bank_reviewer", "/", "workbench-bank"),
    ("partner_contact", "/", "workbench-partner"),
]


@pytest.mark.parametrize("username, path, name", PAGES, ids=[p[2] for p in PAGES])
def test_finance_lists_fit_a_phone(open_context, server, credentials, screenshot_dir, username, path, name):
    ctx, _w = open_context(**PHONE)
    page = ctx.new_page()
    login(page, username, credentials)
    page.goto(path)
    assert page.evaluate(NO_OVERFLOW) == [], name
    rows = page.locator("main table.table-stack > tbody > tr")
    if rows.count():
        first = rows.first
        widths = first.locator("td:not(.stack-select)").evaluate_all("tds => tds.map(td => td.offsetWidth)")
        row_width = first.evaluate("tr => tr.clientWidth")
        assert all(w >= row_width * 0.8 for w in widths if w), (name, widths, row_width)
    _shot(page, screenshot_dir, name)
