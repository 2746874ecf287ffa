"""Supply-demand matching (issue 13): the demo enterprise contact posts a demand through the form, opens its
matches with their reasons and sends a contact request to a supplier's post; the supplier's contact (on a phone,
375 px) accepts it and records the deal. Screenshots of the form, the matches, the contacts and the figures."""

from datetime import timedelta

from django.utils import timezone

from .conftest import login

PHONE = {"width": 375, "height": 812, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_contact_posts_a_demand_contacts_a_match_and_the_supplier_accepts_and_records_a_deal(
    open_context, server, credentials, screenshot_dir
):
    from hongyin.accounts import services as account_services
    from hongyin.accounts.models import User
    from hongyin.common.roles import Role
    from hongyin.enterprises.models import ChainMembership, ChainNode
    from hongyin.matching import engine, services
    from hongyin.matching.models import ContactRequest, ContactStatus, Deal, Post, PostKind

    engine.reset()
    own = User.objects.get(username="enterprise_contact").assignments[0].enterprise
    fiber = ChainNode.objects.get(name="光纤激光器")
    laser = ChainNode.objects.get(name="半导体激光器")
    supplier = (
        ChainMembership.objects.filter(node=laser)
        .exclude(enterprise=own)
        .select_related("enterprise")
        .first()
        .enterprise
    )
    supply = services.post_create(
        actor=None,
        kind=PostKind.SUPPLY,
        chain=laser.chain,
        node=laser,
        enterprise=supplier,
        title="供应976nm万瓦级光纤激光器泵浦源",
        product="976nm半导体激光器泵浦源",
        budget_min=80,
        budget_max=300,
        deadline=timezone.localdate() + timedelta(days=90),
    )
    password, _code_for = credentials
    user = account_services.user_create(
        actor=None, username="supplier_contact", password=password, must_change_password=False
    )
    account_services.role_grant(actor=None, user=user, role=Role.ENTERPRISE_CONTACT, enterprise=supplier)

    desk_ctx, _w = open_context(width=1280, height=900)
    desk = desk_ctx.new_page()
    login(desk, "enterprise_contact", credentials)
    desk.goto("/matching/")
    desk.click("text=发布供需")
    desk.wait_for_load_state("load")
    desk.select_option("select[name=kind]", "demand")
    desk.select_option("select[name=node]", str(fiber.pk))
    desk.select_option("select[name=enterprise]", str(own.pk))
    desk.fill("[name=title]", "采购万瓦级光纤激光器泵浦源")
    desk.fill("[name=product]", "976nm半导体激光器泵浦源")
    desk.fill("[name=description]", "用于万瓦级光纤激光器整机，年需求约两千只，希望园区内企业配套。")
    desk.fill("[name=quantity]", "2000只")
    desk.fill("[name=budget_min]", "100")
    desk.fill("[name=budget_max]", "250")
    desk.fill("[name=deadline]", (timezone.localdate() + timedelta(days=60)).isoformat())
    desk.screenshot(path=str(screenshot_dir / "matching-form.png"), full_page=True)
    desk.click("#post-form button.btn-primary")
    desk.wait_for_load_state("load")
    demand = Post.objects.get(title="采购万瓦级光纤激光器泵浦源")
    assert f"/matching/{demand.pk}/" in desk.url
    table = desk.locator("[data-testid=matches-post]")
    first = table.locator("tbody tr").first
    assert "供应976nm万瓦级光纤激光器泵浦源" in first.inner_text()
    assert "关键词相关" in first.inner_text() and "预算区间重合" in first.inner_text()
    desk.screenshot(path=str(screenshot_dir / "matching-matches.png"), full_page=True)
    first.locator("input[name=message]").fill("您好，请提供报价和样品。")
    first.locator("button:has-text('发起对接')").click()
    desk.wait_for_load_state("load")
    contact = ContactRequest.objects.get(post=demand, other_post=supply)
    assert contact.status == ContactStatus.PENDING
    assert "对接请求已发送" in desk.locator(".hy-messages").inner_text()

    phone_ctx, _w2 = open_context(**PHONE)
    phone = phone_ctx.new_page()
    login(phone, "supplier_contact", credentials)
    phone.goto("/matching/contacts/?box=in")
    item = phone.locator(f"#contact-{contact.pk}")
    assert "您好，请提供报价和样品。" in item.inner_text()
    assert phone.evaluate(OVERFLOW) <= 1
    item.locator("input[name=reply]").fill("欢迎来厂考察")
    item.locator("button:has-text('接受')").click()
    phone.wait_for_load_state("load")
    contact.refresh_from_db()
    assert contact.status == ContactStatus.ACCEPTED
    item = phone.locator(f"#contact-{contact.pk}")
    item.locator("input[name=amount]").fill("186.5")
    item.locator("button:has-text('登记成交')").click()
    phone.wait_for_load_state("load")
    deal = Deal.objects.get(contact=contact)
    assert str(deal.amount) == "186.50" and deal.is_local
    assert "成交已登记" in phone.locator(".hy-messages").inner_text()
    assert phone.evaluate(OVERFLOW) <= 1
    phone.screenshot(path=str(screenshot_dir / "matching-contacts-phone.png"), full_page=True)

    admin_ctx, _w3 = open_context(width=1280, height=900)
    admin = admin_ctx.new_page()
    login(admin, "chain_admin", credentials)
    admin.goto("/matching/figures/")
    assert "本地配套率" in admin.content()
    admin.screenshot(path=str(screenshot_dir / "matching-figures.png"), full_page=True)
