"""Reads of activities: the list a user sees, a member's sign-ups and volunteer hours, an organizer's attendance
(its own members only), the branch's activities with their attendance for the secretary's workbench."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from hongyin.common.permissions import ScopeFields, scope_q
from hongyin.members.models import Member

from .models import Activity, ActivityStatus, Organizer, Signup, SignupStatus, VolunteerHours
from .permissions import MANAGE, ORGANIZER_SCOPE, activities_visible_to, signups_seen_by

WHEN = ("upcoming", "past", "all")
SIGNUPS_OF_ACTIVITY = ScopeFields(org="signups__member__org")


@dataclass(frozen=True)
class ActivityFilter:
    kind: str = ""
    when: str = "upcoming"
    mine: bool = False


def with_organizers(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    return qs.select_related("org").prefetch_related(
        Prefetch("organizers", queryset=Organizer.objects.select_related("org").order_by("-host", "id"))
    )


def activity_list(*, user, filters: ActivityFilter, member: Member | None = None) -> QuerySet[Activity]:
    qs = activities_visible_to(user)
    now = timezone.now()
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.when == "upcoming":
        qs = qs.filter(ends_at__gte=now, status=ActivityStatus.PUBLISHED).order_by("starts_at", "id")
    elif filters.when == "past":
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    else:
        qs = qs.order_by("-starts_at", "-id")
    if filters.mine:
        if member is None:
            return Activity.objects.none()
        own = Signup.objects.filter(member=member).exclude(status=SignupStatus.CANCELLED).values("activity_id")
        qs = qs.filter(pk__in=own)
    return with_organizers(qs)


def own_signups(member: Member | None, activity_ids) -> dict[int, Signup]:
    """The member's sign-up per activity id (one query for a page of activities)."""
    if member is None:
        return {}
    return {s.activity_id: s for s in Signup.objects.filter(member=member, activity_id__in=list(activity_ids))}


def upcoming_for_member(member: Member | None, *, limit: int = 6) -> list[Signup]:
    if member is None:
        return []
    return list(
        Signup.objects.filter(
            member=member,
            status__in=[SignupStatus.SIGNED_UP, SignupStatus.WAITING],
            activity__ends_at__gte=timezone.now(),
            activity__status=ActivityStatus.PUBLISHED,
        )
        .select_related("activity")
        .order_by("activity__starts_at")[:limit]
    )


def attendance(user, activity: Activity) -> QuerySet[Signup]:
    """The sign-ups the user sees as an organizer: its own members only."""
    return signups_seen_by(user, activity).select_related("member__org").order_by("status", "queued_at", "id")


@dataclass(frozen=True)
class AttendanceFigures:
    signed_up: int
    waiting: int
    checked_in: int
    walk_in: int
    hours: Decimal


def attendance_figures(rows) -> AttendanceFigures:
    rows = list(rows)
    return AttendanceFigures(
        signed_up=sum(1 for s in rows if s.status == SignupStatus.SIGNED_UP),
        waiting=sum(1 for s in rows if s.status == SignupStatus.WAITING),
        checked_in=sum(1 for s in rows if s.checked_in_at),
        walk_in=sum(1 for s in rows if s.walk_in),
        hours=sum((s.hours or Decimal(0) for s in rows), Decimal(0)),
    )


def volunteer_ledger(member: Member | None) -> QuerySet[VolunteerHours]:
    if member is None:
        return VolunteerHours.objects.none()
    return VolunteerHours.objects.filter(member=member).select_related("activity").order_by("-served_on", "-id")


def volunteer_total(member: Member | None, *, year: int | None = None) -> Decimal:
    qs = volunteer_ledger(member)
    if year:
        qs = qs.filter(served_on__year=year)
    total = qs.aggregate(t=Sum("hours"))["t"] or 0
    return Decimal(str(total)).quantize(Decimal("0.1"))  # SQLite sums decimals as floats


def branch_activities(user, *, limit: int = 6) -> list[Activity]:
    """Recent and coming activities organized by the organizations the user manages, with the attendance of the
    user's own members (counted in one query)."""
    q = scope_q(user, MANAGE, ORGANIZER_SCOPE)
    if q is None:
        return []
    member_q = scope_q(user, MANAGE, SIGNUPS_OF_ACTIVITY)
    qs = Activity.objects.filter(pk__in=Organizer.objects.filter(q).values("activity_id")).order_by("-starts_at")
    if member_q is None:
        return list(qs[:limit])
    counted = qs.annotate(
        own_signed=Count("signups", filter=member_q & Q(signups__status=SignupStatus.SIGNED_UP), distinct=True),
        own_checked=Count("signups", filter=member_q & Q(signups__checked_in_at__isnull=False), distinct=True),
    )
    return list(counted[:limit])
