"""Every action on an appeal's page, clicked by the role that does it (issue 11): the enterprise contact submits
and attaches a file; the zone dispatches and urges; the department handler returns it, accepts it, asks twice for
more time (the zone refuses, then approves), replies and gives the final reply; the zone closes it; the contact
rates it dissatisfied; the zone follows up and reopens it. Another appeal is transferred to another department.
After every click the page shows the result and the database holds it."""

from .conftest import login


def _act(page, appeal, action: str, label: str, **fields):
    page.goto(appeal.get_absolute_url())
    form = page.locator(f"form[action$='/appeals/{appeal.pk}/{action}/']")
    assert form.count() == 1, f"{action} is not offered: {page.locator('main').inner_text()[:600]}"
    for name, value in fields.items():
        control = form.locator(f"[name={name}]")
        if control.first.get_attribute("type") == "radio":
            form.locator(f"[name={name}][value='{value}']").check()
        elif control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(str(value))
        else:
            control.fill(str(value))
    form.locator("button").click()
    page.wait_for_load_state("load")
    assert f"已{label}" in page.locator(".hy-messages").inner_text(), page.locator("main").inner_text()[:600]
    appeal.refresh_from_db()
    assert label in page.locator("[data-testid=timeline]").inner_text()


def test_appeal_every_action_by_its_role(open_context, server, credentials, screenshot_dir):
    from hongyin.accounts.models import User
    from hongyin.appeals.models import Appeal, AppealStatus
    from hongyin.common.uploads import Attachment

    S = AppealStatus
    handler_user = User.objects.get(username="dept_handler")
    dept = handler_user.assignments[0].department

    contact_ctx, _w = open_context()
    contact = contact_ctx.new_page()
    login(contact, "enterprise_contact", credentials)
    contact.goto("/appeals/new/")
    contact.select_option("select[name=category]", label="其他")  # reviewed by the zone, which dispatches it
    contact.fill("input[name=title]", "旅程测试：人才公寓申请")
    contact.fill("textarea[name=content]", "三名研发人员申请入住人才公寓，请告知办理流程。")
    contact.click("main form button.btn-primary")
    contact.wait_for_load_state("load")
    appeal = Appeal.objects.get(title="旅程测试：人才公寓申请")
    assert appeal.status == S.SUBMITTED and appeal.number in contact.locator("h1").inner_text()
    contact.locator("form[action$='/attach/'] input[type=file]").set_input_files(
        {"name": "说明.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"}
    )
    contact.click("form[action$='/attach/'] button")
    contact.wait_for_load_state("load")
    assert "附件已上传" in contact.locator(".hy-messages").inner_text()
    assert "说明.pdf" in contact.locator("main").inner_text()
    assert Attachment.objects.filter(name="说明.pdf").exists()

    zone_ctx, _w2 = open_context()
    zone = zone_ctx.new_page()
    login(zone, "zone_admin", credentials)
    _act(zone, appeal, "dispatch", "派单", department=dept.pk)
    assert appeal.status == S.DISPATCHED and appeal.department == dept
    _act(zone, appeal, "urge", "催办", note="企业较急，请尽快签收")

    handler_ctx, _w3 = open_context()
    handler = handler_ctx.new_page()
    login(handler, "dept_handler", credentials)
    _act(handler, appeal, "return", "退单", reason="不属于本局职责，建议派人社局")
    assert appeal.status == S.SUBMITTED
    _act(zone, appeal, "dispatch", "派单", department=dept.pk)
    _act(handler, appeal, "accept", "签收")
    assert appeal.status == S.IN_PROGRESS and appeal.handler == handler_user
    _act(handler, appeal, "extension_request", "申请延期", days=2, reason="需会同住建部门核实房源")
    assert appeal.extension_requested_days == 2
    _act(zone, appeal, "extension_refuse", "驳回延期")
    assert appeal.extension_requested_days == 0 and not appeal.extended
    due = appeal.resolve_due
    _act(handler, appeal, "extension_request", "申请延期", days=2, reason="房源核实尚未完成")
    _act(zone, appeal, "extension_approve", "批准延期")
    assert appeal.extended and appeal.resolve_due > due
    _act(handler, appeal, "reply", "阶段性答复", text="已联系住建局，正在核实房源。")
    assert appeal.status == S.IN_PROGRESS
    _act(handler, appeal, "reply_final", "办结答复", text="已安排三套人才公寓，请携材料办理入住。", resolved="1")
    assert appeal.status == S.REPLIED
    assert handler.locator("form[action*='/appeals/']:not([action$='/attach/'])").count() == 0

    _act(zone, appeal, "close", "办结", note="企业确认")
    assert appeal.status == S.CLOSED
    assert zone.locator("form[action$='/reopen/']").count() == 0  # only a dissatisfied rating reopens
    _act(zone, appeal, "follow_up", "回访", note="电话回访")
    assert appeal.followed_up_on is not None
    _act(contact, appeal, "rate", "评价", rating="dissatisfied", comment="仍有一人未安排")
    assert appeal.rating == "dissatisfied" and appeal.rating_comment == "仍有一人未安排"
    _act(zone, appeal, "reopen", "重新办理", reason="企业反映仍有一人未安排")
    assert appeal.status == S.IN_PROGRESS
    zone.screenshot(path=str(screenshot_dir / "journey-appeal.png"), full_page=True)


def test_appeal_transferred_by_the_zone(open_context, server, credentials):
    from hongyin.accounts.models import User
    from hongyin.appeals import services
    from hongyin.appeals.models import Appeal, AppealStatus
    from hongyin.appeals_config.models import AppealCategory
    from hongyin.directory.models import Department

    contact = User.objects.get(username="enterprise_contact")
    handler_user = User.objects.get(username="dept_handler")
    dept = handler_user.assignments[0].department
    other = Department.objects.filter(is_active=True).exclude(pk=dept.pk).order_by("pk").first()
    appeal = services.appeal_submit(
        actor=contact,
        enterprise=contact.assignments[0].enterprise,
        category=AppealCategory.objects.get(code="other"),  # reviewed by the zone: dispatched by hand below
        title="旅程测试：转办",
        content="需要办理出口退税备案。",
        source="portal",
    )
    services.appeal_dispatch(actor=User.objects.get(username="zone_admin"), appeal=appeal, department=dept)
    ctx, _w = open_context()
    page = ctx.new_page()
    login(page, "zone_admin", credentials)
    _act(page, appeal, "transfer", "转办", department=other.pk, reason="属税务事项")
    assert appeal.status == AppealStatus.DISPATCHED and appeal.department == other
    assert Appeal.objects.filter(pk=appeal.pk, department=other).exists()
