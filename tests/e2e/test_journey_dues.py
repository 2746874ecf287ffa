"""Party dues clicked through the real pages (issue 11): the branch secretary generates a month's dues, registers
one payment on its row, registers the checked members in bulk and closes the month on the ledger; sets a member's
base and requests a reduction on the member's dues page; the committee above approves one request and refuses
another on the reductions page. Every click shows its result and the database holds it."""

from datetime import date

from .conftest import login


def _free_month(branch) -> date:
    """The latest month (current or earlier) with no dues records and no close for the branch."""
    from hongyin.dues.models import DuesMonthClose, DuesRecord
    from hongyin.dues.rules import add_months, month_start

    month = month_start(date.today())
    for _ in range(36):
        if not (
            DuesRecord.objects.filter(branch=branch, month=month).exists()
            or DuesMonthClose.objects.filter(org=branch, month=month).exists()
        ):
            return month
        month = add_months(month, -1)
    raise AssertionError("no free month in three years")


def _message(page) -> str:
    if page.locator(".hy-messages").count() == 0:  # refused: say what the page shows
        errors = page.locator(".invalid-feedback, .alert-danger").all_inner_texts()
        raise AssertionError(f"no message on {page.url}; errors shown: {errors}")
    return page.locator(".hy-messages").inner_text()


def test_dues_month_payments_bulk_and_close(open_context, server, credentials, screenshot_dir):
    from decimal import Decimal

    from hongyin.accounts.models import User
    from hongyin.dues.models import DuesMonthClose, DuesRecord

    branch = User.objects.get(username="branch_secretary").assignments[0].org
    month = _free_month(branch)
    ctx, _w = open_context()
    page = ctx.new_page()
    login(page, "branch_secretary", credentials)
    page.goto(f"/dues/?branch={branch.pk}&month={month:%Y-%m}")
    assert "本月应缴记录尚未生成" in page.locator("main").inner_text()

    page.click("button[form=open-form]")
    page.wait_for_load_state("load")
    records = DuesRecord.objects.filter(branch=branch, month=month)
    assert records.count() > 3
    assert f"已生成 {records.count()} 条应缴记录" in _message(page)
    owing = list(records.filter(due__gt=0).order_by("member_id")[:3])
    assert len(owing) == 3

    # one payment on its row (the amount the page offers: the arrears)
    row = page.locator(f"form[action$='/dues/pay/']:has(input[name=member][value='{owing[0].member_id}'])")
    row.locator("[name=method]").select_option("cash")
    row.locator("button").click()
    page.wait_for_load_state("load")
    assert "已登记" in _message(page)
    owing[0].refresh_from_db()
    assert owing[0].paid == owing[0].due and owing[0].due > Decimal("0")

    # two more, checked and registered in bulk
    for r in owing[1:]:
        page.check(f"input[name=member_ids][value='{r.member_id}']")
    page.select_option("#bulk-method", "payroll")
    page.click("button[form=bulk-form]")
    page.wait_for_load_state("load")
    assert "已按应缴金额登记 2 人" in _message(page)
    for r in owing[1:]:
        r.refresh_from_db()
        assert r.paid == r.due and r.method == "payroll" and r.paid_on == date.today()

    # the month closed
    page.click("button[form=close-form]")
    page.wait_for_load_state("load")
    assert "已结账" in _message(page)
    assert DuesMonthClose.objects.filter(org=branch, month=month).exists()
    assert not records.filter(closed=False).exists()
    assert "本月已结账" in page.locator("main").inner_text()
    assert page.locator("button[form=close-form]").count() == 0
    page.screenshot(path=str(screenshot_dir / "journey-dues.png"), full_page=True)


def test_dues_base_reduction_request_and_decisions(open_context, server, credentials):
    from hongyin.accounts.models import User
    from hongyin.dues.models import DuesProfile, DuesReduction
    from hongyin.dues.rules import add_months, month_start
    from hongyin.members.models import Member

    branch = User.objects.get(username="branch_secretary").assignments[0].org
    first, second = (
        Member.objects.filter(org=branch, left_on__isnull=True).exclude(category="farmer").order_by("pk")[:2]
    )
    start = month_start(date.today())
    ctx, _w = open_context()
    page = ctx.new_page()
    login(page, "branch_secretary", credentials)

    page.goto(f"/dues/members/{first.pk}/")
    page.fill("[name=base]", "8000")
    page.click("form:has(input[name=form][value=profile]) button")
    page.wait_for_load_state("load")
    assert "已保存党费基数" in _message(page)
    assert DuesProfile.objects.get(member=first).base == 8000

    for member, reason in ((first, "长期患病，生活困难"), (second, "本人失业，暂无收入")):
        page.goto(f"/dues/members/{member.pk}/")
        form = page.locator("form:has(input[name=form][value=reduction])")
        form.locator("[name=kind]").select_option("exempt")
        form.locator("[name=start_month]").fill(f"{start:%Y-%m}")
        form.locator("[name=end_month]").fill(f"{add_months(start, 2):%Y-%m}")
        form.locator("[name=reason]").fill(reason)
        form.locator("button").click()
        page.wait_for_load_state("load")
        assert "减免申请已提交上级党委审批" in _message(page), page.locator("main").inner_text()[:500]
        assert "免缴" in page.locator("main .list-group").inner_text()
    one = DuesReduction.objects.get(member=first, status="requested")
    two = DuesReduction.objects.get(member=second, status="requested")

    ctx2, _w2 = open_context()
    higher = ctx2.new_page()
    login(higher, "building_admin", credentials)
    higher.goto("/dues/reductions/")
    form = higher.locator(f"form[action$='/dues/reductions/{one.pk}/decide/']")
    form.locator("[name=note]").fill("同意免缴三个月")
    form.locator("button[value=approve]").click()
    higher.wait_for_load_state("load")
    assert "已审批" in _message(higher)
    one.refresh_from_db()
    assert one.status == "approved" and one.decision_note == "同意免缴三个月"
    form = higher.locator(f"form[action$='/dues/reductions/{two.pk}/decide/']")
    form.locator("[name=note]").fill("材料不全，补充后再报")
    form.locator("button[value=refuse]").click()
    higher.wait_for_load_state("load")
    assert "已审批" in _message(higher)
    two.refresh_from_db()
    assert two.status == "refused"
    assert higher.locator(f"form[action$='/dues/reductions/{two.pk}/decide/']").count() == 0
    page.goto(f"/dues/members/{second.pk}/")
    assert "材料不全，补充后再报" in page.locator("main").inner_text()
