"""Writes of organizational life: record a meeting with its attendance, report it to the committee above, approve
or return it (the workflow engine); the zone's required frequencies and the exemptions from them.

Every write checks the actor's scope and writes its audit event in the same transaction; refused input raises a
DomainError in the user's language and writes nothing."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongyin.accounts.models import RoleAssignment
from hongyin.audit import services as audit
from hongyin.common.errors import DomainError
from hongyin.common.notification_texts import text
from hongyin.common.notifications import notify_many
from hongyin.common.permissions import check_in_scope
from hongyin.common.roles import Role
from hongyin.common.uploads import attachment_save
from hongyin.members.models import Member
from hongyin.orgs.models import BRANCH_KINDS, Organization, OrgKind
from hongyin.orgs.permissions import ORG_SCOPE
from hongyin.points import services as points
from hongyin.workflows.engine import Transition, Workflow

from . import notices  # noqa: F401  (the notification texts)
from .models import (
    EDITABLE_STATUSES,
    QUORUM_KINDS,
    Attendance,
    AttendanceState,
    Exemption,
    GuideTopic,
    Meeting,
    MeetingEvent,
    MeetingKind,
    MeetingPhoto,
    MeetingStatus,
    MonthlyGuide,
    Period,
    RequiredFrequency,
)
from .periods import add_months, month_start, parse_month
from .permissions import CONFIGURE, MANAGE, can_approve, can_manage
from .selectors import RosterCache, guide_outstanding, roster_at

S = MeetingStatus
TEXT_LIMITS = {"title": 120, "place": 120, "presenter": 40, "recorder": 40, "invitees": 300}
LONG_LIMIT = 20_000
MEETING_ORG_KINDS = frozenset({*BRANCH_KINDS, OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE, OrgKind.GROUP})


def _record_event(meeting, *, actor, action, before, after, note):
    return MeetingEvent.objects.create(
        meeting=meeting, actor=actor, action=action, before=before, after=after, note=note[:300]
    )


MEETING_FLOW = Workflow(
    key="meeting",
    model=Meeting,
    transitions=[
        Transition("submit", {S.DRAFT, S.RETURNED}, S.SUBMITTED, gettext_lazy("报送上级审核"), can_manage),
        Transition("approve", {S.SUBMITTED}, S.APPROVED, gettext_lazy("审核通过"), can_approve),
        Transition("return", {S.SUBMITTED}, S.RETURNED, gettext_lazy("退回修改"), can_approve),
    ],
    record_event=_record_event,
    audit_org=lambda meeting: meeting.org,
    audit_details=lambda meeting: {"kind": meeting.kind, "held_on": str(meeting.held_on or "")},
    stale_message=gettext_lazy("该会议记录已被他人处理，请刷新后重试。"),
)


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


def _check_org(actor, org: Organization) -> None:
    if actor is not None:
        check_in_scope(actor, org, MANAGE, ORG_SCOPE)
    if org.kind not in MEETING_ORG_KINDS or org.dissolved_on:
        raise DomainError(_("请选择召开会议的党支部或党委（未撤销）。"), field="org")


def _check_kind(kind) -> str:
    if kind not in MeetingKind.values:
        raise DomainError(_("请选择会议类型。"), field="kind")
    return kind


def _check_dates(planned_on: date | None, held_on: date | None, org: Organization) -> None:
    today = timezone.localdate()
    if held_on is not None and held_on > today:
        raise DomainError(
            _("召开日期 %(d)s 晚于今天：尚未召开的会议请填写计划日期。") % {"d": held_on}, field="held_on"
        )
    if held_on is not None and org.founded_on and held_on < org.founded_on:
        raise DomainError(_("召开日期早于该党组织的成立日期（%(d)s）。") % {"d": org.founded_on}, field="held_on")
    if held_on is not None and held_on.year < 1921:
        raise DomainError(_("请填写正确的召开日期。"), field="held_on")
    if planned_on is not None and not (1921 <= planned_on.year <= today.year + 5):
        raise DomainError(_("请填写正确的计划日期。"), field="planned_on")
    if planned_on is None and held_on is None:
        raise DomainError(_("请填写计划日期或召开日期。"), field="planned_on")


@dataclass(frozen=True)
class AttendanceFigures:
    expected: int
    present: int
    voting_expected: int
    voting_present: int

    @property
    def below_quorum(self) -> bool:
        """More than half of the voting members must be present (条例 2018, art. 19 of the Party Constitution)."""
        return self.voting_present * 2 <= self.voting_expected


def _attendance_rows(
    meeting: Meeting, attendance: dict[int, str], rosters: "RosterCache | None" = None
) -> tuple[list[Attendance], AttendanceFigures]:
    """Check the states against the roster on the day the meeting was held; every member of the roster is expected
    (a member not marked is recorded absent)."""
    if meeting.held_on is None:
        raise DomainError(_("会议尚未召开（未填写召开日期），不能登记出勤。"), field="held_on")
    roster = rosters.on(meeting.org, meeting.held_on) if rosters else roster_at(meeting.org, meeting.held_on)
    on_roster = {e.member.pk: e for e in roster}
    strangers = [pk for pk in attendance if pk not in on_roster]
    if strangers:
        names = list(Member.objects.filter(pk__in=strangers[:5]).values_list("name", flat=True)) or [
            str(pk) for pk in strangers[:5]
        ]
        raise DomainError(
            _("%(n)s 在 %(d)s 不是“%(o)s”的党员，不能登记出勤。")
            % {"n": "、".join(names), "d": meeting.held_on, "o": meeting.org.name},
            field="attendance",
        )
    rows = []
    for entry in roster:
        state = attendance.get(entry.member.pk) or AttendanceState.ABSENT
        if state not in AttendanceState.values:
            raise DomainError(_("出勤情况不正确：%(s)s。") % {"s": str(state)[:20]}, field="attendance")
        rows.append(
            Attendance(meeting=meeting, member=entry.member, state=state, voting=entry.voting, held_on=meeting.held_on)
        )
    present = [r for r in rows if r.state == AttendanceState.PRESENT]
    figures = AttendanceFigures(
        expected=len(rows),
        present=len(present),
        voting_expected=sum(1 for r in rows if r.voting),
        voting_present=sum(1 for r in present if r.voting),
    )
    return rows, figures


def _check_resolutions(meeting: Meeting) -> None:
    if meeting.kind in QUORUM_KINDS and meeting.below_quorum and meeting.resolutions.strip():
        raise DomainError(
            _(
                "到会的有表决权党员 %(p)d 人，未超过应到 %(e)d 人的半数，会议未达法定人数，不能形成决议。"
                "请删除决议内容，或核对出勤情况。"
            )
            % {"p": meeting.voting_present, "e": meeting.voting_expected},
            field="resolutions",
        )


def _apply_figures(meeting: Meeting, figures: AttendanceFigures | None) -> None:
    if figures is None:
        return
    meeting.expected, meeting.present = figures.expected, figures.present
    meeting.voting_expected, meeting.voting_present = figures.voting_expected, figures.voting_present
    meeting.below_quorum = meeting.kind in QUORUM_KINDS and figures.below_quorum


def _fill(meeting: Meeting, data: dict) -> None:
    labels = {
        "title": _("会议主题"),
        "place": _("地点"),
        "presenter": _("主持人"),
        "recorder": _("记录人"),
        "topics": _("议题"),
        "minutes": _("会议内容及记录"),
        "resolutions": _("决议"),
        "invitees": _("列席人员"),
    }
    for name, label in labels.items():
        if name in data:
            setattr(meeting, name, _text(data[name], field=name, label=label, required=name == "title"))


# --- meetings -------------------------------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    actor,
    org: Organization,
    kind: str,
    title: str,
    planned_on: date | None = None,
    held_on: date | None = None,
    attendance: dict[int, str] | None = None,
    **text_fields,
) -> Meeting:
    """Record a meeting (a draft): planned, or held with its attendance from the roster on that day."""
    _check_org(actor, org)
    kind = _check_kind(kind)
    _check_dates(planned_on, held_on, org)
    meeting = Meeting(
        org=org,
        kind=kind,
        planned_on=planned_on,
        held_on=held_on,
        status=S.DRAFT,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _fill(meeting, {"title": title, **text_fields})
    rows, figures = ([], None) if attendance is None or held_on is None else _attendance_rows(meeting, attendance)
    _apply_figures(meeting, figures)
    _check_resolutions(meeting)
    meeting.save()
    if rows:
        Attendance.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action="meeting.create",
        obj=meeting,
        org=org,
        details={"kind": kind, "held_on": str(held_on or ""), "present": meeting.present, "expected": meeting.expected},
    )
    return meeting


def _check_editable(actor, meeting: Meeting) -> None:
    if actor is not None:
        check_in_scope(actor, meeting.org, MANAGE, ORG_SCOPE)
    if meeting.status not in EDITABLE_STATUSES:
        raise DomainError(
            _("会议记录当前状态为“%(s)s”，不能修改。") % {"s": meeting.get_status_display()}, field="status"
        )


@transaction.atomic
def meeting_update(
    *, actor, meeting: Meeting, version: int | None = None, attendance: dict[int, str] | None = None, **data
) -> Meeting:
    """Edit a draft or returned record (and its attendance, recounted against the roster of the held day)."""
    locked = Meeting.objects.select_for_update().select_related("org").get(pk=meeting.pk)
    if version is not None and version != locked.version:
        raise DomainError(str(MEETING_FLOW.stale_message), field="version", code="stale")
    _check_editable(actor, locked)
    if "kind" in data:
        locked.kind = _check_kind(data.pop("kind"))
    for name in ("planned_on", "held_on"):
        if name in data:
            setattr(locked, name, data.pop(name))
    _check_dates(locked.planned_on, locked.held_on, locked.org)
    _fill(locked, data)
    replace, rows = True, []
    if locked.held_on is None:
        figures = AttendanceFigures(0, 0, 0, 0)
    elif attendance is not None:
        rows, figures = _attendance_rows(locked, attendance)
    elif locked.attendance.exclude(held_on=locked.held_on).exists():  # the day moved: the roster may differ
        on_roster = {e.member.pk for e in roster_at(locked.org, locked.held_on)}
        kept = {pk: st for pk, st in locked.attendance.values_list("member_id", "state") if pk in on_roster}
        rows, figures = _attendance_rows(locked, kept)
    else:
        replace, figures = False, _figures_of(locked)
    _apply_figures(locked, figures)
    _check_resolutions(locked)
    if replace:
        locked.attendance.all().delete()
        Attendance.objects.bulk_create(rows)
    locked.version += 1
    locked.save()
    audit.record(
        actor=actor,
        action="meeting.update",
        obj=locked,
        org=locked.org,
        details={"present": locked.present, "expected": locked.expected, "below_quorum": locked.below_quorum},
    )
    return locked


def _figures_of(meeting: Meeting) -> AttendanceFigures:
    rows = list(meeting.attendance.values_list("state", "voting"))
    present = [v for s, v in rows if s == AttendanceState.PRESENT]
    return AttendanceFigures(len(rows), len(present), sum(1 for _s, v in rows if v), sum(1 for v in present if v))


@transaction.atomic
def meeting_set_attendance(*, actor, meeting: Meeting, attendance: dict[int, str], version: int | None = None):
    return meeting_update(actor=actor, meeting=meeting, version=version, attendance=attendance)


@transaction.atomic
def meeting_submit(*, actor, meeting: Meeting, note: str = "") -> Meeting:
    """Report the record to the committee above: a held meeting with its attendance."""
    if actor is not None and not can_manage(actor, meeting):
        raise DomainError(_("只有召开会议的党组织可以报送。"))
    if meeting.held_on is None:
        raise DomainError(_("会议尚未召开：请先填写召开日期和出勤情况，再报送。"), field="held_on")
    if meeting.held_on > timezone.localdate():
        raise DomainError(_("召开日期晚于今天，不能报送。"), field="held_on")
    if not meeting.attendance.exists():
        raise DomainError(_("请先登记出勤情况，再报送。"), field="attendance")
    if not meeting.minutes.strip():
        raise DomainError(_("请填写会议内容及记录，再报送。"), field="minutes")
    _check_resolutions(meeting)
    note = _text(note, field="note", label=_("说明"), limit=300)
    MEETING_FLOW.move(actor=actor, obj=meeting, action="submit", note=note, changes={"submitted_at": timezone.now()})
    return meeting


@transaction.atomic
def meeting_approve(*, actor, meeting: Meeting, note: str = "") -> Meeting:
    if actor is not None and not can_approve(actor, meeting):
        raise DomainError(_("只有上级党组织可以审核本会议记录。"))
    note = _text(note, field="note", label=_("审核意见"), limit=300)
    MEETING_FLOW.move(
        actor=actor,
        obj=meeting,
        action="approve",
        note=note,
        changes={"approved_at": timezone.now(), "return_reason": ""},
    )
    award_attendance([meeting])
    return meeting


def award_attendance(meetings: list[Meeting]) -> int:
    """Points for attending (hongyin.points, action "meeting_attend"): each member present at an approved meeting,
    once per meeting (the ledger is idempotent per member, action and source), under the rules of the day it was
    held. In the caller's transaction; a few queries whatever the number of meetings."""
    by_id = {m.pk: m for m in meetings if m.status == S.APPROVED and m.held_on}
    if not by_id:
        return 0
    present = Attendance.objects.filter(meeting_id__in=list(by_id), state=AttendanceState.PRESENT)
    rows = [
        {"member": member_id, "action": "meeting_attend", "source": by_id[meeting_id], "occurred_at": held_on}
        for meeting_id, member_id, held_on in present.values_list("meeting_id", "member_id", "held_on").order_by(
            "held_on", "meeting_id", "member_id"
        )
    ]
    return points.award_many(rows)


@transaction.atomic
def meeting_return(*, actor, meeting: Meeting, reason: str) -> Meeting:
    if actor is not None and not can_approve(actor, meeting):
        raise DomainError(_("只有上级党组织可以退回本会议记录。"))
    reason = _text(reason, field="reason", label=_("退回原因"), required=True, limit=300)
    MEETING_FLOW.move(actor=actor, obj=meeting, action="return", note=reason, changes={"return_reason": reason})
    return meeting


@transaction.atomic
def meeting_add_photo(*, actor, meeting: Meeting, upload) -> MeetingPhoto:
    """A photo, a scanned sign-in sheet or the minutes as a document (JPG, PNG, PDF, Word)."""
    _check_editable(actor, meeting)
    if meeting.photos.count() >= 20:
        raise DomainError(_("每次会议最多上传 20 个附件。"), field="file")
    att = attachment_save(actor=actor, upload=upload, owner=meeting, allowed={"jpg", "png", "pdf", "docx"})
    photo = MeetingPhoto.objects.create(meeting=meeting, attachment=att)
    audit.record(actor=actor, action="meeting.photo", obj=meeting, org=meeting.org, details={"name": att.name})
    return photo


@transaction.atomic
def meetings_record_bulk(*, actor, meetings: list[dict], status: str = S.APPROVED) -> int:
    """Many held meetings at once (the demo year, a migration from paper records): each checked like one recorded
    by hand (a held day not in the future, attendance only of the roster of that day, no resolution below quorum),
    written in bulk, one audit event for the batch. `meetings`: dicts of meeting_create's arguments plus
    `attendance` {member_id: state}. Nothing is written if any is refused."""
    if status not in (S.DRAFT, S.SUBMITTED, S.APPROVED):
        raise DomainError(_("未知的状态。"), field="status")
    today, now = timezone.localdate(), timezone.now()
    built, attendance_rows = [], []
    checked_orgs: set[int] = set()
    rosters = RosterCache()
    for data in meetings:
        if data.get("held_on"):
            rosters.prepare(data["org"], data["held_on"])
    for i, data in enumerate(meetings, start=1):
        org = data["org"]
        if org.pk not in checked_orgs:
            _check_org(actor, org)
            checked_orgs.add(org.pk)
        held_on = data.get("held_on")
        if held_on is None or held_on > today:
            raise DomainError(_("第 %(i)d 条：召开日期应不晚于今天。") % {"i": i}, field="held_on")
        try:
            _check_dates(data.get("planned_on"), held_on, org)
        except DomainError as exc:
            raise DomainError(_("第 %(i)d 条：%(m)s") % {"i": i, "m": exc.message}, field=exc.field) from None
        m = Meeting(
            org=org,
            kind=_check_kind(data["kind"]),
            held_on=held_on,
            planned_on=data.get("planned_on") or held_on,
            status=status,
            submitted_at=now if status != S.DRAFT else None,
            approved_at=now if status == S.APPROVED else None,
        )
        _fill(m, {k: v for k, v in data.items() if k in (*TEXT_LIMITS, "topics", "minutes", "resolutions")})
        rows, figures = _attendance_rows(m, data.get("attendance") or {}, rosters)
        _apply_figures(m, figures)
        _check_resolutions(m)
        built.append(m)
        attendance_rows.append(rows)
    Meeting.objects.bulk_create(built, batch_size=2000)
    for m, rows in zip(built, attendance_rows, strict=True):
        for r in rows:
            r.meeting = m
    Attendance.objects.bulk_create([r for rows in attendance_rows for r in rows], batch_size=5000)
    awarded = award_attendance(built) if status == S.APPROVED else 0
    audit.record(
        actor=actor,
        action="meeting.bulk_create",
        details={"meetings": len(built), "status": status, "points_entries": awarded},
    )
    return len(built)


# --- required frequencies and exemptions ------------------------------------------------------------------------------


@transaction.atomic
def frequency_set(*, actor, kind: str, period: str, times, active: bool = True) -> RequiredFrequency:
    """The zone changes how often a kind of meeting is required."""
    if actor is not None and not actor.has_role_perm(CONFIGURE):
        raise DomainError(_("只有党工委组织部可以修改组织生活频次要求。"))
    kind = _check_kind(kind)
    if period not in Period.values:
        raise DomainError(_("请选择周期。"), field="period")
    try:
        times = int(str(times).strip())
    except (TypeError, ValueError):
        times = 0
    if not 1 <= times <= 31:
        raise DomainError(_("每周期次数应为 1-31 的整数。"), field="times")
    rule, _created = RequiredFrequency.objects.select_for_update().get_or_create(
        kind=kind, defaults={"period": period, "times": times, "active": bool(active)}
    )
    before = {"period": rule.period, "times": rule.times, "active": rule.active}
    rule.period, rule.times, rule.active = period, times, bool(active)
    rule.save()
    audit.record(
        actor=actor,
        action="orglife.frequency_set",
        obj=rule,
        details={"kind": kind, "before": before, "after": {"period": period, "times": times, "active": rule.active}},
    )
    return rule


@transaction.atomic
def exemption_add(*, actor, org: Organization, kind: str, reason: str, start, end) -> Exemption:
    """Excuse a branch from a kind of meeting for the months start..end (inclusive), for a reason."""
    if actor is not None:
        if not actor.has_role_perm(CONFIGURE):
            raise DomainError(_("只有党工委组织部可以设置豁免。"))
        check_in_scope(actor, org, CONFIGURE, ORG_SCOPE)
    if org.kind not in BRANCH_KINDS:
        raise DomainError(_("豁免只适用于党支部。"), field="org")
    kind = _check_kind(kind)
    reason = _text(reason, field="reason", label=_("原因"), required=True, limit=200)
    start, end = month_start(start), month_start(end)
    if end < start:
        raise DomainError(_("截止月份不能早于起始月份。"), field="end")
    if end > add_months(start, 23):
        raise DomainError(_("一次豁免最长 24 个月。"), field="end")
    ex = Exemption.objects.create(
        org=org,
        kind=kind,
        reason=reason,
        start=start,
        end=end,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action="orglife.exemption_add",
        obj=ex,
        org=org,
        details={"kind": kind, "start": str(start), "end": str(end), "reason": reason},
    )
    return ex


@transaction.atomic
def exemption_remove(*, actor, exemption: Exemption) -> None:
    if actor is not None:
        if not actor.has_role_perm(CONFIGURE):
            raise DomainError(_("只有党工委组织部可以取消豁免。"))
        check_in_scope(actor, exemption.org, CONFIGURE, ORG_SCOPE)
    audit.record(
        actor=actor,
        action="orglife.exemption_remove",
        obj=exemption,
        org=exemption.org,
        details={"kind": exemption.kind, "start": str(exemption.start), "end": str(exemption.end)},
    )
    exemption.delete()


# --- the monthly guide ----------------------------------------------------------------------------------------------

GUIDE_LIMITS = {"title": 120, "summary": 5000, "materials": 5000}
TOPICS_PER_KIND = 10
# Reminders go out this many days before the deadline (one each), to the branches still short of the month's
# meetings; the day after the deadline their committee gets the list.
REMIND_BEFORE_DAYS = (3, 1)


def _check_configure(actor) -> None:
    if actor is not None and not actor.has_role_perm(CONFIGURE):
        raise DomainError(_("只有党工委组织部可以编写和发布组织生活指南。"))


def _guide_topics(topics) -> list[tuple[str, str]]:
    """(kind, title) from {kind: [titles]} or {kind: "one per line"}; blank lines dropped."""
    out = []
    for kind, titles in (topics or {}).items():
        kind = _check_kind(kind)
        if isinstance(titles, str):
            titles = titles.splitlines()
        titles = [str(t).strip() for t in titles if str(t).strip()]
        if len(titles) > TOPICS_PER_KIND:
            raise DomainError(_("每类会议最多 %(n)d 个建议议题。") % {"n": TOPICS_PER_KIND}, field=f"topics_{kind}")
        for title in titles:
            out.append((kind, _text(title, field=f"topics_{kind}", label=_("建议议题"), limit=120)))
    return out


def _check_deadline(month: date, deadline) -> date:
    if not isinstance(deadline, date):
        raise DomainError(_("请填写报送截止日期。"), field="deadline")
    if not month <= deadline < add_months(month, 2):
        raise DomainError(
            _("报送截止日期应在 %(a)s 至 %(b)s 之间。") % {"a": month, "b": add_months(month, 2) - timedelta(days=1)},
            field="deadline",
        )
    return deadline


@transaction.atomic
def guide_save(
    *,
    actor,
    month,
    title: str,
    deadline,
    summary: str = "",
    materials: str = "",
    topics: dict | None = None,
    guide: MonthlyGuide | None = None,
    version: int | None = None,
) -> MonthlyGuide:
    """Write (or correct) a month's guide: its title, the month's points, study materials (a line each, a link at
    the end of a line), suggested topics per kind of meeting and the report deadline. One guide per month."""
    _check_configure(actor)
    if guide is not None:
        guide = MonthlyGuide.objects.select_for_update().get(pk=guide.pk)
        if version is not None and version != guide.version:
            raise DomainError(_("该指南已被他人修改，请刷新后重试。"), field="version", code="stale")
    if not isinstance(month, date):
        month = parse_month(month, field="month", label=_("月份"))
    month = month_start(month)
    if not 2000 <= month.year <= timezone.localdate().year + 1:
        raise DomainError(_("请填写正确的月份。"), field="month")
    clash = MonthlyGuide.objects.filter(month=month).exclude(pk=guide.pk if guide else None)
    if clash.exists():
        raise DomainError(_("%(m)s 已有组织生活指南，请修改原指南。") % {"m": f"{month:%Y-%m}"}, field="month")
    values = {
        "title": _text(title, field="title", label=_("标题"), required=True, limit=GUIDE_LIMITS["title"]),
        "summary": _text(summary, field="summary", label=_("本月要点"), limit=GUIDE_LIMITS["summary"]),
        "materials": _text(materials, field="materials", label=_("学习材料"), limit=GUIDE_LIMITS["materials"]),
        "deadline": _check_deadline(month, deadline),
        "month": month,
    }
    rows = _guide_topics(topics)
    creating = guide is None
    if creating:
        guide = MonthlyGuide(created_by=actor if getattr(actor, "is_authenticated", False) else None)
    for name, value in values.items():
        setattr(guide, name, value)
    if not creating:
        guide.version += 1
    guide.save()
    if topics is not None:
        guide.topics.all().delete()
        GuideTopic.objects.bulk_create(
            [GuideTopic(guide=guide, kind=k, title=t, order=i) for i, (k, t) in enumerate(rows)]
        )
    audit.record(
        actor=actor,
        action="orglife.guide_save",
        obj=guide,
        details={"month": f"{month:%Y-%m}", "deadline": str(guide.deadline), "topics": len(rows), "new": creating},
    )
    return guide


@transaction.atomic
def guide_publish(*, actor, guide: MonthlyGuide, version: int | None = None) -> MonthlyGuide:
    """Publish a guide: every branch sees it, and their secretaries are told (one notice each)."""
    _check_configure(actor)
    guide = MonthlyGuide.objects.select_for_update().get(pk=guide.pk)
    if version is not None and version != guide.version:
        raise DomainError(_("该指南已被他人修改，请刷新后重试。"), field="version", code="stale")
    if guide.published_at is not None:
        raise DomainError(_("该指南已发布。"), field="status")
    if not guide.topics.exists():
        raise DomainError(_("请至少填写一个建议议题，再发布。"), field="topics")
    guide.published_at = timezone.now()
    guide.version += 1
    guide.save(update_fields=["published_at", "version", "updated_at"])
    note = text("orglife.guide_published", m=f"{guide.month:%Y-%m}", d=str(guide.deadline))
    url = reverse("orglife:guide", args=[guide.pk])
    secretaries = RoleAssignment.objects.filter(role=Role.BRANCH_SECRETARY, org__isnull=False)
    notify_many([(uid, note, "", url) for uid in sorted(set(secretaries.values_list("user_id", flat=True)))])
    audit.record(actor=actor, action="orglife.guide_publish", obj=guide, details={"month": f"{guide.month:%Y-%m}"})
    return guide


def _committee_recipients(branches: list[Organization]) -> dict[int, list[Organization]]:
    """user id -> the branches to list for it: each branch goes to the admins of its nearest committee above that
    has any (the zone's admins when none has)."""
    admins = defaultdict(set)
    for path, user_id in RoleAssignment.objects.filter(role=Role.COMMITTEE_ADMIN, org__isnull=False).values_list(
        "org__path", "user_id"
    ):
        admins[path].add(user_id)
    zone = set(RoleAssignment.objects.filter(role=Role.ZONE_ADMIN).values_list("user_id", flat=True))
    out = defaultdict(list)
    step = Organization.steplen
    for branch in branches:
        found = zone
        for end in range(len(branch.path) - step, 0, -step):
            if admins.get(branch.path[:end]):
                found = admins[branch.path[:end]]
                break
        for user_id in found:
            out[user_id].append(branch)
    return out


@transaction.atomic
def guide_sweep(*, today: date | None = None) -> dict:
    """The daily job: remind the secretaries of branches still short of the published guide's month before its
    deadline (REMIND_BEFORE_DAYS), and the day after the deadline tell each committee which of its branches did
    not report. Each reminder and the notice go out once (counted on the guide); one notice per person."""
    today = today or timezone.localdate()
    result = {"reminded": 0, "noticed": 0, "guides": 0}
    guides = MonthlyGuide.objects.select_for_update().filter(
        published_at__isnull=False, deadline__gte=today - timedelta(days=31), overdue_noticed_at__isnull=True
    )
    for guide in guides:
        due_level = sum(1 for d in REMIND_BEFORE_DAYS if today >= guide.deadline - timedelta(days=d))
        remind = today <= guide.deadline and due_level > guide.reminders_sent
        notice = today > guide.deadline
        if not (remind or notice):
            continue
        result["guides"] += 1
        outstanding = guide_outstanding(guide)
        url = reverse("orglife:guide", args=[guide.pk])
        month = f"{guide.month:%Y-%m}"
        if remind:
            short = {o.branch.pk: len(o.kinds) for o in outstanding}
            rows = RoleAssignment.objects.filter(role=Role.BRANCH_SECRETARY, org_id__in=list(short))
            notes = [
                (uid, text("orglife.guide_reminder", m=month, n=short[org_id], d=str(guide.deadline)), "", url)
                for uid, org_id in sorted(set(rows.values_list("user_id", "org_id")))
            ]
            notify_many(notes)
            guide.reminders_sent = due_level
            result["reminded"] += len(notes)
        if notice:
            by_user = _committee_recipients([o.branch for o in outstanding])
            notes = []
            for uid, branches in sorted(by_user.items()):
                names = "、".join(b.name for b in branches[:30]) + ("……" if len(branches) > 30 else "")
                note = text("orglife.guide_overdue", n=len(branches), m=month, d=str(guide.deadline), names=names)
                notes.append((uid, note, "", f"{url}#outstanding"))
            notify_many(notes)
            guide.overdue_noticed_at = timezone.now()
            result["noticed"] += len(notes)
        guide.save(update_fields=["reminders_sent", "overdue_noticed_at"])
    audit.record(
        actor=None, action="orglife.guide_sweep", details={"day": today.isoformat(), **result}, actor_name="system"
    )
    return result
