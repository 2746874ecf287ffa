"""Issues 3 and 5 in a browser: the organization tree opens on demand, the figures draw, a member is found by
pinyin initials; the enterprise registry, a building, the chain map and the coverage report render (ECharts
included) without console errors or outside requests; a platform is renamed and a graduation registered."""

from datetime import timedelta

from .conftest import login


def test_party_work_journey(open_context, server, credentials, screenshot_dir):
    from hongyin.devtools.demo import lookup_zone
    from hongyin.members.models import Member

    zone = lookup_zone()
    context, _watch = open_context()
    page = context.new_page()
    login(page, "zone_admin", credentials)
    page.goto("/orgs/")
    before = page.locator(".hy-tree li").count()
    page.locator(".hy-tree button[hx-get]").first.click()
    page.locator(".hy-tree li").nth(before).wait_for()  # the children arrived (htmx)
    page.goto(f"/orgs/{zone.buildings[0].pk}/?tab=figures")
    page.wait_for_selector(".hy-chart svg, .hy-chart canvas")
    page.screenshot(path=str(screenshot_dir / "org-figures.png"), full_page=True)
    member = Member.objects.filter(org__path__startswith=zone.buildings[0].path, left_on__isnull=True).first()
    page.goto(f"/members/?q={member.name_initials}")
    assert member.name in page.locator("main").inner_text()
    page.screenshot(path=str(screenshot_dir / "member-list.png"), full_page=True)
    page.goto("/members/stats/")
    page.wait_for_selector(".hy-chart svg, .hy-chart canvas")


def test_enterprise_journey(open_context, server, credentials, screenshot_dir):
    from hongyin.enterprises.models import Building, Incubation, IndustryChain

    context, _watch = open_context()
    page = context.new_page()
    login(page, "zone_admin", credentials)
    page.goto("/enterprises/?party=none")
    assert page.locator("main table tbody tr").count() >= 1
    page.screenshot(path=str(screenshot_dir / "enterprise-list.png"), full_page=True)
    building = Building.objects.order_by("pk").first()
    page.goto(f"/enterprises/buildings/{building.pk}/")
    assert building.name in page.locator("h1").inner_text()
    page.screenshot(path=str(screenshot_dir / "building.png"), full_page=True)
    chain = IndustryChain.objects.order_by("pk").first()
    page.goto(f"/enterprises/chains/{chain.pk}/")
    page.wait_for_selector(".hy-chart svg, .hy-chart canvas")
    page.screenshot(path=str(screenshot_dir / "chain-map.png"), full_page=True)
    # an innovation platform renamed on the chain page
    platform = chain.platforms.order_by("pk").first()
    item = page.locator(f"#platform-{platform.pk}")
    item.locator("summary").click()
    page.fill(f"#p-n-{platform.pk}", platform.name + "（二期）")
    item.locator("form").first.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=platforms]")
    assert platform.name + "（二期）" in page.locator("[data-testid=platforms]").inner_text()
    platform.refresh_from_db()
    assert platform.name.endswith("（二期）")
    page.locator("[data-testid=platforms-manage]").screenshot(path=str(screenshot_dir / "chain-platforms.png"))
    # an incubation graduation registered on the enterprise page
    stay = Incubation.objects.filter(graduated_on__isnull=True).order_by("pk").first()
    page.goto(f"/enterprises/{stay.enterprise_id}/")
    page.fill(f"#i-gd-{stay.pk}", str(stay.entered_on + timedelta(days=400)))
    page.locator(f"#i-gd-{stay.pk} + button").click()
    page.wait_for_selector("[data-testid=incubations]")
    stay.refresh_from_db()
    assert stay.graduated_on == stay.entered_on + timedelta(days=400)
    day = stay.graduated_on
    assert f"{day.year}年{day.month}月{day.day}日" in page.locator("[data-testid=incubations]").inner_text()
    assert page.locator(f"#i-gd-{stay.pk}").count() == 0  # graduated: no form any more
    page.screenshot(path=str(screenshot_dir / "enterprise.png"), full_page=True)
    page.goto("/grid/")
    assert "%" in page.locator("main").inner_text()
    page.screenshot(path=str(screenshot_dir / "coverage.png"), full_page=True)
