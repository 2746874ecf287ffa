"""Meetings: quorum, the roster on the day, bad input refused with nothing written, the approval workflow."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError
from hongyin.devtools.people import new_member
from hongyin.members.services import member_move
from hongyin.orglife import services
from hongyin.orglife.models import Attendance, Meeting, MeetingStatus
from hongyin.orglife.selectors import roster_at
from hongyin.orgs.services import org_create
from hongyin.workflows.engine import StaleMove

pytestmark = pytest.mark.django_db
DAY = date(2025, 3, 20)


def _general(actor, branch, present, **kw):
    everyone = {m.pk: "present" if m in present else "leave" for m in roster_members(branch, DAY)}
    return services.meeting_create(
        actor=actor, org=branch, kind="general", title="支部党员大会", held_on=DAY, attendance=everyone, **kw
    )


def roster_members(branch, day):
    return [e.member for e in roster_at(branch, day)]


# --- quorum ---------------------------------------------------------------------------------------------------------


def test_more_than_half_of_the_voting_members_present_is_a_quorum(users, fresh_branch, people):
    full, probationary = people
    m = _general(None, fresh_branch, [*full[:3], probationary], resolutions="同意")
    assert (m.expected, m.present, m.voting_expected, m.voting_present) == (6, 4, 5, 3)
    assert not m.below_quorum and m.resolutions == "同意"


def test_probationary_members_attend_but_do_not_make_the_quorum(fresh_branch, people):
    full, probationary = people
    # 2 of 5 full members and the probationary one: 3 of 6 present, but only 2 of 5 voting
    m = _general(None, fresh_branch, [*full[:2], probationary])
    assert m.below_quorum and m.present == 3 and m.voting_present == 2
    assert Attendance.objects.get(meeting=m, member=probationary).voting is False


def test_exactly_half_is_not_more_than_half(fresh_branch, rng):
    members = [
        new_member(fresh_branch, rng=rng, joined_on=date(2018, 7, 1), registered_on=date(2018, 7, 1)) for _ in range(4)
    ]
    m = _general(None, fresh_branch, members[:2])
    assert m.below_quorum


def test_a_meeting_below_quorum_is_recorded_but_cannot_carry_a_resolution(fresh_branch, people):
    full, _p = people
    before = Meeting.objects.count()
    with pytest.raises(DomainError) as exc:
        _general(None, fresh_branch, full[:2], resolutions="同意接收张三为预备党员")
    assert "法定人数" in exc.value.message and exc.value.field == "resolutions"
    assert Meeting.objects.count() == before and not Attendance.objects.filter(meeting__org=fresh_branch).exists()
    m = _general(None, fresh_branch, full[:2])  # without the resolution it is recorded, flagged
    assert m.below_quorum


def test_a_committee_meeting_needs_no_quorum(fresh_branch, people):
    full, _p = people
    everyone = {m.pk: "present" if m == full[0] else "sick" for m in roster_members(fresh_branch, DAY)}
    m = services.meeting_create(
        actor=None,
        org=fresh_branch,
        kind="committee",
        title="支委会",
        held_on=DAY,
        attendance=everyone,
        resolutions="x",
    )
    assert not m.below_quorum


# --- the roster on the day ----------------------------------------------------------------------------------------


def test_the_roster_follows_transfers_in_and_out_after_the_day(fresh_branch, committee, people, rng):
    full, _p = people
    other = org_create(actor=None, parent=committee, name="测试党支部乙", kind="branch", category="enterprise")
    leaver, arriving = full[0], new_member(other, rng=rng, joined_on=date(2018, 7, 1), registered_on=date(2018, 7, 1))
    member_move(actor=None, member=leaver, to_org=other, reason="工作调动", on=date(2025, 4, 10))
    member_move(actor=None, member=arriving, to_org=fresh_branch, reason="工作调动", on=date(2025, 4, 10))
    on_day = roster_members(fresh_branch, DAY)
    assert leaver in on_day and arriving not in on_day  # on 20 March the leaver was still here
    after = roster_members(fresh_branch, date(2025, 5, 1))
    assert leaver not in after and arriving in after
    assert arriving in roster_members(other, DAY)


def test_a_member_who_joined_after_the_day_is_not_expected(fresh_branch, people, rng):
    newcomer = new_member(
        fresh_branch, rng=rng, joined_on=date(2025, 6, 1), registered_on=date(2025, 6, 1), status="probationary"
    )
    assert newcomer not in roster_members(fresh_branch, DAY)


def test_attendance_of_someone_not_in_the_branch_on_that_day_is_refused(fresh_branch, committee, people, rng):
    other = org_create(actor=None, parent=committee, name="测试党支部丙", kind="branch", category="enterprise")
    stranger = new_member(other, rng=rng, joined_on=date(2018, 7, 1), registered_on=date(2018, 7, 1))
    before = (Meeting.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as exc:
        services.meeting_create(
            actor=None,
            org=fresh_branch,
            kind="theme_day",
            title="主题党日",
            held_on=DAY,
            attendance={stranger.pk: "present"},
        )
    assert stranger.name in exc.value.message and "不是" in exc.value.message
    assert (Meeting.objects.count(), AuditEvent.objects.count()) == before


def test_a_meeting_dated_in_the_future_cannot_be_recorded_as_held(fresh_branch, people):
    tomorrow = timezone.localdate() + timedelta(days=1)
    before = Meeting.objects.count()
    with pytest.raises(DomainError) as exc:
        services.meeting_create(actor=None, org=fresh_branch, kind="lecture", title="党课", held_on=tomorrow)
    assert exc.value.field == "held_on" and "晚于今天" in exc.value.message
    assert Meeting.objects.count() == before
    planned = services.meeting_create(actor=None, org=fresh_branch, kind="lecture", title="党课", planned_on=tomorrow)
    assert planned.held_on is None and planned.status == MeetingStatus.DRAFT


def test_a_secretary_cannot_record_a_meeting_of_another_branch(users, other_branch):
    from hongyin.common.errors import NotFound

    with pytest.raises(NotFound):
        services.meeting_create(
            actor=users["branch_secretary"], org=other_branch, kind="lecture", title="党课", planned_on=DAY
        )


# --- the workflow ---------------------------------------------------------------------------------------------------


def _held(users, branch):
    everyone = {m.pk: "present" for m in roster_members(branch, DAY)}
    return services.meeting_create(
        actor=users["branch_secretary"],
        org=branch,
        kind="theme_day",
        title="主题党日：重温入党誓词",
        held_on=DAY,
        minutes="全体党员重温入党誓词。",
        attendance=everyone,
    )


def test_submit_approve_by_the_committee_above(users, branch):
    secretary, committee_admin = users["branch_secretary"], users["building_admin"]
    m = _held(users, branch)
    assert [t.action for t in services.MEETING_FLOW.actions_for(secretary, m)] == ["submit"]
    services.meeting_submit(actor=secretary, meeting=m)
    assert m.status == MeetingStatus.SUBMITTED
    # the branch does not approve its own record; the committee above does
    assert services.MEETING_FLOW.actions_for(secretary, m) == []
    with pytest.raises(DomainError):
        services.meeting_approve(actor=secretary, meeting=m)
    assert {t.action for t in services.MEETING_FLOW.actions_for(committee_admin, m)} == {"approve", "return"}
    services.meeting_approve(actor=committee_admin, meeting=m, note="记录完整")
    m.refresh_from_db()
    assert m.status == MeetingStatus.APPROVED and m.approved_at is not None
    assert list(m.events.values_list("action", flat=True)) == ["submit", "approve"]
    assert AuditEvent.objects.filter(action="meeting.approve", object_id=str(m.pk)).exists()


def test_return_with_a_reason_then_edit_and_submit_again(users, branch):
    secretary, committee_admin = users["branch_secretary"], users["building_admin"]
    m = _held(users, branch)
    services.meeting_submit(actor=secretary, meeting=m)
    with pytest.raises(DomainError) as exc:
        services.meeting_return(actor=committee_admin, meeting=m, reason="  ")
    assert exc.value.field == "reason"
    services.meeting_return(actor=committee_admin, meeting=m, reason="缺少会议记录照片")
    m.refresh_from_db()
    assert m.status == MeetingStatus.RETURNED and m.return_reason == "缺少会议记录照片"
    m = services.meeting_update(actor=secretary, meeting=m, version=m.version, minutes="补充：全体党员重温入党誓词。")
    services.meeting_submit(actor=secretary, meeting=m)
    assert m.status == MeetingStatus.SUBMITTED


def test_a_stale_approval_is_refused_and_writes_nothing(users, branch):
    secretary, committee_admin = users["branch_secretary"], users["building_admin"]
    m = _held(users, branch)
    services.meeting_submit(actor=secretary, meeting=m)
    seen = Meeting.objects.get(pk=m.pk)  # the approver's page
    services.meeting_return(actor=committee_admin, meeting=Meeting.objects.get(pk=m.pk), reason="请补充附件")
    events = m.events.count()
    with pytest.raises(StaleMove) as exc:
        services.meeting_approve(actor=committee_admin, meeting=seen)
    assert "刷新" in exc.value.message
    assert Meeting.objects.get(pk=m.pk).status == MeetingStatus.RETURNED and m.events.count() == events
    with pytest.raises(StaleMove):
        services.MEETING_FLOW.expect_version(Meeting.objects.get(pk=m.pk), str(seen.version))


def test_a_submitted_record_cannot_be_edited(users, branch):
    m = _held(users, branch)
    services.meeting_submit(actor=users["branch_secretary"], meeting=m)
    with pytest.raises(DomainError) as exc:
        services.meeting_update(actor=users["branch_secretary"], meeting=m, minutes="改")
    assert "不能修改" in exc.value.message


def test_submit_needs_the_held_day_attendance_and_minutes(users, branch):
    planned = services.meeting_create(
        actor=users["branch_secretary"], org=branch, kind="lecture", title="党课", planned_on=DAY
    )
    with pytest.raises(DomainError) as exc:
        services.meeting_submit(actor=users["branch_secretary"], meeting=planned)
    assert exc.value.field == "held_on"
    assert Meeting.objects.get(pk=planned.pk).status == MeetingStatus.DRAFT


def test_moving_the_held_day_recounts_the_roster(users, fresh_branch, committee, people):
    full, _p = people
    m = services.meeting_create(
        actor=None,
        org=fresh_branch,
        kind="group",
        title="党小组会",
        held_on=DAY,
        attendance={p.pk: "present" for p in roster_members(fresh_branch, DAY)},
    )
    other = org_create(actor=None, parent=committee, name="测试党支部丁", kind="branch", category="enterprise")
    member_move(actor=None, member=full[0], to_org=other, reason="调动", on=date(2025, 4, 1))
    m = services.meeting_update(actor=None, meeting=m, held_on=date(2025, 4, 15))
    assert m.expected == 5 and not m.attendance.filter(member=full[0]).exists()
