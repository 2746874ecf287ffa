"""Organizational life (issue 12): on a phone (375 px) the branch secretary records a theme party day with the
attendance of the roster of that day and submits it; the building committee approves it on a desktop. No page
scrolls sideways on the phone; screenshots of the list, the form, the detail and the compliance page."""

from datetime import timedelta

from django.utils import timezone

from .conftest import login

PHONE = {"width": 375, "height": 812, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_secretary_records_on_a_phone_and_the_committee_approves(open_context, server, credentials, screenshot_dir):
    from hongyin.accounts.models import User
    from hongyin.orglife.models import Meeting, MeetingStatus
    from hongyin.orglife.selectors import roster_at

    branch = User.objects.get(username="branch_secretary").assignments[0].org
    day = timezone.localdate() - timedelta(days=2)
    roster = roster_at(branch, day)
    assert len(roster) >= 2

    phone_ctx, _w = open_context(**PHONE)
    phone = phone_ctx.new_page()
    login(phone, "branch_secretary", credentials)
    phone.goto("/orglife/")
    assert phone.evaluate(OVERFLOW) <= 1
    phone.click("text=登记会议")
    phone.wait_for_load_state("load")
    phone.select_option("select[name=org]", str(branch.pk))
    phone.select_option("select[name=kind]", "theme_day")
    phone.fill("[name=title]", "主题党日：重温入党誓词")
    phone.fill("[name=held_on]", day.isoformat())
    phone.dispatch_event("[name=held_on]", "change")
    phone.wait_for_selector(f"select[name=att_{roster[0].member.pk}]")
    phone.wait_for_load_state("networkidle")  # the roster reloads on each change of branch and date: the last wins
    phone.select_option(f"select[name=att_{roster[0].member.pk}]", "sick")
    assert phone.input_value(f"select[name=att_{roster[0].member.pk}]") == "sick"
    phone.fill("[name=minutes]", "全体党员面向党旗重温入党誓词，交流入党初心。")
    assert phone.evaluate(OVERFLOW) <= 1, "the form scrolls sideways at 375 px"
    phone.screenshot(path=str(screenshot_dir / "orglife-form-phone.png"), full_page=True)
    phone.click("#meeting-form button.btn-primary")
    phone.wait_for_load_state("load")
    m = Meeting.objects.get(org=branch, title="主题党日：重温入党誓词")
    assert (m.expected, m.present) == (len(roster), len(roster) - 1)
    assert "会议记录已保存" in phone.locator(".hy-messages").inner_text()
    assert phone.evaluate(OVERFLOW) <= 1
    phone.click("#act-form button:has-text('报送上级审核')")
    phone.wait_for_load_state("load")
    m.refresh_from_db()
    assert m.status == MeetingStatus.SUBMITTED
    assert "待上级审核" in phone.locator("[data-testid=status]").inner_text()
    phone.screenshot(path=str(screenshot_dir / "orglife-detail-phone.png"), full_page=True)
    phone.goto("/orglife/")
    assert phone.evaluate(OVERFLOW) <= 1
    phone.screenshot(path=str(screenshot_dir / "orglife-list-phone.png"), full_page=True)

    desk_ctx, _w2 = open_context(width=1280, height=800)
    desk = desk_ctx.new_page()
    login(desk, "building_admin", credentials)
    desk.goto(f"/orglife/{m.pk}/")
    desk.fill("#act-form [name=reason]", "记录完整，同意")
    desk.click("#act-form button:has-text('审核通过')")
    desk.wait_for_load_state("load")
    m.refresh_from_db()
    assert m.status == MeetingStatus.APPROVED
    assert "已审核" in desk.locator("[data-testid=status]").inner_text()
    desk.goto("/orglife/compliance/")
    assert desk.locator("[data-testid=figures]").is_visible()
    desk.screenshot(path=str(screenshot_dir / "orglife-compliance.png"), full_page=True)


def test_secretary_reads_the_months_guide_and_records_a_meeting_from_it(
    open_context, server, credentials, screenshot_dir
):
    from hongyin.accounts.models import User
    from hongyin.orglife.models import Meeting
    from hongyin.orglife.selectors import current_guide, guide_topics

    branch = User.objects.get(username="branch_secretary").assignments[0].org
    guide = current_guide(timezone.localdate())
    assert guide is not None, "the demo publishes this month's guide"
    kind, _label, topics = guide_topics(guide)[0]
    topic = topics[0].title

    ctx, _w = open_context(**PHONE)
    phone = ctx.new_page()
    login(phone, "branch_secretary", credentials)
    phone.goto("/orglife/")
    card = phone.locator("[data-testid=current-guide]")
    assert guide.title in card.inner_text()
    card.locator("a.btn").click()
    phone.wait_for_load_state("load")
    assert phone.evaluate(OVERFLOW) <= 1, "the guide scrolls sideways at 375 px"
    assert topic in phone.locator("[data-testid=guide-topics]").inner_text()
    phone.screenshot(path=str(screenshot_dir / "orglife-guide-phone.png"), full_page=True)
    phone.locator("[data-testid=guide-topics] a:has-text('按此议题登记会议')").first.click()
    phone.wait_for_load_state("load")
    assert phone.input_value("[name=title]") == topic
    assert phone.input_value("select[name=kind]") == kind
    phone.select_option("select[name=org]", str(branch.pk))
    phone.wait_for_load_state("networkidle")
    phone.wait_for_selector("[data-testid=roster] select")
    phone.fill("[name=minutes]", f"按本月组织生活指南召开：{topic}。")
    assert phone.evaluate(OVERFLOW) <= 1
    phone.click("#meeting-form button.btn-primary")
    phone.wait_for_load_state("load")
    assert "会议记录已保存" in phone.locator(".hy-messages").inner_text()
    m = Meeting.objects.filter(org=branch, title=topic, kind=kind).latest("id")
    assert m.held_on == timezone.localdate() and m.expected >= 1 and m.topics == topic
