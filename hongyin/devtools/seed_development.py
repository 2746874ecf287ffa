"""Development cases in every stage (issue 3, §9), through the development services, dated relative to today so
the due lists (six-monthly reviews, candidates ready, probations ending) have entries. Idempotent."""

import random
from datetime import date, timedelta

from django.utils import timezone

from hongyin.common.errors import DomainError
from hongyin.development import services
from hongyin.development.models import DevelopmentCase
from hongyin.development.services import add_months, full_members_of
from hongyin.devtools.people import person
from hongyin.orgs.models import BRANCH_KINDS, Organization

CASES = {"demo": 24, "zone": 120, "province": 400}
# target stage -> share of cases
STAGES = [("applicant", 4), ("activist", 6), ("candidate", 4), ("probationary", 4), ("full", 2), ("closed", 1)]


def _plan(stage: str, today: date, rng: random.Random) -> tuple[date, list[int]]:
    """An application date and the steps to record for a case that should end in `stage`."""
    if stage == "applicant":
        return today - timedelta(days=rng.randrange(5, 60)), [2] if rng.random() < 0.6 else []
    if stage == "activist":
        return add_months(today, -rng.randrange(4, 22)), [2, 3, 4, 5, 6]
    if stage == "candidate":
        return add_months(today, -rng.randrange(18, 26)), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    if stage == "probationary":
        return add_months(today, -rng.randrange(26, 36)), list(range(2, 21))
    if stage == "full":
        return add_months(today, -rng.randrange(40, 48)), [*range(2, 21), 22, 23, 24, 25]
    return today - timedelta(days=rng.randrange(30, 200)), [2]


def _dates(applied: date, stage: str, today: date, rng: random.Random) -> dict[int, date]:
    """Rule-abiding dates for every step from the application date."""
    d = {2: applied + timedelta(days=rng.randrange(5, 25))}
    d[3] = d[2] + timedelta(days=rng.randrange(20, 60))
    d[4], d[5] = d[3] + timedelta(days=7), d[3] + timedelta(days=3)
    d[6] = min(add_months(d[3], 6), today)
    d[7] = add_months(d[3], 12) + timedelta(days=rng.randrange(1, 40))
    for n, gap in ((8, 5), (9, 7), (10, 20), (11, 30), (12, 45), (13, 55), (14, 60)):
        d[n] = d[7] + timedelta(days=gap)
    d[15] = d[14] + timedelta(days=10)
    d[16], d[17] = d[15] + timedelta(days=10), d[15] + timedelta(days=rng.randrange(20, 80))
    for n, gap in ((18, 5), (19, 7), (20, 10)):
        d[n] = d[17] + timedelta(days=gap)
    end = add_months(d[15], 12)
    d[22], d[23] = end - timedelta(days=10), end + timedelta(days=3)
    d[24], d[25] = end + timedelta(days=30), end + timedelta(days=40)
    return {k: min(v, today) for k, v in d.items()}


def seed_development(zone, scale: str, rng: random.Random) -> None:
    if DevelopmentCase.objects.exists():
        return
    today = timezone.localdate()
    branches = [
        b
        for b in Organization.objects.filter(kind__in=BRANCH_KINDS, path__startswith=zone.root.path).order_by("path")
        if full_members_of(b).count() >= 3
    ]
    if not branches:
        return
    secretary_branch = next((a.org for a in _secretary_assignments()), None)
    stages = [s for s, w in STAGES for _ in range(w)]
    for i in range(CASES.get(scale, 36)):
        branch = secretary_branch if i < 8 and secretary_branch in branches else branches[i % len(branches)]
        stage = stages[i % len(stages)]
        applied, steps = _plan(stage, today, rng)
        p = person(rng, born_from=date(1980, 1, 1), born_to=date(2002, 12, 31))
        try:
            case = services.development_case_create(
                actor=None,
                branch=branch,
                name=p["name"],
                id_number=p["id_number"],
                phone=p["phone"],
                applied_on=applied,
                employer_name=branch.name.removesuffix("党支部"),
                note="入党申请书",
            )
            dates = _dates(applied, stage, today, rng)
            full = list(full_members_of(branch).order_by("id")[:4])
            for step in steps:
                data, people = {}, []
                if step == 5:
                    people = full[:1]
                elif step == 9:
                    people = full[1:3]
                elif step == 10:
                    data = {"conclusion": "qualified"}
                elif step == 11:
                    data = {"training_days": 3, "training_hours": 24}
                elif step in (15, 23):
                    data = {"yes_votes": full_members_of(branch).count()}
                services.development_record_step(
                    actor=None, case=case, step=step, done_on=dates[step], data=data, people=people
                )
            if stage == "closed":
                services.development_case_close(actor=None, case=case, reason="本人申请撤回")
        except DomainError:
            continue  # a made-up identity that collides, or dates the rules refuse: skip this one


def _secretary_assignments():
    from hongyin.accounts.models import RoleAssignment

    return RoleAssignment.objects.filter(user__username="branch_secretary").select_related("org")
