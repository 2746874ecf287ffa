"""Study (issue 12 item 4): the branch secretary assigns a course to the branch on a desktop; a member on a phone
(375 px) opens the material from its assignments and stays on the page (the heartbeat interval shortened to one
second) until it is finished, then starts a discussion with a post; the secretary sees the branch's feedback count
grow. No page scrolls sideways on the phone; screenshots of the material, the thread and the feedback page."""

from datetime import timedelta

from django.utils import timezone

from .conftest import login

PHONE = {"width": 375, "height": 812, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_a_member_studies_on_a_phone_and_the_secretary_sees_the_feedback(
    open_context, server, credentials, screenshot_dir, settings
):
    from hongyin.accounts.models import User
    from hongyin.learning import selectors, services
    from hongyin.learning.models import Assignment, Material, Progress, Thread

    settings.HONGYIN_STUDY_HEARTBEAT_SECONDS = 1
    secretary = User.objects.get(username="branch_secretary")
    branch = secretary.assignments[0].org
    material = services.material_create(
        actor=None, org=branch, title="学习党章：党员的权利和义务", kind="text", body="党员的八项义务与八项权利。"
    )
    Material.objects.filter(pk=material.pk).update(min_seconds=4)  # a short material for the test
    course = services.course_create(actor=None, org=branch, title="党章学习课程", materials=[material])
    year = timezone.localdate().year
    before = {r["branch"].pk: r["count"] for r in selectors.feedback_counts(secretary, year=year)}[branch.pk]

    desk_ctx, _w = open_context(width=1280, height=800)
    desk = desk_ctx.new_page()
    login(desk, "branch_secretary", credentials)
    desk.goto(f"/learning/courses/{course.pk}/")
    desk.click("text=布置学习")
    desk.wait_for_load_state("load")
    desk.select_option("select[name=org]", str(branch.pk))
    desk.select_option("select[name=course]", str(course.pk))
    desk.select_option("select[name=target_org]", str(branch.pk))
    desk.fill("[name=due_on]", (timezone.localdate() + timedelta(days=14)).isoformat())
    desk.click("#assignment-form button.btn-primary")
    desk.wait_for_load_state("load")
    assignment = Assignment.objects.get(course=course)
    assert assignment.target_org == branch
    assert "学习任务已布置" in desk.locator(".hy-messages").inner_text()

    phone_ctx, _w2 = open_context(**PHONE)
    phone = phone_ctx.new_page()
    login(phone, "member", credentials)
    phone.goto("/learning/assignments/")
    assert phone.evaluate(OVERFLOW) <= 1
    phone.click("[data-testid=mine] >> text=党章学习课程")
    phone.wait_for_load_state("load")
    phone.click("text=学习党章：党员的权利和义务")
    phone.wait_for_load_state("load")
    phone.wait_for_selector("[data-testid=progress][data-finished='1']", timeout=20_000)
    progress = Progress.objects.get(material=material, member__user__username="member")
    assert progress.finished_at is not None and progress.seconds >= 4
    assert phone.locator("[data-study-done]").is_visible()
    assert phone.evaluate(OVERFLOW) <= 1, "the material page scrolls sideways at 375 px"
    phone.screenshot(path=str(screenshot_dir / "learning-material-phone.png"), full_page=True)

    phone.click("text=发起研讨")
    phone.wait_for_load_state("load")
    phone.fill("[name=title]", "学习党章体会")
    phone.fill("[name=body]", "对照党员的八项义务，找差距、定措施。")
    phone.click("#thread-form button.btn-primary")
    phone.wait_for_load_state("load")
    thread = Thread.objects.get(title="学习党章体会")
    assert thread.branch == branch and thread.material == material
    phone.fill("#post-body", "在研发岗位上当好先锋。")
    phone.click("#post-form button.btn-primary")
    phone.wait_for_load_state("load")
    assert thread.posts.count() == 2
    assert phone.evaluate(OVERFLOW) <= 1
    phone.screenshot(path=str(screenshot_dir / "learning-thread-phone.png"), full_page=True)

    desk.goto(f"/learning/feedback/?year={year}")
    cell = desk.locator(f"[data-testid=feedback] [data-branch='{branch.pk}']")
    assert cell.inner_text().strip() == str(before + 2)
    desk.screenshot(path=str(screenshot_dir / "learning-feedback.png"), full_page=True)
    desk.goto(f"/learning/assignments/{assignment.pk}/")
    assert desk.locator("[data-testid=completion]").is_visible()
