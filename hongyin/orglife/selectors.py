"""Reads of organizational life: the roster on a day, the meeting list, the compliance report and the members'
standing under art. 9 of the Party Constitution. Always scoped through permissions.py."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import CharField, Count, F, Max, Min, Prefetch, Q, QuerySet
from django.db.models.functions import Cast, Substr

from hongyin.common.permissions import ScopeFields, scope_q, scope_queryset
from hongyin.common.roles import roles_with
from hongyin.dues.models import DuesRecord
from hongyin.members.choices import MemberStatus
from hongyin.members.models import Member, MemberEventKind, MemberHistory
from hongyin.members.permissions import members_visible_to
from hongyin.orgs.models import BRANCH_KINDS, Organization

from .models import (
    ABSENT_STATES,
    COUNTED_STATUSES,
    Attendance,
    AttendanceState,
    Exemption,
    GuideTopic,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MonthlyGuide,
    RequiredFrequency,
)
from .periods import PeriodSpan, add_months, month_index, month_start, periods
from .permissions import APPROVE, CONFIGURE, MANAGE, MEETING_SCOPE, VIEW, compliance_orgs, meetings_visible_to

# --- the roster on a day ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterEntry:
    member: Member
    voting: bool  # a full member on that day; a probationary member attends but does not vote


def _org_on(member: Member, day: date) -> int:
    """The organization the member belonged to on `day`: the source of its first move after that day, or the
    organization it is in now."""
    for move in member.moves_after:  # ordered by date
        if move.on > day:
            return move.from_org_id
    return member.org_id


def _voting_on(member: Member, day: date) -> bool:
    if member.status != MemberStatus.FULL:
        return False
    return member.full_member_on is None or member.full_member_on <= day


def _candidates(org: Organization, first: date, last: date) -> list[Member]:
    """Everyone who may have belonged to `org` on some day first..last: its members now, and those who moved into
    or out of it, with their moves after `first` (oldest first)."""
    moved = MemberHistory.objects.filter(kind=MemberEventKind.MOVED)
    return list(
        Member.objects.filter(
            Q(org=org) | Q(pk__in=moved.filter(Q(from_org=org) | Q(to_org=org)).values("member_id")),
            joined_on__lte=last,
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=first))
        .prefetch_related(
            Prefetch("history", queryset=moved.filter(on__gt=first).order_by("on", "id"), to_attr="moves_after")
        )
        .order_by("name_pinyin", "pk")
    )


def _on_roster(member: Member, org: Organization, day: date) -> bool:
    if member.joined_on > day or (member.left_on and member.left_on <= day):
        return False
    if member.registered_on and member.registered_on > day:
        return False
    return _org_on(member, day) == org.pk


def roster_at(org: Organization, day: date) -> list[RosterEntry]:
    """The members of `org` on `day`: those who had joined (and, if received from outside, registered) by then,
    had not left, and whose moves put them in `org` that day; transfers in and out after `day` are undone.
    Two queries, whatever the roster's size."""
    return [RosterEntry(m, _voting_on(m, day)) for m in _candidates(org, day, day) if _on_roster(m, org, day)]


class RosterCache:
    """Rosters of many days of the same organizations (a year of meetings recorded at once): the candidates are
    read once per organization, from the earliest day asked (call `prepare` first), then filtered per day."""

    def __init__(self):
        self._first: dict[int, date] = {}
        self._found: dict[int, list[Member]] = {}

    def prepare(self, org: Organization, first: date) -> None:
        if org.pk not in self._first or first < self._first[org.pk]:
            self._first[org.pk] = first
            self._found.pop(org.pk, None)

    def on(self, org: Organization, day: date) -> list[RosterEntry]:
        self.prepare(org, day)
        if org.pk not in self._found:
            self._found[org.pk] = _candidates(org, self._first[org.pk], date.max)
        return [RosterEntry(m, _voting_on(m, day)) for m in self._found[org.pk] if _on_roster(m, org, day)]


# --- meetings -----------------------------------------------------------------------------------------------------


@dataclass
class MeetingFilter:
    kind: str = ""
    status: str = ""
    start: date | None = None  # first day of a month
    end: date | None = None  # first day of a month, inclusive
    org: Organization | None = None
    below_quorum: bool = False


def meeting_list(*, user, filters: MeetingFilter | None = None) -> QuerySet[Meeting]:
    f = filters or MeetingFilter()
    qs = meetings_visible_to(user)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.org is not None:
        qs = qs.filter(org__path__startswith=f.org.path)
    if f.start:
        qs = qs.filter(Q(held_on__gte=f.start) | Q(held_on__isnull=True, planned_on__gte=f.start))
    if f.end:
        last = add_months(f.end, 1)
        qs = qs.filter(Q(held_on__lt=last) | Q(held_on__isnull=True, planned_on__lt=last))
    if f.below_quorum:
        qs = qs.filter(below_quorum=True)
    return qs.select_related("org")


def awaiting_approval(*, user) -> QuerySet[Meeting]:
    """Submitted records the user approves: of organizations strictly below one of its scopes (the committee above
    approves, never the branch its own record); permissions.can_approve says the same of one record."""
    roots = [a.org_id for a in user.assignments if a.role in roles_with(APPROVE) and a.org_id]
    qs = scope_queryset(user, Meeting.objects.filter(status=MeetingStatus.SUBMITTED), APPROVE, MEETING_SCOPE)
    return qs.exclude(org_id__in=roots).select_related("org")


def attendance_of(meeting: Meeting) -> QuerySet[Attendance]:
    return meeting.attendance.select_related("member").order_by("member__name_pinyin", "member_id")


def absent_three_times(*, user, since: date) -> QuerySet[Member]:
    """Members of the user's branches absent (any reason but floating) from three or more reported meetings since
    `since` (the secretary's to-do)."""
    return (
        members_visible_to(user, MANAGE)
        .filter(left_on__isnull=True)
        .annotate(
            absences=Count(
                "meeting_attendance",
                filter=Q(
                    meeting_attendance__state__in=ABSENT_STATES - {AttendanceState.FLOATING},
                    meeting_attendance__held_on__gte=since,
                    meeting_attendance__meeting__status__in=COUNTED_STATUSES,
                ),
            )
        )
        .filter(absences__gte=3)
        .select_related("org")
        .order_by("-absences", "name_pinyin")
    )


# --- compliance ---------------------------------------------------------------------------------------------------


@dataclass
class KindCell:
    kind: str
    required: int = 0  # meetings due in the periods that have ended
    held: int = 0  # of those, held (at most the required number per period: a surplus does not cover a gap)
    missing: list[PeriodSpan] = field(default_factory=list)  # ended periods short of the requirement
    exempt: list[PeriodSpan] = field(default_factory=list)
    in_progress: bool = False  # the current period is not over and not yet met

    @property
    def behind(self) -> bool:
        return bool(self.missing)

    @property
    def kind_label(self) -> str:
        return MeetingKind(self.kind).label


@dataclass
class BranchRow:
    branch: Organization
    cells: dict[str, KindCell]

    @property
    def missing_total(self) -> int:
        return sum(len(c.missing) for c in self.cells.values())

    @property
    def behind(self) -> bool:
        return self.missing_total > 0

    @property
    def cell_list(self) -> list[KindCell]:
        return list(self.cells.values())


@dataclass
class ComplianceReport:
    org: Organization
    start: date
    end: date
    today: date
    rules: list[RequiredFrequency]
    rows: list[BranchRow]

    @property
    def red_list(self) -> list[BranchRow]:
        return sorted((r for r in self.rows if r.behind), key=lambda r: (-r.missing_total, r.branch.path))

    @property
    def branches_behind(self) -> int:
        return sum(1 for r in self.rows if r.behind)

    @property
    def missing_total(self) -> int:
        return sum(r.missing_total for r in self.rows)

    def totals(self) -> list[dict]:
        out = []
        for rule in self.rules:
            cells = [r.cells[rule.kind] for r in self.rows]
            required = sum(c.required for c in cells)
            held = sum(c.held for c in cells)
            out.append(
                {
                    "kind": rule.kind,
                    "label": rule.get_kind_display(),
                    "required": required,
                    "held": held,
                    "missing": sum(len(c.missing) for c in cells),
                    "branches_behind": sum(1 for c in cells if c.behind),
                    "rate": round(held * 100 / required, 1) if required else None,
                }
            )
        return out


def default_range(today: date) -> tuple[date, date]:
    """This year up to the current month."""
    return date(today.year, 1, 1), month_start(today)


def default_org(user) -> Organization | None:
    """The highest organization of the user's compliance scope."""
    return compliance_orgs(user).order_by("depth", "path").first()


def _existed(branch: Organization, span: PeriodSpan) -> bool:
    if branch.founded_on and branch.founded_on > span.end:
        return False
    return not (branch.dissolved_on and branch.dissolved_on < span.start)


def compliance(*, user, org: Organization, start: date, end: date, today: date) -> ComplianceReport:
    """Per branch of `org`'s subtree (within the user's scope) and per required kind: meetings required and held
    in the months start..end, and the periods missed. Held means reported: submitted or approved (a returned or
    draft record does not count until it is submitted again). A period counts once it has ended; an exemption
    excuses a period it covers whole. `user` None: every branch (the reminder job). Five queries, whatever the
    size of the subtree."""
    start, end = month_start(start), month_start(end)
    last_day = add_months(end, 1)
    visible = compliance_orgs(user) if user is not None else Organization.objects.all()  # None: the system's jobs
    branches = list(
        visible.filter(path__startswith=org.path, kind__in=BRANCH_KINDS)
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lt=last_day))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=start))
        .order_by("path")
    )
    rules = list(RequiredFrequency.objects.filter(active=True).order_by("kind"))
    kinds = [r.kind for r in rules]
    held: dict[tuple[int, str], dict[int, int]] = {}  # (branch, kind) -> month index -> reported meetings
    counts = (
        Meeting.objects.filter(
            org__path__startswith=org.path,
            org__kind__in=BRANCH_KINDS,
            status__in=COUNTED_STATUSES,
            kind__in=kinds,
            held_on__gte=start,
            held_on__lt=last_day,
        )
        # "YYYY-MM" of the day as text: native on SQLite and PostgreSQL (TruncMonth calls Python per row on SQLite)
        .annotate(month=Substr(Cast("held_on", CharField()), 1, 7))
        .values_list("org_id", "kind", "month")
        .annotate(n=Count("id"))
    )
    for org_id, kind, month, n in counts:
        held.setdefault((org_id, kind), {})[int(month[:4]) * 12 + int(month[5:7]) - 1] = n
    exemptions = defaultdict(list)
    for ex in Exemption.objects.filter(org__path__startswith=org.path, start__lte=end, end__gte=start):
        exemptions[(ex.org_id, ex.kind)].append(ex)
    # per rule, its periods with the months counted in each (within start..end) and whether it has ended
    spans = {
        r.kind: [
            (
                span,
                range(month_index(max(span.start, start)), month_index(min(span.end, end)) + 1),
                span.ended(today),
                month_start(span.end),
            )
            for span in periods(r.period, start, end)
        ]
        for r in rules
    }
    rows = []
    nothing: dict[int, int] = {}
    for branch in branches:
        cells = {}
        always = not branch.founded_on and not branch.dissolved_on
        for rule in rules:
            cell = KindCell(rule.kind)
            by_month = held.get((branch.pk, rule.kind), nothing)
            excused = exemptions.get((branch.pk, rule.kind))
            times = rule.times
            for span, months, ended, last_month in spans[rule.kind]:
                if not always and not _existed(branch, span):
                    continue
                if excused and any(ex.start <= span.start and last_month <= ex.end for ex in excused):
                    cell.exempt.append(span)
                    continue
                n = sum(by_month.get(i, 0) for i in months) if by_month else 0
                if ended:
                    cell.required += times
                    cell.held += min(n, times)
                    if n < times:
                        cell.missing.append(span)
                elif n < times:
                    cell.in_progress = True
            cells[rule.kind] = cell
        rows.append(BranchRow(branch, cells))
    return ComplianceReport(org=org, start=start, end=end, today=today, rules=rules, rows=rows)


# --- art. 9 standing ----------------------------------------------------------------------------------------------

ALERT_MONTHS = 3
FLAG_MONTHS = 6


@dataclass(frozen=True)
class Standing:
    """A member's standing under art. 9 of the Party Constitution: six consecutive months without organizational
    life, or without paying dues, without good reason. Raised at three months (alert), flagged at six."""

    member_id: int
    last_attended: date | None
    months_without_life: int
    paid_until: date | None  # the last month paid in full
    months_unpaid: int | None  # None: no dues records for this member yet

    @property
    def months(self) -> int:
        return max(self.months_without_life, self.months_unpaid or 0)

    @property
    def level(self) -> str:
        if self.months >= FLAG_MONTHS:
            return "flag"
        return "alert" if self.months >= ALERT_MONTHS else "ok"


def _full_months_since(day: date, today: date) -> int:
    """Whole calendar months after `day`'s month and before today's month."""
    return max(0, month_index(today) - month_index(day) - 1)


def _standings(members: list[dict], today: date) -> dict[int, Standing]:
    ids = [m["id"] for m in members]
    attended = dict(
        Attendance.objects.filter(
            member_id__in=ids, state=AttendanceState.PRESENT, meeting__status__in=COUNTED_STATUSES
        )
        .values_list("member_id")
        .annotate(last=Max("held_on"))
    )
    dues = {
        row["member_id"]: row
        for row in DuesRecord.objects.filter(member_id__in=ids, month__lt=month_start(today))
        .values("member_id")
        .annotate(paid=Max("month", filter=Q(paid__gte=F("due"))), first=Min("month"))
    }
    # Months without organizational life count from the member's joining (or registering here), but not from
    # before the branch's records begin: a member of ten years is not "120 months without" a system one year old.
    records_from = dict(
        Meeting.objects.filter(org_id__in={m["org_id"] for m in members}, status__in=COUNTED_STATUSES)
        .values_list("org_id")
        .annotate(first=Min("held_on"))
    )
    out = {}
    for m in members:
        since = max(d for d in (m["joined_on"], m["registered_on"], records_from.get(m["org_id"])) if d)
        last = attended.get(m["id"])
        d = dues.get(m["id"])
        if d is None:
            unpaid = None
        elif d["paid"] is None:
            unpaid = month_index(today) - month_index(d["first"])  # every month since the first one due
        else:
            unpaid = _full_months_since(d["paid"], today)
        out[m["id"]] = Standing(
            member_id=m["id"],
            last_attended=last,
            months_without_life=_full_months_since(last or since, today),
            paid_until=d["paid"] if d else None,
            months_unpaid=unpaid,
        )
    return out


STANDING_FIELDS = ("id", "joined_on", "registered_on", "org_id")


def member_standing(member: Member, today: date) -> Standing:
    """One member's standing (the member page, the API)."""
    row = {f: getattr(member, f if f != "id" else "pk") for f in STANDING_FIELDS}
    return _standings([row], today)[member.pk]


def standing_list(*, user, today: date, level: str = "", org: Organization | None = None) -> list[tuple]:
    """(member, standing) of the members the user manages, at alert or flag (`level` narrows to one), the
    longest first. Four queries, whatever the number of members."""
    qs = members_visible_to(user, MANAGE).filter(left_on__isnull=True)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    members = list(qs.select_related("org").only("id", "name", "joined_on", "registered_on", "org__name", "status"))
    rows = [{f: getattr(m, f) for f in STANDING_FIELDS} for m in members]
    standings = _standings(rows, today)
    wanted = {level} if level in ("alert", "flag") else {"alert", "flag"}
    out = [(m, standings[m.pk]) for m in members if standings[m.pk].level in wanted]
    return sorted(out, key=lambda p: (-p[1].months, p[0].name))


# --- the secretary's period: meetings due and overdue, from the compliance report ----------------------------------


@dataclass(frozen=True)
class DueItem:
    branch: Organization
    kind: str
    kind_label: str
    span: PeriodSpan | None  # the missed period (overdue); None: the current one, not yet held (due)


def due_and_overdue(report: ComplianceReport) -> tuple[list[DueItem], list[DueItem]]:
    """(due, overdue) of a compliance report: the kinds whose current period is not yet met, and every ended
    period missed (the latest first). The workbench reads these, so its figures are the compliance page's."""
    due, overdue = [], []
    for row in report.rows:
        for cell in row.cell_list:
            if cell.in_progress:
                due.append(DueItem(row.branch, cell.kind, cell.kind_label, None))
            for span in cell.missing:
                overdue.append(DueItem(row.branch, cell.kind, cell.kind_label, span))
    overdue.sort(key=lambda d: (-d.span.end.toordinal(), d.branch.path, d.kind))
    return due, overdue


# --- compliance by committee (the zone's figures) ---------------------------------------------------------------


@dataclass
class CommitteeFigures:
    org: Organization
    branches: int = 0
    behind: int = 0
    required: int = 0
    held: int = 0

    @property
    def rate(self) -> float | None:
        return round(self.held * 100 / self.required, 1) if self.required else None


def compliance_by_committee(report: ComplianceReport) -> list[CommitteeFigures]:
    """The report's branches summed under each organization one level below the report's (the committees of the
    zone); branches directly under the report's organization count under it. One query for the committees."""
    steplen = Organization.steplen
    child_len = len(report.org.path) + steplen
    paths = {r.branch.path[:child_len] for r in report.rows if len(r.branch.path) > child_len}
    heads = {o.path: o for o in Organization.objects.filter(path__in=paths)}
    out: dict[str, CommitteeFigures] = {}
    for row in report.rows:
        head = heads.get(row.branch.path[:child_len], report.org)
        fig = out.setdefault(head.path, CommitteeFigures(head))
        fig.branches += 1
        fig.behind += row.behind
        fig.required += sum(c.required for c in row.cell_list)
        fig.held += sum(c.held for c in row.cell_list)
    return sorted(out.values(), key=lambda f: (f.rate if f.rate is not None else 101, f.org.path))


# --- members absent from their last meetings ----------------------------------------------------------------------

IN_A_ROW = 3


@dataclass
class AbsentRun:
    member: Member
    meetings: list[dict]  # the last IN_A_ROW reported meetings, the latest first: held_on, kind, title, state


def absent_in_a_row(*, user, since: date, n: int = IN_A_ROW, org: Organization | None = None) -> list[AbsentRun]:
    """Members of the user's branches who missed each of their last `n` reported meetings since `since` (on leave,
    sick, away on business or absent; a floating member's meetings are held elsewhere and are not counted): `n` or
    more absences after the last meeting they attended. Four queries, whatever the number of members: the absences
    of the scope's meetings (few: most members come), then the last attendance of the members with `n` of them."""
    scope = scope_q(user, MANAGE, ScopeFields(org="meeting__org"))
    if scope is None:
        return []
    counted = Attendance.objects.filter(scope, meeting__status__in=COUNTED_STATUSES, held_on__gte=since)
    if org is not None:
        counted = counted.filter(meeting__org__path__startswith=org.path)
    missed = defaultdict(list)
    for member_id, state, held_on, meeting_id, kind, title in counted.filter(
        state__in=[s for s in AttendanceState.values if s not in (AttendanceState.PRESENT, AttendanceState.FLOATING)]
    ).values_list("member_id", "state", "held_on", "meeting_id", "meeting__kind", "meeting__title"):
        missed[member_id].append(
            {"state": state, "held_on": held_on, "meeting_id": meeting_id, "kind": kind, "title": title}
        )
    candidates = [pk for pk, rows in missed.items() if len(rows) >= n]
    if not candidates:
        return []
    last_present = dict(
        Attendance.objects.filter(member_id__in=candidates, state=AttendanceState.PRESENT, held_on__gte=since)
        # "not a draft" rather than "reported": SQLite then walks the (member, state, held_on) index, not the meetings
        .exclude(meeting__status__in=set(MeetingStatus) - COUNTED_STATUSES)
        .values_list("member_id")
        .annotate(last=Max("held_on"))
    )
    runs = {}
    for pk in candidates:
        after = last_present.get(pk)
        rows = sorted(
            (r for r in missed[pk] if after is None or r["held_on"] > after),
            key=lambda r: (r["held_on"], r["meeting_id"]),
            reverse=True,
        )
        if len(rows) >= n:
            runs[pk] = rows[:n]
    members = members_visible_to(user, MANAGE).filter(pk__in=list(runs), left_on__isnull=True)
    out = []
    for m in members.select_related("org").order_by("org__path", "name_pinyin", "pk"):
        for r in runs[m.pk]:
            r["state_label"] = AttendanceState(r["state"]).label
            r["kind_label"] = MeetingKind(r["kind"]).label
        out.append(AbsentRun(m, runs[m.pk]))
    return out


# --- the monthly guide --------------------------------------------------------------------------------------------


def guides_visible_to(user) -> QuerySet[MonthlyGuide]:
    """Published guides for whoever sees meetings; drafts too for the zone that writes them."""
    if user.has_role_perm(CONFIGURE):
        return MonthlyGuide.objects.all()
    if user.has_role_perm(VIEW):
        return MonthlyGuide.objects.filter(published_at__isnull=False)
    return MonthlyGuide.objects.none()


def current_guide(today: date) -> MonthlyGuide | None:
    """The guide branches work from: this month's once published, else the latest published before it."""
    return (
        MonthlyGuide.objects.filter(published_at__isnull=False, month__lte=month_start(today))
        .order_by("-month")
        .prefetch_related("topics")
        .first()
    )


def guide_topics(guide: MonthlyGuide) -> list[tuple[str, str, list[GuideTopic]]]:
    """(kind, label, topics) in the order of the kinds, only the kinds with topics."""
    by_kind = defaultdict(list)
    for t in guide.topics.all():
        by_kind[t.kind].append(t)
    return [(k, label, by_kind[k]) for k, label in MeetingKind.choices if by_kind.get(k)]


def guide_materials(guide: MonthlyGuide) -> list[tuple[str, str]]:
    """(text, link) per line of the materials; the link is the line's last http(s) address, if any."""
    out = []
    for line in guide.materials.splitlines():
        line = line.strip()
        if not line:
            continue
        words = line.split()
        link = words[-1] if words[-1].startswith(("http://", "https://")) else ""
        label = line[: len(line) - len(link)].strip() if link else line
        out.append((label or link, link))
    return out


@dataclass(frozen=True)
class Outstanding:
    branch: Organization
    kinds: list[KindCell]  # the kinds whose period ending with the guide's month is not met (yet)


def guide_outstanding(guide: MonthlyGuide, *, user=None, org: Organization | None = None) -> list[Outstanding]:
    """Branches (of the user's scope; every branch for the reminder job) that have not reported the meetings due
    in the guide's month: each required period that ends with the month (the month, its quarter, its year) short
    of its number, unless exempt. The compliance report of the months since January, as of the month's end."""
    month = guide.month
    last_day = add_months(month, 1) - timedelta(days=1)
    if org is None:
        org = default_org(user) if user is not None else Organization.objects.filter(depth=1).order_by("path").first()
    if org is None:
        return []
    report = compliance(user=user, org=org, start=date(month.year, 1, 1), end=month, today=last_day + timedelta(days=1))
    out = []
    for row in report.rows:
        kinds = [c for c in row.cell_list if any(s.end == last_day for s in c.missing)]
        if kinds:
            out.append(Outstanding(row.branch, kinds))
    return out
