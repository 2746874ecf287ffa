"""Member development clicked through its real page (issue 11): the branch secretary opens a case on the "new"
form and records steps of every stage on the case page; the committee above (building_admin) records its filing
and approval steps on the same page; probation is extended; the case reaches full membership and is archived.
Steps in between are recorded through the services (dates are the regulation's: a year as activist, a year of
probation, approvals within three months). Another case is closed on its page."""

import random
from datetime import date, timedelta

from .conftest import login

T = date.today()
FRESH: dict[int, int] = {}  # id(page) -> the case it shows as it now is


def ago(days: int) -> date:
    return T - timedelta(days=days)


def _step(page, case, number: int, on: date, **fields):
    """Open the step's card, fill its form as rendered, record it; the page says so."""
    from hongyin.development.steps import STEP_BY_NUMBER

    if FRESH.get(id(page)) != case.pk:  # the page may show the case as it was before other writes
        page.goto(f"/development/{case.pk}/")
    form = page.locator(f"form[action$='/development/{case.pk}/steps/{number}/']")
    assert form.count() == 1, f"step {number} is not offered on the case page"
    form.locator("xpath=..").locator("summary").click()
    form.locator(f"[name='s{number}-done_on']").fill(on.isoformat())
    for name, value in fields.items():
        control = form.locator(f"[name='s{number}-{name}']")
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(str(value))
    form.locator("button").click()
    page.wait_for_load_state("load")
    messages = page.locator(".hy-messages").inner_text()
    assert f"已记录：{STEP_BY_NUMBER[number].title}" in messages, page.locator("main").inner_text()[:800]
    assert case.steps.filter(step=number, done_on=on).exists()
    FRESH.clear()
    FRESH[id(page)] = case.pk


def _service(case, number, on, actor, **kw):
    from hongyin.development import services

    FRESH.clear()
    case.refresh_from_db()  # the version the browser's steps moved on
    services.development_record_step(actor=actor, case=case, step=number, done_on=on, **kw)


def test_development_through_every_stage_on_the_case_page(open_context, server, credentials, screenshot_dir):
    from hongyin.accounts.models import User
    from hongyin.development import services
    from hongyin.development.models import DevelopmentCase
    from hongyin.development.steps import Stage
    from hongyin.devtools.people import new_member, person
    from hongyin.members.models import Member

    secretary, committee = User.objects.get(username="branch_secretary"), User.objects.get(username="building_admin")
    branch = secretary.assignments[0].org
    rng = random.Random(2011)
    party = [new_member(branch, rng=rng, status="full") for _ in range(3)]
    entitled = services.full_members_of(branch).count()

    ctx, _w = open_context()
    sec = ctx.new_page()
    login(sec, "branch_secretary", credentials)
    ctx2, _w2 = open_context()
    higher = ctx2.new_page()
    login(higher, "building_admin", credentials)

    # the applicant: the "new case" form
    who = person(rng, born_to=date(2000, 1, 1))
    sec.goto("/development/new/")
    sec.fill("[name=name]", who["name"])
    sec.fill("[name=id_number]", who["id_number"])
    sec.select_option("[name=branch]", str(branch.pk))
    sec.fill("[name=applied_on]", ago(900).isoformat())
    sec.click("main form[method=post] button")
    sec.wait_for_load_state("load")
    case = DevelopmentCase.objects.filter(branch=branch).order_by("-pk").first()
    assert case.name == who["name"]
    assert f"/development/{case.pk}/" in sec.url and "入党申请人" in sec.locator("h1").inner_text()

    # applicant -> activist
    _step(sec, case, 2, ago(890))
    _step(sec, case, 3, ago(880))
    case.refresh_from_db()
    assert case.stage == Stage.ACTIVIST and "入党积极分子" in sec.locator("h1").inner_text()
    # the filing is the committee's: not offered to the branch, offered to the committee above
    assert sec.locator("form[action$='/steps/4/']").count() == 0
    _step(higher, case, 4, ago(875))
    _step(sec, case, 5, ago(870), people=[str(party[0].pk)])
    assert party[0].name in sec.locator("[data-testid=timeline]").inner_text()
    _service(case, 6, ago(700), secretary)

    # activist -> candidate (a year after becoming an activist)
    _step(sec, case, 7, ago(500))
    case.refresh_from_db()
    assert case.stage == Stage.CANDIDATE and "发展对象" in sec.locator("h1").inner_text()
    _service(case, 8, ago(495), committee)
    _service(case, 9, ago(494), secretary, people=party[:2])
    _step(sec, case, 10, ago(493), conclusion="qualified")
    _step(sec, case, 11, ago(492), training_days=3, training_hours=24)
    _service(case, 12, ago(480), secretary)
    _service(case, 13, ago(475), committee)
    _service(case, 14, ago(470), secretary)
    _step(sec, case, 15, ago(460), yes_votes=entitled)
    assert f"赞成 {entitled} / 应到 {entitled}" in sec.locator("[data-testid=timeline]").inner_text()
    _service(case, 16, ago(455), committee)

    # candidate -> probationary: the committee's approval makes the member record
    _step(higher, case, 17, ago(450))
    case.refresh_from_db()
    assert case.stage == Stage.PROBATIONARY and "预备党员" in higher.locator("h1").inner_text()
    member = Member.objects.get(pk=case.member_id)
    assert member.status == "probationary" and member.org == branch
    _service(case, 18, ago(445), committee)
    _service(case, 19, ago(440), secretary)
    _step(sec, case, 20, ago(440))

    # probation extended once, on its form
    ends = case.probation_ends_on
    sec.locator("summary:has-text('延长预备期')").click()
    form = sec.locator("form[action$='/extend/']")
    form.locator("[name=months]").fill("1")
    form.locator("[name=decided_on]").fill(ago(200).isoformat())
    form.locator("[name=reason]").fill("理论学习不够深入")
    form.locator("button").click()
    sec.wait_for_load_state("load")
    assert "已延长预备期" in sec.locator(".hy-messages").inner_text()
    case.refresh_from_db()
    assert case.probation_extended and case.probation_ends_on == services.add_months(ends, 1)
    assert "已延长" in sec.locator("main").inner_text()
    assert sec.locator("form[action$='/extend/']").count() == 0  # only once

    # probationary -> full
    _service(case, 22, ago(100), secretary)
    _step(sec, case, 23, ago(50), yes_votes=entitled)
    _step(higher, case, 24, ago(30))
    case.refresh_from_db()
    member.refresh_from_db()
    assert case.stage == Stage.FULL and member.status == "full"
    assert member.full_member_on == case.probation_ends_on
    assert "正式党员" in higher.locator("h1").inner_text()
    _step(sec, case, 25, ago(10))
    assert sec.locator("form[action*='/steps/']").count() == 0  # nothing left to do
    assert case.steps.count() == 25  # 1-20, 22-25 and the extension (recorded as a step 21)
    sec.screenshot(path=str(screenshot_dir / "journey-development.png"), full_page=True)


def test_development_case_closed_on_its_page(open_context, server, credentials):
    from hongyin.accounts.models import User
    from hongyin.development import services
    from hongyin.development.steps import Stage
    from hongyin.devtools.people import person

    secretary = User.objects.get(username="branch_secretary")
    who = person(random.Random(2012), born_to=date(2000, 1, 1))
    who.pop("gender")
    case = services.development_case_create(
        actor=secretary, branch=secretary.assignments[0].org, applied_on=ago(20), **who
    )
    ctx, _w = open_context()
    page = ctx.new_page()
    login(page, "branch_secretary", credentials)
    page.goto(f"/development/{case.pk}/")
    page.locator("summary:has-text('终止档案')").click()
    form = page.locator("form[action$='/close/']")
    form.locator("[name=reason]").fill("本人撤回入党申请")
    form.locator("button").click()
    page.wait_for_load_state("load")
    assert "档案已终止" in page.locator(".hy-messages").inner_text()
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED and case.closed_reason == "本人撤回入党申请"
    assert "本人撤回入党申请" in page.locator("main").inner_text()
    assert page.locator("form[action*='/steps/'], form[action$='/close/']").count() == 0
