"""Reads of roadshows and one-stop services: the event list, the figures per event and per committee (one
definition, used by the figures page, the API and the workbench), the follow-ups due, the service requests with
their state read from their appeals, a package request's parts."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from hongyin.appeals.models import AppealStatus

from .models import (
    Event,
    EventStatus,
    Invitation,
    Outcome,
    OutcomeStage,
    PackageRequest,
    Presentation,
    Registration,
    ServiceRequest,
)
from .permissions import events_managed_by, events_visible_to, outcomes_visible_to, requests_visible_to

DUE_SOON_DAYS = 7  # the workbench shows the follow-ups due within a week, and those overdue


@dataclass
class EventFilter:
    kind: str = ""
    status: str = ""
    year: int | None = None


def event_list(*, user, filters: EventFilter | None = None) -> QuerySet[Event]:
    qs = events_visible_to(user)
    f = filters or EventFilter()
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.year:
        qs = qs.filter(held_on__year=f.year)
    return qs.select_related("chain").prefetch_related("organizers").order_by("-held_on", "-id")


@dataclass
class Figures:
    events: int = 0
    presentations: int = 0
    financing_sought: Decimal = Decimal("0")
    invitations: int = 0
    registrations: int = 0
    attended: int = 0
    intentions: int = 0
    agreements: int = 0
    landed: int = 0
    landed_amount: Decimal = Decimal("0")

    def add(self, other: "Figures") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


FIGURE_LABELS = [
    ("presentations", _("路演项目")),
    ("financing_sought", _("拟融资（万元）")),
    ("invitations", _("邀请机构")),
    ("registrations", _("报名")),
    ("attended", _("签到")),
    ("intentions", _("意向")),
    ("agreements", _("签约")),
    ("landed", _("落地项目")),
    ("landed_amount", _("落地金额（万元）")),
]


def figures_by_event(event_ids: list[int]) -> dict[int, Figures]:
    """The figures of each event, in five grouped queries whatever the number of events."""
    out = {pk: Figures(events=1) for pk in event_ids}
    for row in (
        Presentation.objects.filter(event_id__in=event_ids)
        .values("event_id")
        .annotate(n=Count("id"), s=Sum("financing_sought"))
    ):
        out[row["event_id"]].presentations = row["n"]
        out[row["event_id"]].financing_sought = row["s"] or Decimal("0")
    for row in Invitation.objects.filter(event_id__in=event_ids).values("event_id").annotate(n=Count("id")):
        out[row["event_id"]].invitations = row["n"]
    for row in (
        Registration.objects.filter(event_id__in=event_ids)
        .values("event_id")
        .annotate(n=Count("id"), a=Count("id", filter=Q(attended_at__isnull=False)))
    ):
        out[row["event_id"]].registrations = row["n"]
        out[row["event_id"]].attended = row["a"]
    for row in (
        Outcome.objects.filter(event_id__in=event_ids)
        .values("event_id", "stage")
        .annotate(n=Count("id"), s=Sum("amount"))
    ):
        f = out[row["event_id"]]
        if row["stage"] == OutcomeStage.INTENTION:
            f.intentions = row["n"]
        elif row["stage"] == OutcomeStage.AGREEMENT:
            f.agreements = row["n"]
        elif row["stage"] == OutcomeStage.LANDED:
            f.landed = row["n"]
            f.landed_amount = row["s"] or Decimal("0")
    return out


@dataclass
class CommitteeFigures:
    org: object
    figures: Figures = field(default_factory=Figures)


def figures_report(*, user, year: int | None = None) -> tuple[list[tuple[Event, Figures]], list[CommitteeFigures]]:
    """Per event (the user's visible events, held or planned) and per organizing committee (an event organized
    jointly counts for each of its organizers); cancelled events are left out."""
    events = list(event_list(user=user, filters=EventFilter(year=year)).exclude(status=EventStatus.CANCELLED))
    by_event = figures_by_event([e.pk for e in events])
    committees: dict[int, CommitteeFigures] = {}
    for e in events:
        for org in e.organizers.all():
            committees.setdefault(org.pk, CommitteeFigures(org=org)).figures.add(by_event[e.pk])
    rows = [(e, by_event[e.pk]) for e in events]
    return rows, sorted(committees.values(), key=lambda c: c.org.path)


def total(rows) -> Figures:
    t = Figures()
    for _e, f in rows:
        t.add(f)
    return t


def follow_ups_due(*, user, today: date, within: int = DUE_SOON_DAYS) -> QuerySet[Outcome]:
    """Open outcomes of the events the user manages whose next follow-up is due within `within` days (or overdue)."""
    return (
        Outcome.objects.filter(
            event__in=events_managed_by(user).values("pk"),
            stage__in=[OutcomeStage.INTENTION, OutcomeStage.AGREEMENT],
            follow_up_due__lte=today + timedelta(days=within),
        )
        .select_related("event", "enterprise")
        .order_by("follow_up_due", "id")
    )


def outcome_list(*, user, stage: str = "") -> QuerySet[Outcome]:
    qs = outcomes_visible_to(user)
    if stage:
        qs = qs.filter(stage=stage)
    return qs.select_related("event", "enterprise", "department", "institution").order_by("-occurred_on", "-id")


# --- service requests -------------------------------------------------------------------------------------------


DONE = AppealStatus.CLOSED


def request_list(*, user, state: str = "") -> QuerySet[ServiceRequest]:
    qs = requests_visible_to(user).select_related(
        "offering",
        "enterprise",
        "appeal",
        "appeal__department",
        "package_request__package",
        "package_request__enterprise",
    )
    if state == "open":
        qs = qs.exclude(appeal__status=DONE)
    elif state == "done":
        qs = qs.filter(appeal__status=DONE)
    return qs.order_by("-requested_on", "-id")


@dataclass
class PackageProgress:
    request: PackageRequest
    parts: list[ServiceRequest]

    @property
    def done(self) -> int:
        return sum(1 for p in self.parts if p.appeal.status == DONE)

    @property
    def is_done(self) -> bool:
        return bool(self.parts) and self.done == len(self.parts)


def package_progress(*, user, package_request: PackageRequest) -> PackageProgress:
    parts = list(
        requests_visible_to(user)
        .filter(package_request=package_request)
        .select_related("offering", "offering__institution", "appeal", "appeal__department")
        .order_by("id")
    )
    return PackageProgress(package_request, parts)


def package_requests_of(*, user) -> list[PackageProgress]:
    """The user's package requests with their parts (two queries)."""
    rows = list(request_list(user=user).filter(package_request__isnull=False))
    grouped: dict[int, list] = defaultdict(list)
    heads = {}
    for r in rows:
        grouped[r.package_request_id].append(r)
        heads[r.package_request_id] = r.package_request
    return [
        PackageProgress(heads[pk], sorted(parts, key=lambda r: r.pk))
        for pk, parts in sorted(grouped.items(), key=lambda kv: -kv[0])
    ]
