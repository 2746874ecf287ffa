"""The bench scales keep bulk statements where the demo goes through the services: on a sample, both write the same
rows (the fields that matter, not ids or timestamps)."""

import random

import pytest
from django.utils import timezone

from hongyin.appeals.models import Visit
from hongyin.devtools import seed_appeals, seed_dues
from hongyin.dues.models import DuesProfile, DuesRecord
from hongyin.dues.rules import month_start

pytestmark = pytest.mark.django_db

VISIT_FIELDS = ("enterprise_id", "visited_on", "status", "visitor_id", "visitor_role", "people", "topics", "findings")


def _visits(since_pk: int) -> list[tuple]:
    return sorted(Visit.objects.filter(pk__gt=since_pk).values_list(*VISIT_FIELDS))


def test_visits_bulk_path_writes_what_the_service_writes():
    today = timezone.localdate()
    last = Visit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    plan = seed_appeals.visit_plan(24, random.Random(7), today)
    assert {row["visitor"].username for row in plan} >= {"instructor"}
    seed_appeals.visits_write_through_services(plan)
    through_services = _visits(last)
    Visit.objects.filter(pk__gt=last).delete()
    seed_appeals.visits_write_bulk(seed_appeals.visit_plan(24, random.Random(7), today))
    assert _visits(last) == through_services
    assert len(through_services) == 24


def test_dues_profiles_bulk_path_writes_what_the_service_writes():
    sample = list(DuesProfile.objects.order_by("member_id").values_list("member_id", flat=True)[:30])
    DuesProfile.objects.filter(member_id__in=sample).delete()
    fields = ("member_id", "base", "voluntary_extra", "farmer_amount")
    seed_dues.profiles_write_through_services(seed_dues.profile_plan(random.Random(3)))
    through_services = sorted(DuesProfile.objects.filter(member_id__in=sample).values_list(*fields))
    DuesProfile.objects.filter(member_id__in=sample).delete()
    seed_dues.profiles_write_bulk(seed_dues.profile_plan(random.Random(3)))
    assert sorted(DuesProfile.objects.filter(member_id__in=sample).values_list(*fields)) == through_services
    assert len(through_services) == 30


@pytest.mark.parametrize("i", [0, 6, 10])
def test_dues_payments_bulk_path_writes_what_the_service_writes(i, demo):
    month = month_start(timezone.localdate())  # the open month
    paid_on = timezone.localdate()
    records = DuesRecord.objects.filter(month=month)
    fields = ("member_id", "paid", "paid_on")

    def unpaid():
        records.update(paid=0, paid_on=None)

    unpaid()
    seed_dues.pay_through_services(demo.root, month, paid_on, lambda member_id: seed_dues.pays(i, member_id))
    through_services = sorted(records.values_list(*fields))
    unpaid()
    seed_dues.pay_bulk(month, paid_on, seed_dues.payers_sql(i))
    assert sorted(records.values_list(*fields)) == through_services
    paid = [row for row in through_services if row[2] is not None]
    assert 0 < len(paid) < len(through_services)  # some pay, some do not
