import random

import pytest
from django.db.models import Count

from hongyin.development.models import DevelopmentCase
from hongyin.devtools.seed_development import seed_development
from hongyin.devtools.seed_dues import seed_dues
from hongyin.devtools.seed_transfers import seed_transfers
from hongyin.dues.models import DuesRecord, DuesStanding
from hongyin.transfers.models import Transfer

pytestmark = pytest.mark.django_db


def test_seed_has_every_stage_states_and_twelve_months(demo):
    stages = set(DevelopmentCase.objects.values_list("stage", flat=True))
    assert {"applicant", "activist", "candidate", "probationary", "full"} <= stages
    assert DevelopmentCase.objects.filter(member__isnull=False, stage="probationary").exists()
    states = set(Transfer.objects.values_list("status", flat=True))
    assert {"requested", "approved", "returned", "accepted", "issued", "completed"} <= states
    months = DuesRecord.objects.values("month").annotate(n=Count("pk"))
    assert len(months) == 13  # twelve closed months and the current one
    assert DuesStanding.objects.filter(arrears_months__gte=6).exists()
    assert DuesStanding.objects.filter(arrears_months__gte=3, arrears_months__lt=6).exists()


def test_seeds_are_idempotent(demo):
    counts = (DevelopmentCase.objects.count(), Transfer.objects.count(), DuesRecord.objects.count())
    for seed in (seed_development, seed_transfers, seed_dues):
        seed(demo, "demo", random.Random(1))
    assert (DevelopmentCase.objects.count(), Transfer.objects.count(), DuesRecord.objects.count()) == counts
