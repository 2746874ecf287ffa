"""The enterprise-service journey in a browser: the contact submits an appeal, its category dispatches it to the
department, the handler sees it in the queue, the zone looks at the figures (ECharts draws without errors)."""

from .conftest import login


def test_appeal_journey(open_context, server, credentials, screenshot_dir):
    from hongyin.appeals.models import Appeal

    context, _watch = open_context()
    page = context.new_page()
    login(page, "enterprise_contact", credentials)
    page.goto("/appeals/portal/")
    page.screenshot(path=str(screenshot_dir / "appeals-portal.png"), full_page=True)
    page.goto("/appeals/new/")
    page.select_option("select[name=category]", label="科技创新")
    page.fill("input[name=title]", "浏览器测试：专利快速预审")
    page.fill("textarea[name=content]", "申请加入知识产权保护中心专利快速预审备案企业名单。")
    page.click("form button.btn-primary")
    page.wait_for_load_state("load")
    assert page.locator("[data-testid=timeline]").inner_text().count("提交") >= 1
    number = Appeal.objects.get(title="浏览器测试：专利快速预审").number
    assert number in page.locator("h1").inner_text()
    page.screenshot(path=str(screenshot_dir / "appeal-detail.png"), full_page=True)

    context2, _w2 = open_context()
    zone = context2.new_page()
    login(zone, "zone_admin", credentials)
    zone.goto(Appeal.objects.get(number=number).get_absolute_url())
    assert zone.locator("form[action$='/dispatch/']").count() == 0  # dispatched on submission (科技创新)
    assert "待签收" in zone.locator("h1 + .badge, .badge").first.inner_text() or "待签收" in zone.content()
    zone.goto("/appeals/stats/")
    zone.wait_for_selector(".hy-chart canvas, .hy-chart svg")
    zone.screenshot(path=str(screenshot_dir / "appeal-stats.png"), full_page=True)

    context3, _w3 = open_context()
    handler = context3.new_page()
    login(handler, "dept_handler", credentials)
    handler.goto("/appeals/queue/?view=dept")
    assert number in handler.content()
    assert handler.locator("[data-testid=queue-row]").count() >= 1
    handler.screenshot(path=str(screenshot_dir / "appeal-queue.png"), full_page=True)
