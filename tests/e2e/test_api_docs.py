"""The API docs page draws in the browser from local assets, without CSP violations or outside requests."""

from .conftest import login


def test_api_docs_render_locally(open_context, server, credentials):
    context, _watch = open_context()
    page = context.new_page()
    login(page, "member", credentials)
    page.goto("/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Hongyin API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock-summary-path", has_text="/api/v1/me").first.wait_for()
