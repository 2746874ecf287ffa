"""Study: reading time counted by heartbeats (capped, only for visible materials, only for the member itself), the
finish with its points, notes kept private, threads of one's own branch only, moderation, assignments, hours."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError, NotFound
from hongyin.learning import selectors, services
from hongyin.learning.models import Note, Post, Progress
from hongyin.members.models import Member
from hongyin.orgs.models import Organization, OrgKind
from hongyin.points.models import PointEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_user(users):
    return users["member"]


@pytest.fixture
def me(member_user):
    return Member.objects.get(user=member_user)


@pytest.fixture
def elsewhere(branch):
    """A branch that is not the demo member's (outside its scope)."""
    return (
        Organization.objects.filter(kind=OrgKind.BRANCH, dissolved_on__isnull=True)
        .exclude(pk=branch.pk)
        .order_by("path")
        .first()
    )


def _material(org, minutes=5, **kw):
    return services.material_create(
        actor=None, org=org, title=kw.pop("title", "测试学习资料"), kind="text", body="正文", min_minutes=minutes, **kw
    )


def _beats(user, material, steps, start):
    """Heartbeats at start, start + steps[0], ... each claiming the time since the previous one."""
    at = start
    p = services.heartbeat(actor=user, material=material, elapsed=0, now=at)
    for step in steps:
        at += timedelta(seconds=step)
        p = services.heartbeat(actor=user, material=material, elapsed=step, now=at)
    return p


# --- heartbeats -------------------------------------------------------------------------------------------------------


def test_the_first_heartbeat_starts_and_counts_nothing(member_user, me, branch):
    m = _material(branch)
    p = services.heartbeat(actor=member_user, material=m, elapsed=0)
    assert (p.member, p.seconds, p.finished_at) == (me, 0, None)
    assert AuditEvent.objects.filter(action="study.start").exists()


def test_heartbeats_add_the_visible_time(member_user, branch):
    m = _material(branch)
    p = _beats(member_user, m, [15, 15, 14], timezone.now())
    assert p.seconds == 44 and p.finished_at is None


def test_a_beat_adds_no_more_than_the_time_since_the_last_one(member_user, branch):
    """Two tabs (or a forged client) claiming 30 s every 5 s get 5 s (+1 for rounding) each, not 30."""
    m = _material(branch)
    start = timezone.now()
    services.heartbeat(actor=member_user, material=m, elapsed=0, now=start)
    p = services.heartbeat(actor=member_user, material=m, elapsed=30, now=start + timedelta(seconds=5))
    assert p.seconds == 6


def test_a_background_tab_coming_back_gets_at_most_the_cap(member_user, branch):
    m = _material(branch)
    start = timezone.now()
    services.heartbeat(actor=member_user, material=m, elapsed=0, now=start)
    p = services.heartbeat(actor=member_user, material=m, elapsed=30, now=start + timedelta(hours=2))
    assert p.seconds == 30 == services.heartbeat_cap()


@pytest.mark.parametrize("forged", [31, 3600, 10**12, -5, "abc", None, True])
def test_a_forged_elapsed_time_is_refused_and_nothing_written(member_user, branch, forged):
    m = _material(branch)
    start = timezone.now()
    services.heartbeat(actor=member_user, material=m, elapsed=0, now=start)
    with pytest.raises(DomainError):
        services.heartbeat(actor=member_user, material=m, elapsed=forged, now=start + timedelta(seconds=20))
    p = Progress.objects.get(material=m)
    assert (p.seconds, p.beats) == (0, 1)


def test_the_interval_is_a_setting(member_user, branch, settings):
    settings.HONGYIN_STUDY_HEARTBEAT_SECONDS = 1
    m = _material(branch)
    start = timezone.now()
    services.heartbeat(actor=member_user, material=m, elapsed=0, now=start)
    with pytest.raises(DomainError):
        services.heartbeat(actor=member_user, material=m, elapsed=3, now=start + timedelta(seconds=3))


def test_a_heartbeat_for_a_material_not_visible_is_refused(member_user, elsewhere):
    m = _material(elsewhere)
    with pytest.raises(NotFound):
        services.heartbeat(actor=member_user, material=m, elapsed=0)
    assert not Progress.objects.filter(material=m).exists()


def test_the_zones_materials_are_visible_to_every_member(member_user, demo):
    m = _material(demo.root)
    assert services.heartbeat(actor=member_user, material=m, elapsed=0).pk


def test_an_account_without_a_member_record_records_no_time(users, branch):
    m = _material(branch)
    with pytest.raises(DomainError):
        services.heartbeat(actor=users["zone_admin"], material=m, elapsed=0)
    assert not Progress.objects.filter(material=m).exists()


def test_reaching_the_minimum_finishes_the_material_with_points_once(member_user, me, branch):
    m = _material(branch, minutes=5)
    start = timezone.now()
    p = _beats(member_user, m, [30] * 9, start)
    assert p.finished_at is None and p.seconds == 270
    p = _beats(member_user, m, [30], start + timedelta(seconds=271))
    assert p.finished_at is not None and p.seconds == 300
    entries = PointEntry.objects.filter(member=me, action="study_finish", source_id=str(p.pk))
    assert entries.count() == 1
    services.heartbeat(actor=member_user, material=m, elapsed=30, now=timezone.now() + timedelta(minutes=30))
    assert entries.count() == 1  # no points twice for the same reading
    assert AuditEvent.objects.filter(action="study.finish").count() == 1


def test_a_finish_below_the_points_rule_dwell_records_hours_without_points(member_user, me, branch):
    m = _material(branch, minutes=1)  # 60 s: the demo rule asks 300 s for points
    p = _beats(member_user, m, [30, 30], timezone.now())
    assert p.finished_at is not None
    assert not PointEntry.objects.filter(member=me, action="study_finish", source_id=str(p.pk)).exists()


# --- notes ----------------------------------------------------------------------------------------------------------


def test_notes_are_the_members_own(member_user, users, branch):
    m = _material(branch)
    note = services.note_save(actor=member_user, material=m, body="学习体会")
    secretary = users["branch_secretary"]
    with pytest.raises(NotFound):
        services.note_save(actor=secretary, material=m, body="改写", note=note)
    with pytest.raises(NotFound):
        services.note_delete(actor=secretary, note=note)
    note.refresh_from_db()
    assert note.body == "学习体会"


def test_an_empty_note_is_refused(member_user, branch):
    m = _material(branch)
    with pytest.raises(DomainError):
        services.note_save(actor=member_user, material=m, body="   ")
    assert not Note.objects.filter(material=m).exists()


# --- threads, posts, moderation -------------------------------------------------------------------------------------


def test_a_post_in_the_members_branch_earns_feedback_points(member_user, me, branch):
    t = services.thread_create(actor=member_user, branch=branch, kind="discussion", title="交流研讨：岗位建功")
    post = services.post_create(actor=member_user, thread=t, body="要在岗位上当好先锋。")
    reply = services.post_create(actor=member_user, thread=t, body="同意。", parent=post)
    t.refresh_from_db()
    assert t.posts_count == 2 and reply.parent == post and post.author_name == me.name
    assert PointEntry.objects.filter(member=me, action="feedback_post", source_id=str(post.pk)).exists()


def test_a_post_in_a_thread_of_another_branch_is_refused(member_user, elsewhere):
    t = services.thread_create(actor=None, branch=elsewhere, kind="discussion", title="他支部的研讨")
    with pytest.raises(NotFound):
        services.post_create(actor=member_user, thread=t, body="越界发言")
    with pytest.raises(NotFound):
        services.thread_create(actor=member_user, branch=elsewhere, kind="discussion", title="越界")
    assert not Post.objects.filter(thread=t).exists()


def test_the_secretary_hides_a_post_with_a_reason(member_user, users, branch):
    t = services.thread_create(actor=member_user, branch=branch, kind="self", title="自学体会", body="无关内容")
    post = t.posts.get()
    with pytest.raises(NotFound):
        services.post_hide(actor=member_user, post=post, reason="无关")
    with pytest.raises(DomainError):
        services.post_hide(actor=users["branch_secretary"], post=post, reason=" ")
    hidden = services.post_hide(actor=users["branch_secretary"], post=post, reason="与学习主题无关")
    assert hidden.hidden and hidden.hidden_reason == "与学习主题无关"
    assert AuditEvent.objects.filter(action="study.post_hide").exists()
    t.refresh_from_db()
    assert t.posts_count == 0
    with pytest.raises(DomainError):
        services.post_create(actor=member_user, thread=t, body="回复", parent=post)


def test_feedback_counts_per_branch(users, member_user, branch):
    year = timezone.localdate().year
    before = {r["branch"].pk: r["count"] for r in selectors.feedback_counts(users["branch_secretary"], year=year)}
    t = services.thread_create(actor=member_user, branch=branch, kind="discussion", title="研讨", body="发言")
    services.post_create(actor=member_user, thread=t, body="回复", parent=t.posts.get())
    after = {r["branch"].pk: r["count"] for r in selectors.feedback_counts(users["branch_secretary"], year=year)}
    assert after[branch.pk] == before.get(branch.pk, 0) + 2
    assert selectors.feedback_total(users["branch_secretary"], year) == after[branch.pk]


# --- materials, assignments, hours ----------------------------------------------------------------------------------


def test_a_video_must_be_on_the_intranet(branch):
    with pytest.raises(DomainError):
        services.material_create(
            actor=None, org=branch, title="外网视频", kind="video", video_url="https://www.example.com/v.mp4"
        )
    m = services.material_create(
        actor=None, org=branch, title="内网视频", kind="video", video_url="http://video.intranet/a.mp4"
    )
    assert m.video_url == "http://video.intranet/a.mp4"


def test_a_secretary_publishes_only_in_its_scope(users, elsewhere):
    with pytest.raises(NotFound):
        services.material_create(actor=users["branch_secretary"], org=elsewhere, title="越界", kind="text", body="正文")


def test_assignments_refuse_a_past_deadline_and_a_target_outside(users, branch, elsewhere):
    m = _material(branch)
    secretary = users["branch_secretary"]
    today = timezone.localdate()
    with pytest.raises(DomainError):
        services.assignment_create(
            actor=secretary, org=branch, material=m, target_org=branch, due_on=today - timedelta(1)
        )
    with pytest.raises((DomainError, NotFound)):
        services.assignment_create(actor=secretary, org=branch, material=m, target_org=elsewhere, due_on=today)


def test_completion_and_hours(users, member_user, me, branch):
    secretary = users["branch_secretary"]
    m = _material(branch, minutes=1, class_hours="2")
    course = services.course_create(actor=secretary, org=branch, title="测试课程", materials=[m])
    a = services.assignment_create(
        actor=secretary, org=branch, course=course, target_org=branch, due_on=timezone.localdate() + timedelta(7)
    )
    ids = selectors.assignment_material_ids([a])[a.pk]
    before = selectors.completion(a, ids)
    done_before = selectors.hours_done(me, timezone.localdate().year)
    assert any(r.assignment == a and not r.done for r in selectors.my_assignments(me))
    _beats(member_user, m, [30, 30], timezone.now())
    after = selectors.completion(a, ids)
    assert after.finished == before.finished + 1 and after.assigned == before.assigned
    assert selectors.hours_done(me, timezone.localdate().year) == done_before + Decimal(2)
    assert any(r.assignment == a and r.done for r in selectors.my_assignments(me))
    unfinished = dict(selectors.unfinished_for(secretary, limit=50))
    assert a not in unfinished or unfinished[a].unfinished == after.unfinished


def test_the_zone_sets_the_required_hours(users):
    year = timezone.localdate().year
    services.required_hours_set(actor=users["zone_admin"], year=year, hours="40")
    assert services.required_hours(year) == Decimal(40)
    with pytest.raises(NotFound):
        services.required_hours_set(actor=users["branch_secretary"], year=year, hours="1")
    with pytest.raises(DomainError):
        services.required_hours_set(actor=users["zone_admin"], year=year, hours="abc")


def test_hours_by_committee(demo):
    rows = selectors.hours_by_committee(demo.root, timezone.localdate().year)
    assert rows and sum(r.members for r in rows) > 0
    assert all(0 <= r.share <= 100 for r in rows)
