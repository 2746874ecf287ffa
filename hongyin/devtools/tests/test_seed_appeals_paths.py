"""The demo's appeals are made by the appeal services (move by move, by the accounts whose move it is); the bench
scales insert the same plan in bulk. On a sample of the demo contact's enterprise (so every rating can be given),
both write the same appeals and the same timeline, and the services' audit events are there."""

import random

import pytest
from django.utils import timezone

from hongyin.accounts.models import RoleAssignment
from hongyin.appeals.models import Appeal, AppealEvent
from hongyin.audit.models import AuditEvent
from hongyin.common.calendar import get_calendar
from hongyin.devtools import seed_appeals
from hongyin.roadshows.models import ServiceRequest

pytestmark = pytest.mark.django_db

FIELDS = (
    "enterprise_id", "category_id", "source", "title", "status", "department_id", "handler_id",
    "submitted_on", "dispatched_on", "accepted_on", "replied_on", "answered_on", "closed_on", "followed_up_on",
    "accept_due", "reply_due", "resolve_due", "due_on", "due_kind", "accepted_in_time", "closed_in_time",
    "resolved", "handling_days", "return_count", "extended", "reopen_count", "rating",
)  # fmt: skip


def _plan(enterprise_id):
    categories = seed_appeals.ensure_reference()
    today = timezone.localdate()
    return seed_appeals.appeal_plan(categories, [enterprise_id], 60, random.Random(11), today, get_calendar())


def _rows():
    """The appeals (numbers aside: the day's counter does not restart when rows are deleted) and each one's
    timeline, kinds and days in order."""
    appeals = list(Appeal.objects.order_by("submitted_on", "pk").values_list(*FIELDS))
    timeline = {}
    events = AppealEvent.objects.exclude(kind="extension_request")  # the services ask before they approve
    for appeal_id, kind, at in events.order_by("pk").values_list("appeal_id", "kind", "at"):
        timeline.setdefault(appeal_id, []).append((kind, timezone.localtime(at).date()))
    order = Appeal.objects.order_by("submitted_on", "pk").values_list("pk", flat=True)
    return appeals, [timeline[pk] for pk in order]


def test_services_path_writes_what_the_bulk_path_writes():
    ServiceRequest.objects.all().delete()  # the one-stop service requests of the demo keep their appeals
    Appeal.objects.all().delete()  # the sample alone
    contact_enterprise = RoleAssignment.objects.get(user__username="enterprise_contact").enterprise_id
    plan = _plan(contact_enterprise)
    kinds = {kind for _a, events in plan for kind, *_rest in events}
    assert {"return", "extension_approve", "reply_final", "close", "rate", "reopen"} <= kinds  # the sample covers them
    audit_before = AuditEvent.objects.filter(action__startswith="appeal.").count()

    seed_appeals.appeals_write_through_services(plan)
    through_services = _rows()
    audit_rows = AuditEvent.objects.filter(action__startswith="appeal.").count() - audit_before
    moves = AppealEvent.objects.count()
    Appeal.objects.all().delete()

    seed_appeals.appeals_write_bulk(_plan(contact_enterprise))
    bulk = _rows()
    assert through_services[0] == bulk[0]
    assert through_services[1] == bulk[1]
    assert len(through_services[0]) == 60
    # every event the services wrote has its audit event (written in the same transaction by the engine)
    assert audit_rows == moves


def test_demo_appeals_carry_the_services_audit_events(demo):
    """The demo database itself: every appeal was submitted through the service (an audit event per appeal with its
    number) by a demo account, and its events lie in the past on the planned days."""
    numbers = set(Appeal.objects.values_list("number", flat=True))
    assert len(numbers) >= 100
    submitted = AuditEvent.objects.filter(action="appeal.submit").values_list("details", flat=True)
    assert numbers <= {d["number"] for d in submitted}
    assert not Appeal.objects.filter(submitted_by=None).exists()
    today = timezone.localdate()
    moved = AppealEvent.objects.exclude(kind__in=["overdue", "escalate", "urge"])
    assert all(timezone.localtime(at).date() <= today for at in moved.values_list("at", flat=True))
    assert moved.filter(at__date__lt=today).count() > moved.count() // 2
