"""Every action of an organization-relationship transfer, clicked on its real page by the real role (issue 11):
the branch secretary requests and approves, the receiving committee returns it with a reason, the secretary
resubmits, the receiving side accepts (the member's record moves); another request is cancelled; a letter to an
organization outside the platform is issued and its slip registered; a member transferred in is received."""

from .conftest import login


def _member(branch, *, skip=()):
    from hongyin.members.models import Member
    from hongyin.transfers.models import OPEN_STATUSES, Transfer

    busy = Transfer.objects.filter(status__in=OPEN_STATUSES).values("member_id")
    return (
        Member.objects.filter(org=branch, left_on__isnull=True, status="full")
        .exclude(pk__in=busy)
        .exclude(pk__in=skip)
        .order_by("pk")
        .first()
    )


def _request(page, member, target, reason):
    page.goto(f"/transfers/new/?q={member.name}")
    page.click(f"a[href*='member={member.pk}']")
    page.select_option("select[name=target]", str(target.pk))
    page.fill("[name=reason]", reason)
    page.click("form[method=post] button.btn-primary >> text=提交转出审批")
    page.wait_for_load_state("load")


def _act(page, button: str, reason: str = ""):
    if reason:
        page.fill("#act-form [name=reason]", reason)
    page.click(f"#act-form button:has-text('{button}')")
    page.wait_for_load_state("load")
    assert "已办理" in page.locator(".hy-messages").inner_text()


def test_transfer_inside_the_platform_every_action(open_context, server, credentials, screenshot_dir):
    from hongyin.accounts.models import User
    from hongyin.devtools.demo import lookup_zone
    from hongyin.orgs.models import BRANCH_KINDS, Organization
    from hongyin.transfers.models import Transfer, TransferStatus

    zone = lookup_zone()
    source = User.objects.get(username="branch_secretary").assignments[0].org
    target, other = Organization.objects.filter(
        path__startswith=zone.chain.path, kind__in=BRANCH_KINDS, dissolved_on__isnull=True
    ).order_by("path")[:2]
    member = _member(source)

    sec_ctx, _w = open_context()
    sec = sec_ctx.new_page()
    login(sec, "branch_secretary", credentials)
    _request(sec, member, other, "工作调动，随单位迁入产业链")
    t = Transfer.objects.get(member=member, status=TransferStatus.REQUESTED)
    assert t.number in sec.locator("h1").inner_text() and "待转出党组织审批" in sec.locator("h1").inner_text()
    assert t.target == other and t.reason == "工作调动，随单位迁入产业链"

    _act(sec, "同意转出", "同意")
    t.refresh_from_db()
    assert t.status == TransferStatus.APPROVED
    assert "待接收党组织接收" in sec.locator("h1").inner_text()
    assert sec.locator("#act-form").count() == 0  # the source has nothing more to do

    chain_ctx, chain_watch = open_context()
    chain_watch.allow("422")  # the return without a reason, refused on purpose
    chain = chain_ctx.new_page()
    login(chain, "chain_admin", credentials)
    chain.goto(f"/transfers/{t.pk}/")
    # a return without a reason is refused, visibly, and nothing changes
    chain.click("#act-form button:has-text('退回')")
    chain.wait_for_load_state("load")
    assert chain.locator(".invalid-feedback, .alert-danger").count() >= 1
    t.refresh_from_db()
    assert t.status == TransferStatus.APPROVED
    _act(chain, "退回", "介绍信缺少支部盖章")
    t.refresh_from_db()
    assert t.status == TransferStatus.RETURNED and t.return_reason == "介绍信缺少支部盖章"
    assert "介绍信缺少支部盖章" in chain.locator("main").inner_text()

    sec.goto(f"/transfers/{t.pk}/")
    assert "介绍信缺少支部盖章" in sec.locator("main").inner_text()
    sec.select_option("#act-form select[name=target]", str(target.pk))
    _act(sec, "重新提交", "已补盖章，改转光子产业链另一支部")
    t.refresh_from_db()
    assert t.status == TransferStatus.REQUESTED and t.target == target
    _act(sec, "同意转出")
    t.refresh_from_db()
    assert t.status == TransferStatus.APPROVED

    chain.goto(f"/transfers/{t.pk}/")
    _act(chain, "接收", "欢迎")
    t.refresh_from_db()
    member.refresh_from_db()
    assert t.status == TransferStatus.ACCEPTED and member.org == target
    assert "已接收" in chain.locator("h1").inner_text()
    events = chain.locator("main ol").inner_text()
    for label in ("待转出党组织审批", "待接收党组织接收", "已退回", "已接收"):
        assert label in events
    chain.screenshot(path=str(screenshot_dir / "journey-transfer.png"), full_page=True)

    # another request, cancelled by the source
    second = _member(source, skip=[member.pk])
    _request(sec, second, target, "随配偶迁居")
    t2 = Transfer.objects.get(member=second, status=TransferStatus.REQUESTED)
    _act(sec, "撤销", "本人不再迁出")
    t2.refresh_from_db()
    assert t2.status == TransferStatus.CANCELLED and "已撤销" in sec.locator("h1").inner_text()
    assert sec.locator("#act-form").count() == 0


def test_transfer_out_letter_slip_and_transfer_in(open_context, server, credentials):
    from datetime import date

    from hongyin.accounts.models import User
    from hongyin.members.models import Member
    from hongyin.transfers.models import Transfer, TransferKind, TransferStatus

    source = User.objects.get(username="branch_secretary").assignments[0].org
    member = _member(source)
    ctx, _w = open_context()
    page = ctx.new_page()
    login(page, "branch_secretary", credentials)
    page.goto(f"/transfers/new/?kind=out&q={member.name}")
    page.click(f"a[href*='member={member.pk}']")
    page.fill("[name=external_org]", "北京市海淀区某街道党工委")
    page.fill("[name=reason]", "户籍迁出")
    page.click("form[method=post] button:has-text('开具介绍信')")
    page.wait_for_load_state("load")
    t = Transfer.objects.get(member=member, kind=TransferKind.OUT)
    assert t.status == TransferStatus.ISSUED and t.external_org == "北京市海淀区某街道党工委"
    assert "介绍信" in page.locator("main").inner_text()
    with page.expect_download() as download:
        page.click("a[href$='letter.pdf']")
    assert download.value.suggested_filename.endswith(".pdf")
    page.fill("#act-form [name=slip_returned_on]", date.today().isoformat())
    _act(page, "登记回执已退回")
    t.refresh_from_db()
    assert t.status == TransferStatus.COMPLETED and t.slip_returned_on == date.today()

    # a member transferred in from outside the platform
    page.goto("/transfers/receive/")
    page.select_option("select[name=target]", str(source.pk))
    page.fill("[name=external_org]", "上海市浦东新区某党委")
    page.fill("[name=name]", "浏览器转入")
    page.fill("[name=id_number]", "11010519491231002X")
    page.select_option("select[name=category]", index=0)
    page.select_option("select[name=status]", "full")
    page.fill("[name=joined_on]", "2010-07-01")
    page.fill("[name=full_member_on]", "2011-07-01")
    page.click("form[method=post] button.btn-primary")
    page.wait_for_load_state("load")
    assert "已接收转入党员" in page.locator(".hy-messages").inner_text()
    received = Member.objects.get(name="浏览器转入")
    assert received.org == source and received.left_on is None
