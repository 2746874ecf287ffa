"""Writes of activities: publish, edit, cancel, summarize (the host's managers); sign up and cancel, with the waiting
list moving up (members, for themselves); check in with the signed QR code at the place and check out of a
volunteer service, giving volunteer hours and points (hongyin.points).

Every write checks the actor's scope and writes its audit event in the same transaction; refused input raises a
DomainError in the user's language and writes nothing. Sign-up, cancel, check-in and check-out lock the activity
row: two members asking for the last place at once get the place and the waiting list, never two places.

Walk-ins: a member who did not sign up (or cancelled) and scans the code at the place is checked in as a walk-in
if a place is free; when the activity is full the check-in is refused (a member on the waiting list too)."""

import datetime
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common import checkin
from hongyin.common.errors import DomainError
from hongyin.common.notifications import notify
from hongyin.common.permissions import check_in_scope
from hongyin.common.uploads import attachment_save
from hongyin.members.models import Member
from hongyin.orgs.models import Organization
from hongyin.orgs.permissions import ORG_SCOPE
from hongyin.points.services import award, award_many

from .models import (
    Activity,
    ActivityKind,
    ActivityPhoto,
    ActivityStatus,
    Organizer,
    Signup,
    SignupStatus,
    VolunteerHours,
)
from .permissions import MANAGE, can_edit, can_organize

CODE_PURPOSE = "activity"
CODE_KIND = "activities.activity"
CODE_MINUTES = 15  # the QR on the organizer's screen is renewed well before this
CHECKIN_OPENS = datetime.timedelta(hours=1)  # before the start
CHECKOUT_CLOSES = datetime.timedelta(hours=6)  # after the end
MAX_CAPACITY = 10_000
MAX_CO_ORGANIZERS = 20
TEXT_LIMITS = {"title": 120, "place": 120}
LONG_LIMIT = 20_000
STALE = "该活动已被他人修改，请刷新后重试。"


# --- checks ---------------------------------------------------------------------------------------------------------


def _text(value, *, field: str, label, required: bool = False, limit: int | None = None) -> str:
    value = str(value or "").strip()
    limit = limit or TEXT_LIMITS.get(field, LONG_LIMIT)
    if required and not value:
        raise DomainError(_("请填写%(l)s。") % {"l": label}, field=field)
    if len(value) > limit:
        raise DomainError(_("%(l)s不能超过 %(n)d 个字。") % {"l": label, "n": limit}, field=field)
    if "\x00" in value:
        raise DomainError(_("%(l)s含有无法保存的字符。") % {"l": label}, field=field)
    return value


def _check_kind(kind) -> str:
    if kind not in ActivityKind.values:
        raise DomainError(_("请选择活动类型。"), field="kind")
    return kind


def _check_capacity(capacity) -> int:
    try:
        value = int(str(capacity).strip())
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= MAX_CAPACITY:
        raise DomainError(_("名额应为 1-%(n)d 的整数。") % {"n": MAX_CAPACITY}, field="capacity")
    return value


def _check_times(starts_at, ends_at, deadline, *, new: bool) -> None:
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at), ("signup_deadline", deadline)):
        if not isinstance(value, datetime.datetime):
            raise DomainError(_("请填写正确的时间。"), field=name)
    if ends_at <= starts_at:
        raise DomainError(_("结束时间应晚于开始时间。"), field="ends_at")
    if ends_at - starts_at > datetime.timedelta(days=7):
        raise DomainError(_("一次活动最长 7 天；更长的活动请分次发布。"), field="ends_at")
    if deadline > starts_at:
        raise DomainError(_("报名截止时间不能晚于活动开始时间。"), field="signup_deadline")
    if new and starts_at < timezone.now():
        raise DomainError(_("开始时间已过：请发布尚未开始的活动。"), field="starts_at")


def _check_host(actor, org: Organization) -> None:
    if actor is not None:
        check_in_scope(actor, org, MANAGE, ORG_SCOPE)
    if org.dissolved_on:
        raise DomainError(_("该党组织已撤销，不能发布活动。"), field="org")


def _co_organizers(org: Organization, co_orgs) -> list[Organization]:
    out: list[Organization] = []
    for other in co_orgs or ():
        if other.pk == org.pk or any(o.pk == other.pk for o in out):
            continue
        if other.dissolved_on:
            raise DomainError(_("联合组织单位“%(o)s”已撤销。") % {"o": other.name}, field="co_orgs")
        out.append(other)
    if len(out) > MAX_CO_ORGANIZERS:
        raise DomainError(_("联合组织单位最多 %(n)d 个。") % {"n": MAX_CO_ORGANIZERS}, field="co_orgs")
    return out


def _locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().select_related("org").get(pk=activity.pk)


def _check_version(locked: Activity, version) -> None:
    if version is None:
        return
    try:
        seen = int(version)
    except (TypeError, ValueError):
        raise DomainError(_(STALE), field="version", code="stale") from None
    if seen != locked.version:
        raise DomainError(_(STALE), field="version", code="stale")


def _check_open(activity: Activity) -> None:
    if activity.status == ActivityStatus.CANCELLED:
        raise DomainError(_("该活动已取消。"), field="status")


# --- publishing -----------------------------------------------------------------------------------------------------


@transaction.atomic
def activity_publish(
    *,
    actor,
    org: Organization,
    kind: str,
    title: str,
    place: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity,
    signup_deadline: datetime.datetime,
    description: str = "",
    co_orgs=(),
) -> Activity:
    """An organization in the actor's scope publishes an activity (with the other organizers of a joint one)."""
    _check_host(actor, org)
    activity = Activity(
        org=org,
        kind=_check_kind(kind),
        title=_text(title, field="title", label=_("活动名称"), required=True),
        place=_text(place, field="place", label=_("活动地点"), required=True),
        description=_text(description, field="description", label=_("活动内容")),
        capacity=_check_capacity(capacity),
        starts_at=starts_at,
        ends_at=ends_at,
        signup_deadline=signup_deadline,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _check_times(starts_at, ends_at, signup_deadline, new=True)
    others = _co_organizers(org, co_orgs)
    activity.save()
    Organizer.objects.bulk_create(
        [Organizer(activity=activity, org=org, host=True), *(Organizer(activity=activity, org=o) for o in others)]
    )
    audit.record(
        actor=actor,
        action="activity.publish",
        obj=activity,
        org=org,
        details={"kind": activity.kind, "capacity": activity.capacity, "co_orgs": [o.pk for o in others]},
    )
    return activity


@transaction.atomic
def activity_update(*, actor, activity: Activity, version=None, co_orgs=None, **data) -> Activity:
    """The host edits the activity; a larger capacity moves the waiting list up, a smaller one than the members
    already signed up is refused."""
    locked = _locked(activity)
    _check_version(locked, version)
    if actor is not None and not can_edit(actor, locked):
        raise DomainError(_("只有主办党组织可以修改该活动。"))
    _check_open(locked)
    if "kind" in data:
        locked.kind = _check_kind(data["kind"])
    for name, label in (("title", _("活动名称")), ("place", _("活动地点")), ("description", _("活动内容"))):
        if name in data:
            setattr(locked, name, _text(data[name], field=name, label=label, required=name != "description"))
    for name in ("starts_at", "ends_at", "signup_deadline"):
        if name in data:
            setattr(locked, name, data[name])
    _check_times(locked.starts_at, locked.ends_at, locked.signup_deadline, new=False)
    if "capacity" in data:
        capacity = _check_capacity(data["capacity"])
        if capacity < locked.signed_up:
            raise DomainError(
                _("已有 %(n)d 人报名，名额不能少于已报名人数。") % {"n": locked.signed_up}, field="capacity"
            )
        locked.capacity = capacity
    if co_orgs is not None:
        others = _co_organizers(locked.org, co_orgs)
        locked.organizers.filter(host=False).exclude(org__in=others).delete()
        have = set(locked.organizers.values_list("org_id", flat=True))
        Organizer.objects.bulk_create([Organizer(activity=locked, org=o) for o in others if o.pk not in have])
    promoted = _move_up(locked)
    locked.version += 1
    locked.save()
    audit.record(
        actor=actor,
        action="activity.update",
        obj=locked,
        org=locked.org,
        details={"capacity": locked.capacity, "promoted": promoted},
    )
    return locked


@transaction.atomic
def activity_cancel(*, actor, activity: Activity, reason: str, version=None) -> Activity:
    locked = _locked(activity)
    _check_version(locked, version)
    if actor is not None and not can_edit(actor, locked):
        raise DomainError(_("只有主办党组织可以取消该活动。"))
    _check_open(locked)
    reason = _text(reason, field="reason", label=_("取消原因"), required=True, limit=300)
    if locked.checked_in:
        raise DomainError(_("已有党员签到，活动不能取消。"), field="status")
    locked.status = ActivityStatus.CANCELLED
    locked.version += 1
    locked.save()
    users = Member.objects.filter(
        activity_signups__activity=locked, activity_signups__status__in=[SignupStatus.SIGNED_UP, SignupStatus.WAITING]
    ).exclude(user=None)
    for m in users.select_related("user"):
        notify(user=m.user, title=_("活动“%(t)s”已取消") % {"t": locked.title}, body=reason)
    audit.record(actor=actor, action="activity.cancel", obj=locked, org=locked.org, details={"reason": reason})
    return locked


@transaction.atomic
def activity_summarize(*, actor, activity: Activity, summary: str, version=None) -> Activity:
    """The summary after the activity (the host's managers)."""
    locked = _locked(activity)
    _check_version(locked, version)
    if actor is not None and not can_edit(actor, locked):
        raise DomainError(_("只有主办党组织可以填写活动总结。"))
    _check_open(locked)
    if locked.starts_at > timezone.now():
        raise DomainError(_("活动尚未开始，开始后才能填写总结。"), field="summary")
    locked.summary = _text(summary, field="summary", label=_("活动总结"), required=True)
    locked.version += 1
    locked.save()
    audit.record(actor=actor, action="activity.summary", obj=locked, org=locked.org, details={})
    return locked


@transaction.atomic
def activity_add_photo(*, actor, activity: Activity, upload) -> ActivityPhoto:
    if actor is not None and not can_edit(actor, activity):
        raise DomainError(_("只有主办党组织可以上传活动照片。"))
    _check_open(activity)
    if activity.photos.count() >= 30:
        raise DomainError(_("每个活动最多上传 30 张照片。"), field="file")
    att = attachment_save(actor=actor, upload=upload, owner=activity, allowed={"jpg", "png"})
    photo = ActivityPhoto.objects.create(activity=activity, attachment=att)
    audit.record(actor=actor, action="activity.photo", obj=activity, org=activity.org, details={"name": att.name})
    return photo


# --- sign-up and the waiting list -------------------------------------------------------------------------------


def member_of(actor) -> Member:
    """The actor's own member record (a member signs up and checks in for itself only)."""
    member = Member.objects.select_related("org").filter(user=actor, left_on__isnull=True).first() if actor else None
    if member is None:
        raise DomainError(_("您的账号没有关联党员信息，不能报名或签到。请联系支部书记。"))
    return member


def _check_eligible(activity: Activity, member: Member) -> None:
    """The member belongs to one of the organizers (its subtree)."""
    paths = list(Organization.objects.filter(activities_organized__activity=activity).values_list("path", flat=True))
    if not any(member.org.path.startswith(p) for p in paths):
        raise DomainError(_("该活动面向主办和联合组织单位的党员，您不在其中。"))


def _move_up(locked: Activity) -> int:
    """Fill free places from the waiting list, first come first served. The activity row is locked."""
    free = locked.capacity - locked.signed_up
    if free <= 0 or not locked.waiting:
        return 0
    moving = list(
        locked.signups.filter(status=SignupStatus.WAITING)
        .select_related("member__user")
        .order_by("queued_at", "id")[:free]
    )
    for s in moving:
        s.status = SignupStatus.SIGNED_UP
        s.save(update_fields=["status"])
        if s.member.user_id:
            notify(
                user=s.member.user,
                title=_("候补成功：您已获得活动“%(t)s”的名额") % {"t": locked.title},
                url=f"/activities/{locked.pk}/",
            )
    locked.signed_up += len(moving)
    locked.waiting -= len(moving)
    return len(moving)


@transaction.atomic
def signup_join(*, actor, activity: Activity, now: datetime.datetime | None = None) -> Signup:
    """The actor signs itself up: a place while there is one, else the waiting list."""
    member = member_of(actor)
    locked = _locked(activity)
    now = now or timezone.now()
    _check_open(locked)
    if now > locked.signup_deadline:
        raise DomainError(
            _("报名已于 %(d)s 截止。") % {"d": f"{timezone.localtime(locked.signup_deadline):%Y-%m-%d %H:%M}"}
        )
    _check_eligible(locked, member)
    signup = Signup.objects.filter(activity=locked, member=member).first()
    if signup is not None and signup.status == SignupStatus.SIGNED_UP:
        raise DomainError(_("您已报名该活动。"))
    if signup is not None and signup.status == SignupStatus.WAITING:
        raise DomainError(_("您已在候补名单中，有人取消时按报名先后递补。"))
    status = SignupStatus.SIGNED_UP if locked.signed_up < locked.capacity else SignupStatus.WAITING
    if signup is None:
        signup = Signup(activity=locked, member=member)
    signup.status, signup.queued_at = status, now
    signup.save()
    if status == SignupStatus.SIGNED_UP:
        locked.signed_up += 1
    else:
        locked.waiting += 1
    locked.save(update_fields=["signed_up", "waiting", "updated_at"])
    audit.record(actor=actor, action="activity.signup", obj=locked, org=member.org, details={"status": status})
    return signup


@transaction.atomic
def signup_cancel(*, actor, activity: Activity, now: datetime.datetime | None = None) -> Signup:
    """The actor withdraws (a place or the waiting list); the first on the waiting list moves up."""
    member = member_of(actor)
    locked = _locked(activity)
    now = now or timezone.now()
    signup = Signup.objects.filter(activity=locked, member=member).first()
    if signup is None or signup.status == SignupStatus.CANCELLED:
        raise DomainError(_("您没有报名该活动。"))
    if signup.checked_in_at:
        raise DomainError(_("您已签到，不能取消报名。"))
    if now >= locked.starts_at:
        raise DomainError(_("活动已开始，不能取消报名。"))
    was = signup.status
    signup.status = SignupStatus.CANCELLED
    signup.save(update_fields=["status"])
    if was == SignupStatus.SIGNED_UP:
        locked.signed_up -= 1
    else:
        locked.waiting -= 1
    promoted = _move_up(locked) if locked.status == ActivityStatus.PUBLISHED else 0
    locked.save(update_fields=["signed_up", "waiting", "updated_at"])
    audit.record(
        actor=actor,
        action="activity.signup_cancel",
        obj=locked,
        org=member.org,
        details={"was": was, "promoted": promoted},
    )
    return signup


# --- check-in and check-out ---------------------------------------------------------------------------------------


def checkin_code(activity: Activity, *, now: datetime.datetime | None = None) -> tuple[str, datetime.datetime]:
    """The code the organizer's screen shows now (as a QR of the check-in URL) and when it expires."""
    now = now or timezone.now()
    until = now + datetime.timedelta(minutes=CODE_MINUTES)
    return checkin.make_code(CODE_PURPOSE, CODE_KIND, activity.pk, valid_from=now, valid_until=until), until


def verify(activity: Activity, code: str, *, now: datetime.datetime | None = None) -> None:
    checkin.verify_code(code, CODE_PURPOSE, kind=CODE_KIND, pk=activity.pk, now=now)


@transaction.atomic
def check_in(*, actor, activity: Activity, code: str, now: datetime.datetime | None = None) -> Signup:
    """The actor checks itself in with the code of the QR at the place (valid, this activity's, not expired)."""
    now = now or timezone.now()
    verify(activity, code, now=now)
    member = member_of(actor)
    locked = _locked(activity)
    _check_open(locked)
    if now < locked.starts_at - CHECKIN_OPENS:
        raise DomainError(_("签到将于活动开始前 1 小时开放。"))
    if now > locked.ends_at:
        raise DomainError(_("活动已结束，不能签到。"))
    _check_eligible(locked, member)
    signup = Signup.objects.filter(activity=locked, member=member).first()
    if signup is not None and signup.checked_in_at:
        raise DomainError(
            _("您已于 %(t)s 签到，无需重复签到。") % {"t": f"{timezone.localtime(signup.checked_in_at):%H:%M}"},
            code="already",
        )
    if signup is not None and signup.status == SignupStatus.WAITING:
        raise DomainError(_("您在候补名单中，尚未获得名额，不能签到。"))
    if signup is None or signup.status == SignupStatus.CANCELLED:
        if locked.signed_up >= locked.capacity:
            raise DomainError(_("您没有报名该活动，且名额已满，不能现场签到。"))
        signup = signup or Signup(activity=locked, member=member)
        signup.status, signup.queued_at, signup.walk_in = SignupStatus.SIGNED_UP, now, True
        locked.signed_up += 1
    signup.checked_in_at = now
    signup.save()
    locked.checked_in += 1
    locked.save(update_fields=["signed_up", "checked_in", "updated_at"])
    award(member=member, action="activity_checkin", source=locked, occurred_at=now)
    audit.record(
        actor=actor, action="activity.checkin", obj=locked, org=member.org, details={"walk_in": signup.walk_in}
    )
    return signup


def volunteer_hours(activity: Activity, checked_in_at: datetime.datetime, checked_out_at: datetime.datetime) -> Decimal:
    """Check-out minus check-in, capped at the activity's length, in tenths of an hour (rounded down)."""
    served = min(checked_out_at - checked_in_at, activity.ends_at - activity.starts_at)
    tenths = max(0, int(served.total_seconds() // 360))
    return (Decimal(tenths) / 10).quantize(Decimal("0.1"), rounding=ROUND_DOWN)


@transaction.atomic
def check_out(*, actor, activity: Activity, code: str, now: datetime.datetime | None = None) -> Signup:
    """The actor checks out of a volunteer service with the code at the place: its hours go to the ledger."""
    now = now or timezone.now()
    verify(activity, code, now=now)
    member = member_of(actor)
    locked = _locked(activity)
    if locked.kind != ActivityKind.VOLUNTEER:
        raise DomainError(_("该活动不是志愿服务，无需签退。"))
    signup = Signup.objects.filter(activity=locked, member=member).first()
    if signup is None or signup.checked_in_at is None:
        raise DomainError(_("您尚未签到，请先签到再签退。"))
    if signup.checked_out_at:
        raise DomainError(
            _("您已于 %(t)s 签退。") % {"t": f"{timezone.localtime(signup.checked_out_at):%H:%M}"}, code="already"
        )
    if now < signup.checked_in_at:
        raise DomainError(_("签退时间早于签到时间。"))
    if now > locked.ends_at + CHECKOUT_CLOSES:
        raise DomainError(_("活动结束已超过 6 小时，不能签退。请联系组织者。"))
    hours = volunteer_hours(locked, signup.checked_in_at, now)
    signup.checked_out_at, signup.hours = now, hours
    signup.save(update_fields=["checked_out_at", "hours"])
    VolunteerHours.objects.create(
        member=member, activity=locked, signup=signup, hours=hours, served_on=timezone.localdate(now)
    )
    if hours > 0:
        award(member=member, action="volunteer_hours", source=locked, occurred_at=now, quantity=hours)
    audit.record(actor=actor, action="activity.checkout", obj=locked, org=member.org, details={"hours": str(hours)})
    return signup


def organizer_may_show_code(user, activity: Activity) -> bool:
    return can_organize(user, activity) and activity.status == ActivityStatus.PUBLISHED


# --- bulk (the demo year, a migration from paper records) -----------------------------------------------------------


@transaction.atomic
def activities_record_bulk(*, actor, activities: list[dict]) -> int:
    """Many past or coming activities with their sign-ups at once, each checked as the services check one: times in
    order, capacity respected (the rest waits), check-in only of a signed-up member within the activity, check-out
    only after check-in and only of a volunteer service, hours capped at the activity's length. Written in bulk with
    the volunteer-hours ledger and the points (award_many), one audit event for the batch. `activities`: dicts of
    activity_publish's arguments plus `signups`: a list of (member, queued_at, checked_in_at | None,
    checked_out_at | None). Nothing is written if any is refused."""
    built, organizers, signups = [], [], []
    for i, data in enumerate(activities, start=1):
        signups_in = data.get("signups") or []
        try:
            _check_kind(data["kind"])
            _check_times(data["starts_at"], data["ends_at"], data["signup_deadline"], new=False)
            capacity = _check_capacity(data["capacity"])
        except DomainError as exc:
            raise DomainError(_("第 %(i)d 条：%(m)s") % {"i": i, "m": exc.message}, field=exc.field) from None
        a = Activity(
            org=data["org"],
            kind=data["kind"],
            title=_text(data["title"], field="title", label=_("活动名称"), required=True),
            place=_text(data["place"], field="place", label=_("活动地点"), required=True),
            description=_text(data.get("description", ""), field="description", label=_("活动内容")),
            summary=_text(data.get("summary", ""), field="summary", label=_("活动总结")),
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            signup_deadline=data["signup_deadline"],
            capacity=capacity,
        )
        rows = []
        for member, queued_at, checked_in_at, checked_out_at in sorted(signups_in, key=lambda r: r[1]):
            placed = a.signed_up < capacity
            s = Signup(
                member=member, queued_at=queued_at, status=SignupStatus.SIGNED_UP if placed else SignupStatus.WAITING
            )
            if placed:
                a.signed_up += 1
            else:
                a.waiting += 1
            if checked_in_at is not None:
                if not placed or not (a.starts_at - CHECKIN_OPENS <= checked_in_at <= a.ends_at):
                    raise DomainError(_("第 %(i)d 条：签到时间不在活动时间内，或该党员没有名额。") % {"i": i})
                s.checked_in_at = checked_in_at
                a.checked_in += 1
            if checked_out_at is not None:
                if a.kind != ActivityKind.VOLUNTEER or checked_in_at is None or checked_out_at < checked_in_at:
                    raise DomainError(_("第 %(i)d 条：签退须在签到之后，且仅限志愿服务。") % {"i": i})
                s.checked_out_at, s.hours = checked_out_at, volunteer_hours(a, checked_in_at, checked_out_at)
            rows.append(s)
        built.append(a)
        organizers.append([data["org"], *_co_organizers(data["org"], data.get("co_orgs"))])
        signups.append(rows)
    Activity.objects.bulk_create(built, batch_size=2000)
    Organizer.objects.bulk_create(
        [
            Organizer(activity=a, org=o, host=j == 0)
            for a, orgs in zip(built, organizers, strict=True)
            for j, o in enumerate(orgs)
        ],
        batch_size=5000,
    )
    for a, rows in zip(built, signups, strict=True):
        for s in rows:
            s.activity = a
    flat = [s for rows in signups for s in rows]
    Signup.objects.bulk_create(flat, batch_size=5000)
    ledger, points = [], []
    for s in flat:
        if s.checked_in_at:
            points.append(
                {"member": s.member, "action": "activity_checkin", "source": s.activity, "occurred_at": s.checked_in_at}
            )
        if s.checked_out_at:
            ledger.append(
                VolunteerHours(
                    member=s.member,
                    activity=s.activity,
                    signup=s,
                    hours=s.hours,
                    served_on=timezone.localdate(s.checked_out_at),
                )
            )
            if s.hours:
                points.append(
                    {
                        "member": s.member,
                        "action": "volunteer_hours",
                        "source": s.activity,
                        "occurred_at": s.checked_out_at,
                        "quantity": s.hours,
                    }
                )
    VolunteerHours.objects.bulk_create(ledger, batch_size=5000)
    awarded = award_many(sorted(points, key=lambda r: r["occurred_at"])) if points else 0
    audit.record(
        actor=actor,
        action="activity.bulk_create",
        details={"activities": len(built), "signups": len(flat), "hours": len(ledger), "points": awarded},
    )
    return len(built)
