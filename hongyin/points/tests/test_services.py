"""The points contract: rules effective by date, caps, idempotency, dwell, append-only, totals = ledger."""

from datetime import date, datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError, NotFound
from hongyin.members.models import Member
from hongyin.points import services
from hongyin.points.models import Adjustment, MemberYearTotal, PointEntry, PointsSettings, RuleSet

pytestmark = pytest.mark.django_db

RULES = {
    "meeting_attend": {"points": 5},
    "activity_checkin": {"points": 3, "daily_cap": 5},
    "volunteer_hours": {"points": 2, "multiplier": "1.5"},
    "study_finish": {"points": 2, "daily_cap": 6, "min_dwell_seconds": 300},
    "quiz_pass": {"points": 4},
    "feedback_post": {"points": 1, "daily_cap": 3},
}


def at(d: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(d.year, d.month, d.day, hour))


@pytest.fixture
def rules(db):
    PointEntry.objects.all()  # the demo's own ledger stays; these tests use their own dates and sources
    first = services.ruleset_create(actor=None, effective_from=date(2001, 1, 1), rules=RULES, allow_past=True)
    return first


@pytest.fixture
def member(branch):
    return Member.objects.filter(org=branch, left_on__isnull=True, user__isnull=True).first()


@pytest.fixture
def src(users):
    """Saved model instances to stand as sources: audit events are plentiful and need no setup."""
    made = []

    def make():
        e = AuditEvent.objects.create(at=timezone.now(), action="test.source")
        made.append(e)
        return e

    return make


def total(member, year):
    t = MemberYearTotal.objects.filter(member=member, year=year).first()
    return t.points if t else 0


DAY = date(2002, 3, 4)


def test_award_writes_a_line_with_the_rule_version_and_the_total(rules, member, src):
    e = services.award(member=member, action="meeting_attend", source=src(), occurred_at=at(DAY))
    assert e.points == 5 and e.rule_version == rules.version and e.day == DAY and e.year == 2002
    assert e.source_type == "audit.auditevent"
    assert total(member, 2002) == 5


def test_award_is_idempotent_per_member_action_source(rules, member, src):
    s = src()
    assert services.award(member=member, action="meeting_attend", source=s, occurred_at=at(DAY))
    assert services.award(member=member, action="meeting_attend", source=s, occurred_at=at(DAY)) is None
    assert services.award(member=member, action="meeting_attend", source=s, occurred_at=at(DAY, 15)) is None
    assert PointEntry.objects.filter(member=member, source_id=str(s.pk)).count() == 1
    assert total(member, 2002) == 5
    # another action on the same source is another thing
    assert services.award(member=member, action="quiz_pass", source=s, occurred_at=at(DAY))


def test_daily_cap_cuts_then_refuses(rules, member, src):
    a = services.award(member=member, action="activity_checkin", source=src(), occurred_at=at(DAY))
    b = services.award(member=member, action="activity_checkin", source=src(), occurred_at=at(DAY))
    c = services.award(member=member, action="activity_checkin", source=src(), occurred_at=at(DAY))
    assert (a.points, b.points, c) == (3, 2, None)  # cap 5: 3, then the 2 left, then nothing
    nxt = services.award(member=member, action="activity_checkin", source=src(), occurred_at=at(DAY + timedelta(1)))
    assert nxt.points == 3  # a new day
    assert total(member, 2002) == 8


def test_quantity_and_multiplier(rules, member, src):
    e = services.award(member=member, action="volunteer_hours", source=src(), occurred_at=at(DAY), quantity="2.5")
    assert e.points == 8  # 2 x 2.5 x 1.5 = 7.5, rounded half up
    with pytest.raises(DomainError):
        services.award(member=member, action="volunteer_hours", source=src(), occurred_at=at(DAY), quantity=-1)


def test_study_below_the_dwell_is_refused_with_a_clear_message_and_nothing_written(rules, member, src):
    before = PointEntry.objects.count()
    with pytest.raises(DomainError) as err:
        services.award(member=member, action="study_finish", source=src(), occurred_at=at(DAY), dwell_seconds=299)
    assert "300" in err.value.message and err.value.code == "dwell"
    with pytest.raises(DomainError):
        services.award(member=member, action="study_finish", source=src(), occurred_at=at(DAY))
    assert PointEntry.objects.count() == before
    assert services.award(member=member, action="study_finish", source=src(), occurred_at=at(DAY), dwell_seconds=300)


def test_rules_apply_from_their_effective_date_and_never_rewrite_the_past(rules, member, src, users):
    old = services.award(member=member, action="meeting_attend", source=src(), occurred_at=at(DAY))
    tomorrow = timezone.localdate() + timedelta(days=1)
    v2 = services.ruleset_create(
        actor=users["zone_admin"], effective_from=tomorrow, rules={**RULES, "meeting_attend": {"points": 9}}
    )
    old.refresh_from_db()
    assert (old.points, old.rule_version) == (5, rules.version)
    # an event before the new date still takes the old rule, one on or after it the new one
    assert services.award(member=member, action="meeting_attend", source=src(), occurred_at=at(DAY)).points == 5
    new = services.award(member=member, action="meeting_attend", source=src(), occurred_at=at(tomorrow))
    assert (new.points, new.rule_version) == (9, v2.version)


def test_a_new_version_cannot_start_in_the_past_nor_twice_on_a_day(rules, users):
    zone = users["zone_admin"]
    with pytest.raises(DomainError) as err:
        services.ruleset_create(actor=zone, effective_from=timezone.localdate() - timedelta(days=1), rules=RULES)
    assert err.value.code == "past"
    day = timezone.localdate() + timedelta(days=3)
    services.ruleset_create(actor=zone, effective_from=day, rules=RULES)
    count = RuleSet.objects.count()
    with pytest.raises(DomainError):
        services.ruleset_create(actor=zone, effective_from=day, rules=RULES)
    with pytest.raises(DomainError):
        services.ruleset_create(actor=zone, effective_from=day + timedelta(1), rules={"study_finish": {"points": 1}})
    with pytest.raises(DomainError):
        services.ruleset_create(actor=zone, effective_from=day + timedelta(1), rules={"quiz_pass": {"points": "x"}})
    assert RuleSet.objects.count() == count


def test_only_the_zone_configures(rules, users):
    for name in ("branch_secretary", "building_admin", "member"):
        with pytest.raises(DomainError):
            services.ruleset_create(actor=users[name], effective_from=timezone.localdate() + timedelta(9), rules=RULES)


def test_no_rule_no_points(db, member, src):
    RuleSet.objects.filter(effective_from__gte=date(1990, 1, 1))  # the demo's rules start later than 1990
    assert (
        services.award(member=member, action="meeting_attend", source=src(), occurred_at=at(date(1990, 1, 1))) is None
    )
    with pytest.raises(DomainError):
        services.award(member=member, action="manual", source=src(), occurred_at=at(DAY))
    with pytest.raises(DomainError):
        services.award(member=member, action="meeting_attend", source=Member(), occurred_at=at(DAY))


def test_award_many_applies_the_same_rules(rules, member, src):
    s = [src() for _ in range(4)]
    services.award(member=member, action="feedback_post", source=s[0], occurred_at=at(DAY))
    rows = [{"member": member, "action": "feedback_post", "source": x, "occurred_at": at(DAY)} for x in s] + [
        {"member": member.pk, "action": "meeting_attend", "source": ("orglife.meeting", 99999), "occurred_at": at(DAY)}
    ]
    rows.append(dict(rows[-1]))  # twice in one call counts once
    assert services.award_many(rows) == 3  # s[0] already awarded; cap 3: 2 more feedback, then the meeting
    assert services.award_many(rows) == 0
    assert (
        PointEntry.objects.filter(member=member, day=DAY, action="feedback_post").aggregate(s=Sum("points"))["s"] == 3
    )
    with pytest.raises(DomainError):
        services.award_many(
            [{"member": member, "action": "study_finish", "source": src(), "occurred_at": at(DAY), "dwell_seconds": 10}]
        )


def test_totals_equal_the_ledger_sum(rules, member, src, branch):
    others = list(Member.objects.filter(org=branch)[:5])
    rows = [
        {"member": m, "action": a, "source": src(), "occurred_at": at(DAY + timedelta(days=i % 40))}
        for i, m in enumerate(others * 8)
        for a in ("meeting_attend", "activity_checkin")
    ]
    services.award_many(rows)
    for m in others[:2]:
        services.award(member=m, action="quiz_pass", source=src(), occurred_at=at(DAY))
    ledger = dict(
        PointEntry.objects.values_list("member_id", "year")
        .annotate(s=Sum("points"))
        .values_list("member_id", "s")
        .filter(year=2002)
    )
    totals = dict(MemberYearTotal.objects.filter(year=2002).values_list("member_id", "points"))
    assert ledger == totals


def test_the_ledger_is_append_only(rules, member, src):
    e = services.award(member=member, action="meeting_attend", source=src(), occurred_at=at(DAY))
    with pytest.raises(PermissionError):
        e.points = 100
        e.save()
    with pytest.raises(PermissionError):
        e.delete()
    with pytest.raises(PermissionError):
        PointEntry.objects.filter(pk=e.pk).update(points=100)
    with pytest.raises(PermissionError):
        PointEntry.objects.filter(pk=e.pk).delete()
    if connection.vendor in ("sqlite", "postgresql"):  # the database refuses too
        with pytest.raises(Exception), transaction.atomic(), connection.cursor() as c:
            c.execute("UPDATE points_pointentry SET points = 100 WHERE id = %s", [e.pk])
    e.refresh_from_db()
    assert e.points == 5


def test_unique_constraint_backs_idempotency(rules, member, src):
    e = services.award(member=member, action="meeting_attend", source=src(), occurred_at=at(DAY))
    with pytest.raises(IntegrityError), transaction.atomic():
        PointEntry.objects.create(
            member=member,
            action=e.action,
            source_type=e.source_type,
            source_id=e.source_id,
            occurred_at=e.occurred_at,
            day=e.day,
            year=e.year,
            points=1,
        )


# --- manual adjustments ---------------------------------------------------------------------------------------------


def test_a_secretary_adjusts_another_member_with_a_reason_audited(users, member):
    sec = users["branch_secretary"]
    e = services.adjustment_grant(actor=sec, member=member, points=3, reason="志愿服务表现突出")
    year = timezone.localdate().year
    assert e.action == "manual" and e.rule_version is None and e.points == 3
    assert Adjustment.objects.get(pk=e.source_id).granted_by == sec
    assert AuditEvent.objects.filter(action="points.adjust", object_id=str(member.pk)).exists()
    ledger = PointEntry.objects.filter(member=member, year=year).aggregate(s=Sum("points"))["s"]
    assert total(member, year) == ledger


def test_never_to_themself_never_without_reason_never_out_of_scope(users, member, other_branch):
    sec = users["branch_secretary"]
    own = Member.objects.get(user=sec)
    before = PointEntry.objects.count()
    with pytest.raises(DomainError) as err:
        services.adjustment_grant(actor=sec, member=own, points=5, reason="自评")
    assert err.value.code == "self"
    with pytest.raises(DomainError):
        services.adjustment_grant(actor=sec, member=member, points=5, reason=" ")
    with pytest.raises(DomainError):
        services.adjustment_grant(actor=sec, member=member, points=0, reason="x")
    with pytest.raises(DomainError):
        services.adjustment_grant(actor=sec, member=member, points=1000, reason="x")
    outsider = Member.objects.filter(org=other_branch).first()
    with pytest.raises(NotFound):
        services.adjustment_grant(actor=sec, member=outsider, points=1, reason="x")
    with pytest.raises(NotFound):
        services.adjustment_grant(actor=users["member"], member=member, points=1, reason="x")
    assert PointEntry.objects.count() == before


def test_settings_switch_is_versioned_and_zone_only(users):
    s = PointsSettings.current()
    services.settings_update(actor=users["zone_admin"], rankings_enabled=False, version=s.version)
    assert PointsSettings.current().rankings_enabled is False
    with pytest.raises(DomainError):
        services.settings_update(actor=users["zone_admin"], rankings_enabled=True, version=s.version)
    with pytest.raises(DomainError):
        services.settings_update(actor=users["branch_secretary"], rankings_enabled=True, version=s.version + 1)


def test_the_bench_ledger_keeps_totals_equal_to_the_ledger(db):
    from hongyin.points.seed import PER_MEMBER, bench_ledger

    written = bench_ledger(1999, PER_MEMBER * 4, seconds=60, per_chunk=2)
    assert written == PointEntry.objects.filter(year=1999).count() == PER_MEMBER * 4
    ledger = dict(
        PointEntry.objects.filter(year=1999)
        .values_list("member_id")
        .annotate(s=Sum("points"))
        .values_list("member_id", "s")
    )
    assert ledger == dict(MemberYearTotal.objects.filter(year=1999).values_list("member_id", "points"))
