"""Party-spirit check-up and points (issue 12, items 6 and 7): on a phone (375 px) a member fills this year's
check-up by touch, saves a draft, submits it and sees the radar beside its table; on a desktop the zone publishes
a new version of the points rules and switches the rankings off. No page scrolls sideways on the phone."""

from datetime import timedelta

from django.utils import timezone

from .conftest import login

PHONE = {"width": 375, "height": 812, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_member_fills_the_checkup_on_a_phone(open_context, server, credentials, screenshot_dir):
    from hongyin.checkup.models import Checkup, CheckupStatus
    from hongyin.checkup.selectors import current_questionnaire
    from hongyin.members.models import Member

    me = Member.objects.get(user__username="member")
    year = timezone.localdate().year
    assert not Checkup.objects.filter(member=me, year=year).exists()
    q = current_questionnaire()
    items = [i for d in q.dimensions.all() for i in d.items.all()]

    ctx, _w = open_context(**PHONE)
    page = ctx.new_page()
    login(page, "member", credentials)
    page.goto("/")
    page.click("[data-testid=checkup-fill]")
    page.wait_for_load_state("load")
    assert page.evaluate(OVERFLOW) <= 1, "the check-up scrolls sideways at 375 px"
    box = page.locator(f"label[for=item-{items[0].pk}-4]").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, "tap targets too small"
    page.tap(f"label[for=item-{items[0].pk}-5]")
    page.click("button[name=do][value=save]")
    page.wait_for_load_state("load")
    c = Checkup.objects.get(member=me, year=year)
    assert c.status == CheckupStatus.DRAFT and c.answers.get().self_score == 5
    assert page.is_checked(f"#item-{items[0].pk}-5")
    for i, item in enumerate(items[1:]):
        page.tap(f"label[for=item-{item.pk}-{3 + i % 3}]")
    page.fill("[name=summary]", "理论学习还需加强。")
    page.screenshot(path=str(screenshot_dir / "checkup-form-phone.png"), full_page=True)
    page.on("dialog", lambda d: d.accept())
    page.click("button[name=do][value=submit]")
    page.wait_for_load_state("load")
    c.refresh_from_db()
    assert c.status == CheckupStatus.SUBMITTED and c.answers.count() == len(items)
    assert "已提交" in page.locator("[data-testid=status]").inner_text()
    page.wait_for_selector("[data-testid=radar] svg")
    assert page.locator("[data-testid=radar-table] tbody tr").count() == len(q.dimensions.all())
    assert page.evaluate(OVERFLOW) <= 1
    page.screenshot(path=str(screenshot_dir / "checkup-radar-phone.png"), full_page=True)


def test_zone_edits_a_rule_version_and_switches_rankings_off(open_context, server, credentials, screenshot_dir):
    from hongyin.points.models import PointsSettings, RuleSet

    ctx, _w = open_context(width=1920, height=1080)
    page = ctx.new_page()
    login(page, "zone_admin", credentials)
    page.goto("/points/rules/")
    day = timezone.localdate() + timedelta(days=7)
    page.fill("[name=effective_from]", day.isoformat())
    page.fill("[name=note]", "参加组织生活提高到 6 分")
    page.fill("[name=meeting_attend_points]", "6")
    page.click("[data-testid=ruleset-form] button.btn-primary")
    page.wait_for_load_state("load")
    rs = RuleSet.objects.get(effective_from=day)
    assert rs.rules.get(action="meeting_attend").points == 6
    assert "待生效" in page.locator("[data-testid=versions]").inner_text()
    page.uncheck("#s-rank")
    page.click("form:has(#s-rank) button")
    page.wait_for_load_state("load")
    assert PointsSettings.current().rankings_enabled is False
    page.screenshot(path=str(screenshot_dir / "points-rules.png"), full_page=True)
    page.goto("/points/ranking/")
    assert page.locator("[data-testid=rankings-off]").is_visible()
    assert page.locator("[data-testid=ranking]").count() == 0
