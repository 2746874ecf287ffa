"""Reads on development cases: the list by stage with filters and the due lists of a secretary."""

from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import DevelopmentCase, StepRecord
from .permissions import cases_visible_to
from .services import add_months
from .steps import STEPS, Stage

SOON = timedelta(days=30)


def case_list(*, user, stage: str = "", q: str = "", org=None) -> QuerySet[DevelopmentCase]:
    qs = cases_visible_to(user).select_related("branch")
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    if org is not None:
        qs = qs.filter(branch__path__startswith=org.path)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(branch__name__contains=q))
    return qs.order_by("-applied_on", "-id")


def stage_counts(*, user) -> dict[str, int]:
    rows = cases_visible_to(user).values("stage").annotate(n=Count("pk")).order_by()
    return {r["stage"]: r["n"] for r in rows}


def reviews_due(*, user, today: date | None = None) -> QuerySet[DevelopmentCase]:
    """Activists whose six-monthly review falls due within 30 days (or is overdue)."""
    today = today or timezone.localdate()
    limit = add_months(today + SOON, -6)
    return (
        cases_visible_to(user)
        .filter(stage=Stage.ACTIVIST)
        .filter(Q(last_review_on__lte=limit) | Q(last_review_on__isnull=True, activist_on__lte=limit))
        .select_related("branch")
        .order_by("activist_on")
    )


def candidates_ready(*, user, today: date | None = None) -> QuerySet[DevelopmentCase]:
    """Activists of one year or more: ready to be considered as candidates."""
    today = today or timezone.localdate()
    return (
        cases_visible_to(user)
        .filter(stage=Stage.ACTIVIST, activist_on__lte=add_months(today, -12))
        .select_related("branch")
        .order_by("activist_on")
    )


def probations_ending(*, user, today: date | None = None) -> QuerySet[DevelopmentCase]:
    today = today or timezone.localdate()
    return (
        cases_visible_to(user)
        .filter(stage=Stage.PROBATIONARY, probation_ends_on__lte=today + SOON)
        .select_related("branch")
        .order_by("probation_ends_on")
    )


def timeline(case: DevelopmentCase) -> list[dict]:
    """The 25 steps with their records (several for repeatable steps), and whether each is done."""
    records = list(
        StepRecord.objects.filter(case=case).prefetch_related("people", "documents").order_by("done_on", "id")
    )
    by_step: dict[int, list[StepRecord]] = {}
    for r in records:
        by_step.setdefault(r.step, []).append(r)
    return [{"step": s, "records": by_step.get(s.number, []), "done": s.number in by_step} for s in STEPS]
