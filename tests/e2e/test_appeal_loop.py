"""The appeal loop without a dispatcher in the way (issue 11, item 5), clicked in a browser: the enterprise contact
picks a category (the expected handling time shows), attaches a file and submits; the category dispatches it to its
department; the department handler accepts it and gives the final reply; the zone closes it from the 待办结 view of
its queue; the contact opens the notice (read) and rates the appeal once."""

from .conftest import login


def test_submit_auto_dispatch_final_reply_close_from_the_queue_and_rate(open_context, server, credentials):
    from hongyin.accounts.models import User
    from hongyin.appeals.models import Appeal, AppealStatus
    from hongyin.appeals_config.models import AppealCategory
    from hongyin.common.models import Notification
    from hongyin.common.uploads import Attachment

    S = AppealStatus
    science = AppealCategory.objects.get(code="science")
    assert science.auto_dispatch and science.default_department_id

    contact_ctx, _w = open_context()
    contact = contact_ctx.new_page()
    login(contact, "enterprise_contact", credentials)
    contact.goto("/appeals/new/")
    category = contact.locator("select[name=category]")
    assert category.locator("option").first.inner_text() == "请选择诉求类别"
    assert contact.locator("[data-testid=resolve-hint]").inner_text() == ""
    category.select_option(label="科技创新")
    hint = contact.locator("[data-testid=resolve-hint]")
    assert hint.inner_text() == f"预计办理时限：{science.resolve_days} 个工作日内办结"
    contact.fill("input[name=title]", "闭环测试：研发费用补贴兑现")
    contact.fill("textarea[name=content]", "研发费用补贴申报后一直未兑现，请协调。")
    contact.locator("input[name=attachment]").set_input_files(
        {"name": "申报材料.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"}
    )
    contact.click("main form button.btn-primary")
    contact.wait_for_load_state("load")
    appeal = Appeal.objects.get(title="闭环测试：研发费用补贴兑现")
    assert appeal.status == S.DISPATCHED and appeal.department_id == science.default_department_id
    assert "按类别自动派单" in contact.locator("[data-testid=timeline]").inner_text()
    assert "申报材料.pdf" in contact.locator("main").inner_text()
    assert Attachment.objects.filter(owner_label="appeals.appeal", owner_id=str(appeal.pk)).count() == 1

    handler_ctx, _w2 = open_context()
    handler = handler_ctx.new_page()
    login(handler, "dept_handler", credentials)
    handler.goto(appeal.get_absolute_url())
    handler.click(f"form[action$='/appeals/{appeal.pk}/accept/'] button")
    handler.wait_for_load_state("load")
    appeal.refresh_from_db()
    assert appeal.status == S.IN_PROGRESS
    interim = handler.locator(f"form[action$='/appeals/{appeal.pk}/reply/'] button").inner_text()
    final = handler.locator(f"form[action$='/appeals/{appeal.pk}/reply_final/']")
    assert interim == "阶段性答复" and final.locator("button").inner_text() == "办结答复"
    final.locator("textarea[name=text]").fill("补贴已于本周拨付到账。")
    final.locator("select[name=resolved]").select_option("1")
    final.locator("button").click()
    handler.wait_for_load_state("load")
    appeal.refresh_from_db()
    assert appeal.status == S.REPLIED

    zone_ctx, _w3 = open_context()
    zone = zone_ctx.new_page()
    login(zone, "zone_admin", credentials)
    zone.goto("/appeals/queue/")
    zone.click("[data-testid=to-close-filter]")
    zone.wait_for_load_state("load")
    assert "view=to_close" in zone.url
    row = zone.locator("[data-testid=queue-row]", has_text=appeal.number)
    assert row.count() == 1
    row.locator("[data-testid=close-one]").click()
    zone.wait_for_load_state("load")
    assert "已处理 1 件" in zone.locator(".hy-messages").inner_text()
    appeal.refresh_from_db()
    assert appeal.status == S.CLOSED
    assert zone.locator("[data-testid=queue-row]", has_text=appeal.number).count() == 0

    # notices are created on commit, which never comes inside the test's transaction: the one the close sends
    closed_notice = Notification.objects.create(
        user=User.objects.get(username="enterprise_contact"),
        title=f"您的诉求已办结，请评价：{appeal.number}",
        url=appeal.get_absolute_url(),
    )
    contact.goto("/notifications/")
    contact.click(f"a[href='/notifications/{closed_notice.pk}/open/']")
    contact.wait_for_load_state("load")
    assert contact.url.endswith(appeal.get_absolute_url())
    closed_notice.refresh_from_db()
    assert closed_notice.read_at is not None
    rate = contact.locator(f"form[action$='/appeals/{appeal.pk}/rate/']")
    rate.locator("[name=rating][value=satisfied]").check()
    rate.locator("button").click()
    contact.wait_for_load_state("load")
    assert "已评价" in contact.locator(".hy-messages").inner_text()
    appeal.refresh_from_db()
    assert appeal.rating == "satisfied"
    assert contact.locator(f"form[action$='/appeals/{appeal.pk}/rate/']").count() == 0  # rated once
