"""Red credit (issue 13): on a phone (375 px) the enterprise contact applies for a product (a first try above the
product's cap is refused with a clear message); its party organization endorses it with the evidence shown; the
institution's reviewer approves it from its queue. No page scrolls sideways on the phone; screenshots."""

from .conftest import login

PHONE = {"width": 375, "height": 812, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_contact_applies_committee_endorses_bank_approves(open_context, server, credentials, screenshot_dir):
    from hongyin.accounts.models import User
    from hongyin.finance.models import CreditApplication, CreditProduct, CreditStatus
    from hongyin.finance.permissions import covers_for_endorsement

    reviewer = User.objects.get(username="bank_reviewer")
    product = CreditProduct.objects.create(  # a product the demo enterprise has no open application for
        institution=reviewer.assignments[0].financial_institution,
        name="科创红色贷",
        amount_cap=5_000_000,
        term_months=36,
        rate_preference="0.50",
        conditions="党组织推荐的科技型企业",
    )
    enterprise = User.objects.get(username="enterprise_contact").assignments[0].enterprise
    endorser = next(
        name
        for name in ("branch_secretary", "building_admin", "chain_admin", "zone_admin")
        if covers_for_endorsement(User.objects.get(username=name), enterprise)
    )

    phone_ctx, watch = open_context(**PHONE)
    watch.allow("422")  # the refused first try answers 422 on purpose
    phone = phone_ctx.new_page()
    login(phone, "enterprise_contact", credentials)
    phone.goto("/finance/credit/")
    assert phone.evaluate(OVERFLOW) <= 1
    phone.click("text=申请增信")
    phone.wait_for_load_state("load")
    phone.select_option("select[name=product]", str(product.pk))
    phone.fill("[name=amount]", str(int(product.amount_cap) + 1))
    phone.fill("[name=term_months]", "12")
    phone.fill("[name=purpose]", "采购光学镀膜设备")
    phone.click("form button.btn-primary")
    phone.wait_for_load_state("load")
    assert "额度上限" in phone.locator("#id_amount-err").inner_text()
    assert not CreditApplication.objects.filter(enterprise=enterprise, purpose="采购光学镀膜设备").exists()
    phone.fill("[name=amount]", "3000000")
    assert phone.evaluate(OVERFLOW) <= 1, "the form scrolls sideways at 375 px"
    phone.screenshot(path=str(screenshot_dir / "finance-apply-phone.png"), full_page=True)
    phone.click("form button.btn-primary")
    phone.wait_for_load_state("load")
    app = CreditApplication.objects.get(enterprise=enterprise, purpose="采购光学镀膜设备")
    assert "待党组织推荐" in phone.locator("[data-testid=status]").inner_text()
    assert phone.evaluate(OVERFLOW) <= 1

    desk_ctx, _w2 = open_context(width=1280, height=800)
    desk = desk_ctx.new_page()
    login(desk, endorser, credentials)
    desk.goto(f"/finance/credit/{app.pk}/")
    assert desk.locator("text=推荐依据").is_visible()
    desk.fill("#act-form [name=note]", "党组织健全，企业诚信经营，同意推荐")
    desk.click("#act-form button:has-text('出具推荐意见')")
    desk.wait_for_load_state("load")
    app.refresh_from_db()
    assert app.status == CreditStatus.ENDORSED

    bank_ctx, _w3 = open_context(width=1280, height=800)
    bank = bank_ctx.new_page()
    login(bank, "bank_reviewer", credentials)
    bank.goto("/finance/credit/")
    bank.click(f"text={app.number}")
    bank.wait_for_load_state("load")
    bank.fill("#act-form [name=amount]", "2800000")
    bank.fill("#act-form [name=rate]", "3.15")
    bank.fill("#act-form [name=term_months]", "12")
    bank.click("#act-form button:has-text('批准授信')")
    bank.wait_for_load_state("load")
    app.refresh_from_db()
    assert app.status == CreditStatus.APPROVED and int(app.approved_amount) == 2800000
    assert "已批准待放款" in bank.locator("[data-testid=status]").inner_text()
    bank.screenshot(path=str(screenshot_dir / "finance-approved.png"), full_page=True)
    phone.goto(f"/finance/credit/{app.pk}/")
    assert phone.evaluate(OVERFLOW) <= 1
    phone.screenshot(path=str(screenshot_dir / "finance-detail-phone.png"), full_page=True)
