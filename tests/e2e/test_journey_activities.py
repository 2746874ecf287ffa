"""Activities (issue 12, item 3) on a phone (375 px): the branch secretary publishes a volunteer service, a member
signs up, the secretary's screen shows the check-in QR, the member opens the URL in the QR and checks in, checks
out at the end and sees the volunteer hours. No page scrolls sideways; screenshots of each step."""

from datetime import timedelta

from django.utils import timezone

from .conftest import login

PHONE = {"width": 375, "height": 812, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_publish_sign_up_check_in_by_qr_and_out_on_a_phone(open_context, server, credentials, screenshot_dir):
    from hongyin.accounts.models import User
    from hongyin.activities.models import Activity, Signup

    branch = User.objects.get(username="branch_secretary").assignments[0].org
    now = timezone.now()

    sec_ctx, _w = open_context(**PHONE)
    sec = sec_ctx.new_page()
    login(sec, "branch_secretary", credentials)
    sec.goto("/activities/")
    assert sec.evaluate(OVERFLOW) <= 1
    sec.click("text=发布活动")
    sec.wait_for_load_state("load")
    sec.select_option("select[name=org]", str(branch.pk))
    sec.select_option("select[name=kind]", "volunteer")
    sec.fill("[name=title]", "楼宇文明引导志愿服务（旅程）")
    sec.fill("[name=place]", "楼宇一层大厅")
    sec.fill("[name=starts_at]", _local(now + timedelta(minutes=20)))
    sec.fill("[name=ends_at]", _local(now + timedelta(hours=3, minutes=20)))
    sec.fill("[name=signup_deadline]", _local(now + timedelta(minutes=15)))
    sec.fill("[name=capacity]", "20")
    sec.fill("[name=description]", "引导来访群众，维护楼宇秩序。")
    assert sec.evaluate(OVERFLOW) <= 1, "the form scrolls sideways at 375 px"
    sec.screenshot(path=str(screenshot_dir / "activities-form-phone.png"), full_page=True)
    sec.click("#activity-form button[type=submit]")
    sec.wait_for_load_state("load")
    a = Activity.objects.get(title="楼宇文明引导志愿服务（旅程）")
    assert "活动已发布" in sec.locator(".hy-messages").inner_text()

    mem_ctx, _w2 = open_context(**PHONE)
    mem = mem_ctx.new_page()
    login(mem, "member", credentials)
    mem.goto("/activities/")
    mem.click(f"a:has-text('{a.title}')")
    mem.wait_for_load_state("load")
    mem.click("[data-testid=my-signup] button:has-text('报名参加')")
    mem.wait_for_load_state("load")
    assert "报名成功" in mem.locator(".hy-messages").inner_text()
    assert mem.evaluate(OVERFLOW) <= 1
    mem.screenshot(path=str(screenshot_dir / "activities-detail-phone.png"), full_page=True)

    sec.goto(f"/activities/{a.pk}/")
    sec.click("text=现场签到二维码")
    sec.wait_for_load_state("load")
    assert sec.locator("[data-testid=qr] svg").is_visible()
    assert sec.evaluate(OVERFLOW) <= 1
    sec.screenshot(path=str(screenshot_dir / "activities-qr-phone.png"), full_page=True)
    url = sec.locator("[data-testid=checkin-url]").get_attribute("href")
    assert "/checkin/?c=" in url

    mem.goto(url)  # what the phone's camera opens
    mem.click("button:has-text('确认签到')")
    mem.wait_for_load_state("load")
    assert "签到成功" in mem.locator(".hy-messages").inner_text()
    assert mem.locator("[data-testid=checked-in]").is_visible()
    assert mem.evaluate(OVERFLOW) <= 1
    mem.screenshot(path=str(screenshot_dir / "activities-checkin-phone.png"), full_page=True)
    # two hours of service pass (the check-in's clock is moved; the check-out is the page's own)
    signup = Signup.objects.get(activity=a, member__user__username="member")
    Signup.objects.filter(pk=signup.pk).update(checked_in_at=signup.checked_in_at - timedelta(hours=2))
    mem.click("button:has-text('签退')")
    mem.wait_for_load_state("load")
    assert "签退成功" in mem.locator(".hy-messages").inner_text()
    assert mem.url.endswith("/activities/hours/")
    assert a.title in mem.locator("table").inner_text()
    total = mem.locator("[data-testid=hours-total]").inner_text()
    assert float(total) >= 2.0
    assert mem.evaluate(OVERFLOW) <= 1
    mem.screenshot(path=str(screenshot_dir / "activities-hours-phone.png"), full_page=True)

    sec.goto(f"/activities/{a.pk}/")
    assert "陈静" in sec.locator("[data-testid=attendance]").inner_text()
    assert sec.evaluate(OVERFLOW) <= 1
