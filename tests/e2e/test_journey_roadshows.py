"""Roadshows and one-stop services (issue 13, items 3 and 4): on a desktop the chain admin creates an event, adds a
presenting project, confirms the event held and records an outcome "landed"; on a phone (375 px) the enterprise
contact requests the "追光易租" package and sees its three parts, each an appeal routed to its department. No page
scrolls sideways on the phone; screenshots of the event, the figures, the catalogue and the package."""

from django.utils import timezone

from .conftest import login

PHONE = {"width": 375, "height": 812, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_chain_admin_records_a_landed_project_and_a_contact_requests_a_package(
    open_context, server, credentials, screenshot_dir
):
    from hongyin.accounts.models import User
    from hongyin.directory.models import Department
    from hongyin.enterprises.models import ChainMembership
    from hongyin.roadshows.models import Event, OutcomeStage, PackageRequest

    chain_org = User.objects.get(username="chain_admin").assignments[0].org
    firm_id = ChainMembership.objects.filter(node__chain__party_committee=chain_org).order_by("id")[0].enterprise_id
    dept = Department.objects.get(code="industry")
    today = timezone.localdate().isoformat()

    desk_ctx, _w = open_context(width=1280, height=900)
    desk = desk_ctx.new_page()
    login(desk, "chain_admin", credentials)
    desk.goto("/roadshows/")
    desk.click("text=新建活动")
    desk.wait_for_load_state("load")
    desk.fill("[name=title]", "光子产业链专场路演（测试）")
    desk.select_option("select[name=kind]", "roadshow")
    desk.fill("[name=held_on]", today)
    desk.fill("[name=place]", "红色会客厅")
    desk.select_option("select[name=organizers]", [str(chain_org.pk)])
    desk.click("#event-form button.btn-primary")
    desk.wait_for_load_state("load")
    event = Event.objects.get(title="光子产业链专场路演（测试）")
    desk.select_option("#presentation-form select[name=enterprise]", str(firm_id))
    desk.fill("#presentation-form [name=project]", "高功率半导体激光器产业化")
    desk.fill("#presentation-form [name=financing_sought]", "3000")
    desk.click("#presentation-form button")
    desk.wait_for_load_state("load")
    assert event.presentations.count() == 1
    desk.click("button:has-text('确认已举办')")
    desk.wait_for_load_state("load")
    assert "已举办" in desk.locator("[data-testid=status]").inner_text()
    desk.select_option("#outcome-form select[name=stage]", "landed")
    desk.select_option("#outcome-form select[name=enterprise]", str(firm_id))
    desk.fill("#outcome-form [name=project]", "高功率半导体激光器产业化")
    desk.fill("#outcome-form [name=occurred_on]", today)
    desk.fill("#outcome-form [name=amount]", "12000")
    desk.select_option("#outcome-form select[name=department]", str(dept.pk))
    desk.fill("#outcome-form [name=follow_up_due]", "")
    desk.click("#outcome-form button")
    desk.wait_for_load_state("load")
    outcome = event.outcomes.get()
    assert outcome.stage == OutcomeStage.LANDED and outcome.department == dept
    assert desk.locator("[data-testid=landed]").inner_text().strip() == "1"
    desk.screenshot(path=str(screenshot_dir / "roadshows-event.png"), full_page=True)
    desk.goto("/roadshows/figures/")
    assert desk.locator(".hy-chart").count() == 1
    desk.screenshot(path=str(screenshot_dir / "roadshows-figures.png"), full_page=True)

    phone_ctx, _w2 = open_context(**PHONE)
    phone = phone_ctx.new_page()
    login(phone, "enterprise_contact", credentials)
    phone.goto("/roadshows/services/")
    assert phone.evaluate(OVERFLOW) <= 1, "the catalogue scrolls sideways at 375 px"
    phone.screenshot(path=str(screenshot_dir / "roadshows-services-phone.png"), full_page=True)
    form = phone.locator("form[id^=package-]").first
    form.locator("[name=note]").fill("扩产需要新增设备和定制厂房")
    form.locator("button").click()
    phone.wait_for_load_state("load")
    pr = PackageRequest.objects.filter(note="扩产需要新增设备和定制厂房").get()
    assert pr.parts.count() == 3
    parts = phone.locator("[data-testid=part]")
    assert parts.count() == 3
    text = phone.locator("main").inner_text()
    for name in ("股权投资", "设备租赁", "定制厂房"):
        assert name in text
    assert "待签收" in text
    assert phone.evaluate(OVERFLOW) <= 1
    phone.screenshot(path=str(screenshot_dir / "roadshows-package-phone.png"), full_page=True)
