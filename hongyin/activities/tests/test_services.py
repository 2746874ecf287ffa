"""Activities case by case: publishing in scope, sign-up with capacity and the waiting list moving up, QR check-in
(forged, expired, another activity's code, walk-ins, the waiting list), check-out and volunteer hours (capped),
joint activities' attendance per organizer, points through hongyin.points."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from hongyin.activities import services
from hongyin.activities.models import Activity, Signup, SignupStatus, VolunteerHours
from hongyin.activities.permissions import activities_visible_to, can_organize
from hongyin.activities.selectors import attendance
from hongyin.audit.models import AuditEvent
from hongyin.common import checkin
from hongyin.common.errors import DomainError, NotFound
from hongyin.members.models import Member
from hongyin.points.models import PointEntry

pytestmark = pytest.mark.django_db


def _times(now, *, start_in=datetime.timedelta(hours=2), hours=3):
    start = now + start_in
    return {"starts_at": start, "ends_at": start + datetime.timedelta(hours=hours), "signup_deadline": start}


@pytest.fixture
def publish(users, branch):
    def make(org=None, *, kind="volunteer", capacity=2, actor=None, **kw):
        now = timezone.now()
        data = {"title": "志愿服务进社区", "place": "社区服务站", **_times(now), **kw}
        return services.activity_publish(
            actor=actor or users["branch_secretary"], org=org or branch, kind=kind, capacity=capacity, **data
        )

    return make


@pytest.fixture
def accounts(branch, make_member, django_user_model):
    """Three members of the branch with their own accounts (member role not needed for the services)."""
    out = []
    for i in range(3):
        u = django_user_model.objects.create_user(username=f"act_member_{i}", password="x-Passw0rd-x")
        m = make_member(branch)
        Member.objects.filter(pk=m.pk).update(user=u)
        out.append(u)
    return out


def _start(activity, minutes=5):
    """A moment inside the activity (the check-in window)."""
    return activity.starts_at + datetime.timedelta(minutes=minutes)


def test_publish_in_scope_and_refusals(users, branch, other_branch, publish):
    before = Activity.objects.filter(org=branch).count()
    a = publish()
    assert a.organizers.get().host and a.organizers.get().org == branch
    assert AuditEvent.objects.filter(action="activity.publish", object_id=str(a.pk)).exists()
    with pytest.raises(NotFound):
        publish(org=other_branch)  # not the secretary's organization
    now = timezone.now()
    with pytest.raises(DomainError) as err:
        publish(**{**_times(now), "ends_at": now})
    assert err.value.field == "ends_at"
    with pytest.raises(DomainError):
        publish(**{**_times(now), "signup_deadline": now + datetime.timedelta(days=3)})
    with pytest.raises(DomainError):
        publish(capacity=0)
    with pytest.raises(DomainError):
        publish(kind="party")
    with pytest.raises(DomainError):
        publish(title="  ")
    assert Activity.objects.filter(org=branch).count() == before + 1


def test_signup_fills_places_then_waiting_list_moves_up(publish, accounts):
    a = publish(capacity=2)
    s1 = services.signup_join(actor=accounts[0], activity=a)
    s2 = services.signup_join(actor=accounts[1], activity=a)
    s3 = services.signup_join(actor=accounts[2], activity=a)
    assert [s1.status, s2.status, s3.status] == ["signed_up", "signed_up", "waiting"]
    a.refresh_from_db()
    assert (a.signed_up, a.waiting) == (2, 1)
    with pytest.raises(DomainError):
        services.signup_join(actor=accounts[0], activity=a)  # twice
    with pytest.raises(DomainError):
        services.signup_join(actor=accounts[2], activity=a)  # already waiting
    services.signup_cancel(actor=accounts[0], activity=a)
    s3.refresh_from_db()
    a.refresh_from_db()
    assert s3.status == SignupStatus.SIGNED_UP
    assert (a.signed_up, a.waiting) == (2, 0)
    # a larger capacity moves nobody when nobody waits; a smaller one than the signed-up is refused
    with pytest.raises(DomainError):
        services.activity_update(actor=None, activity=a, capacity=1)


def test_signup_refusals(users, publish, accounts, other_branch, make_member, django_user_model):
    a = publish()
    with pytest.raises(DomainError):
        services.signup_join(actor=users["zone_admin"], activity=a)  # no member record
    outsider = django_user_model.objects.create_user(username="act_outsider", password="x-Passw0rd-x")
    m = make_member(other_branch)
    Member.objects.filter(pk=m.pk).update(user=outsider)
    with pytest.raises(DomainError):
        services.signup_join(actor=outsider, activity=a)  # not of an organizer
    with pytest.raises(DomainError):
        services.signup_join(actor=accounts[0], activity=a, now=a.signup_deadline + datetime.timedelta(minutes=1))
    assert not Signup.objects.filter(activity=a).exists()


def test_checkin_with_code_and_refusals_write_nothing(publish, accounts):
    a = publish(capacity=1)
    services.signup_join(actor=accounts[0], activity=a)
    services.signup_join(actor=accounts[1], activity=a)  # waiting
    at = _start(a)
    code, _until = services.checkin_code(a, now=at - datetime.timedelta(minutes=1))
    other = publish()
    other_code, _ = services.checkin_code(other, now=at)
    expired = checkin.make_code(
        services.CODE_PURPOSE, services.CODE_KIND, a.pk, valid_from=at - datetime.timedelta(hours=1), minutes=10
    )
    bad = [code[:-3] + "abc", other_code, expired, "", "forged:code"]
    for c in bad:
        with pytest.raises(DomainError):
            services.check_in(actor=accounts[0], activity=a, code=c, now=at)
    with pytest.raises(DomainError) as err:
        services.check_in(actor=accounts[1], activity=a, code=code, now=at)  # on the waiting list
    assert "候补" in err.value.message
    with pytest.raises(DomainError) as err:
        services.check_in(actor=accounts[2], activity=a, code=code, now=at)  # not signed up, full
    assert "名额已满" in err.value.message
    assert not Signup.objects.filter(activity=a, checked_in_at__isnull=False).exists()
    assert not PointEntry.objects.filter(source_id=str(a.pk), action="activity_checkin").exists()
    s = services.check_in(actor=accounts[0], activity=a, code=code, now=at)
    assert s.checked_in_at == at
    a.refresh_from_db()
    assert a.checked_in == 1
    with pytest.raises(DomainError):
        services.check_in(actor=accounts[0], activity=a, code=code, now=at)  # twice
    with pytest.raises(DomainError):  # too early
        services.check_in(actor=accounts[0], activity=a, code=code, now=a.starts_at - datetime.timedelta(hours=2))


def test_walk_in_when_places_are_free(publish, accounts):
    a = publish(capacity=5)
    at = _start(a)
    code, _ = services.checkin_code(a, now=at)
    s = services.check_in(actor=accounts[2], activity=a, code=code, now=at)
    assert s.walk_in and s.status == SignupStatus.SIGNED_UP
    a.refresh_from_db()
    assert (a.signed_up, a.checked_in) == (1, 1)


def test_checkout_gives_capped_hours_and_ledger(publish, accounts):
    a = publish(capacity=3, kind="volunteer")
    for u in accounts[:2]:
        services.signup_join(actor=u, activity=a)
    at = _start(a, 0)
    code, _ = services.checkin_code(a, now=at)
    with pytest.raises(DomainError) as err:
        services.check_out(actor=accounts[0], activity=a, code=code, now=at)  # before check-in
    assert "尚未签到" in err.value.message
    assert not VolunteerHours.objects.filter(activity=a).exists()
    services.check_in(actor=accounts[0], activity=a, code=code, now=at)
    services.check_in(actor=accounts[1], activity=a, code=code, now=at)
    later = a.ends_at + datetime.timedelta(hours=2)  # stayed longer: capped at the activity's 3 hours
    late_code, _ = services.checkin_code(a, now=later)
    with pytest.raises(DomainError):
        services.check_out(actor=accounts[0], activity=a, code=code, now=later)  # the old code expired
    s = services.check_out(actor=accounts[0], activity=a, code=late_code, now=later)
    assert s.hours == Decimal("3.0")
    mid = at + datetime.timedelta(minutes=100)
    s2 = services.check_out(actor=accounts[1], activity=a, code=services.checkin_code(a, now=mid)[0], now=mid)
    assert s2.hours == Decimal("1.6")
    assert VolunteerHours.objects.filter(activity=a).count() == 2
    with pytest.raises(DomainError):
        services.check_out(actor=accounts[0], activity=a, code=late_code, now=later)  # twice


def test_checkout_only_for_volunteer_service(publish, accounts):
    a = publish(kind="visit", capacity=3)
    services.signup_join(actor=accounts[0], activity=a)
    at = _start(a)
    code, _ = services.checkin_code(a, now=at)
    services.check_in(actor=accounts[0], activity=a, code=code, now=at)
    with pytest.raises(DomainError):
        services.check_out(actor=accounts[0], activity=a, code=code, now=at)


def test_volunteer_hours_rounding():
    a = Activity(starts_at=timezone.now(), ends_at=timezone.now() + datetime.timedelta(hours=2))
    t = a.starts_at
    assert services.volunteer_hours(a, t, t + datetime.timedelta(minutes=59)) == Decimal("0.9")
    assert services.volunteer_hours(a, t, t + datetime.timedelta(hours=5)) == Decimal("2.0")


def test_joint_activity_each_organizer_sees_its_own_members(users, branch, other_branch, make_member, publish):
    a = publish(capacity=10, co_orgs=[other_branch])
    mine, theirs = make_member(branch), make_member(other_branch)
    for m in (mine, theirs):
        Signup.objects.create(activity=a, member=m, status=SignupStatus.SIGNED_UP, queued_at=timezone.now())
    secretary = users["branch_secretary"]
    assert can_organize(secretary, a)
    seen = set(attendance(secretary, a).values_list("member_id", flat=True))
    assert mine.pk in seen and theirs.pk not in seen
    assert {mine.pk, theirs.pk} <= set(attendance(users["zone_admin"], a).values_list("member_id", flat=True))
    assert activities_visible_to(users["member"]).filter(pk=a.pk).exists()


def test_cancel_activity_and_summary(users, publish, accounts):
    a = publish()
    services.signup_join(actor=accounts[0], activity=a)
    with pytest.raises(DomainError):
        services.activity_cancel(actor=users["branch_secretary"], activity=a, reason="")
    with pytest.raises(DomainError):  # not started yet
        services.activity_summarize(actor=users["branch_secretary"], activity=a, summary="好")
    with pytest.raises(DomainError):  # stale version
        services.activity_cancel(actor=users["branch_secretary"], activity=a, reason="天气", version=a.version + 1)
    services.activity_cancel(actor=users["branch_secretary"], activity=a, reason="天气原因")
    a.refresh_from_db()
    assert a.status == "cancelled"
    with pytest.raises(DomainError):
        services.signup_join(actor=accounts[1], activity=a)


def test_points_awarded_at_checkin_and_checkout(publish, accounts):
    from hongyin.points import services as points

    if points.rule_at("activity_checkin", timezone.localdate()) is None:
        points.ruleset_create(
            actor=None,
            effective_from=datetime.date(2001, 1, 1),
            rules={"activity_checkin": {"points": 2}, "volunteer_hours": {"points": 1}},
            allow_past=True,
        )
    a = publish(kind="volunteer")
    services.signup_join(actor=accounts[0], activity=a)
    at = _start(a, 0)
    code, _ = services.checkin_code(a, now=at)
    services.check_in(actor=accounts[0], activity=a, code=code, now=at)
    end = at + datetime.timedelta(hours=2)
    services.check_out(actor=accounts[0], activity=a, code=services.checkin_code(a, now=end)[0], now=end)
    member = Member.objects.get(user=accounts[0])
    actions = set(PointEntry.objects.filter(member=member, source_id=str(a.pk)).values_list("action", flat=True))
    assert actions == {"activity_checkin", "volunteer_hours"}


def _in_thread(func, *args, barrier=None):
    """Run `func` on a connection of its own (its work commits), after `barrier` if given."""
    import threading

    from django.db import connections

    out: dict = {}

    def run():
        try:
            if barrier is not None:
                barrier.wait(10)
            out["value"] = func(*args)
        except BaseException as exc:
            out["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


@pytest.mark.postgres
def test_two_at_once_for_the_last_place(users, branch):
    """Two members sign up for the last place at the same moment: one gets it, the other the waiting list (the
    activity row is locked). Committed work on connections of their own, removed afterwards."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs two PostgreSQL connections (set DATABASE_URL=postgres://...; CI does)")
    racers = [users["member"], users["branch_secretary"]]  # both have a member record in the branch
    now = timezone.now()

    def publish():
        return services.activity_publish(
            actor=None, org=branch, kind="visit", title="并发报名测试", place="展厅", capacity=1, **_times(now)
        )

    t, made = _in_thread(publish)
    t.join(20)
    a = made["value"]
    try:
        barrier = threading.Barrier(2)
        runs = [
            _in_thread(lambda u: services.signup_join(actor=u, activity=a).status, u, barrier=barrier) for u in racers
        ]
        for thread, _out in runs:
            thread.join(30)
        results = sorted(out.get("value") or repr(out.get("error")) for _t, out in runs)
        assert results == ["signed_up", "waiting"], results
        fresh = Activity.objects.get(pk=a.pk)
        assert (fresh.signed_up, fresh.waiting) == (1, 1)
    finally:

        def cleanup():
            Signup.objects.filter(activity_id=a.pk).delete()
            Activity.objects.filter(pk=a.pk).delete()

        t, _ = _in_thread(cleanup)
        t.join(20)
