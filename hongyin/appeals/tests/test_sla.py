from datetime import date

import pytest

from hongyin.appeals import services as s
from hongyin.appeals.models import Appeal, AppealEvent
from hongyin.appeals.sla import sla_sweep
from hongyin.common.models import Notification

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_sweep_urges_notifies_escalates_once(new_appeal, users, django_capture_on_commit_callbacks):
    Appeal.objects.update(status="closed", due_on=None)  # only our appeal is open
    a = new_appeal()
    s.appeal_dispatch(actor=users["zone_admin"], appeal=a, today=TODAY)  # accept due Mon Nov 23
    with django_capture_on_commit_callbacks(execute=True):
        r = sla_sweep(today=date(2026, 11, 20))
    assert r["urged"] == 1 and r["overdue"] == 0
    assert Notification.objects.filter(user=users["dept_handler"], title__startswith="催办").exists()
    assert sla_sweep(today=date(2026, 11, 20))["urged"] == 0  # idempotent
    r = sla_sweep(today=date(2026, 11, 24))
    assert r["overdue"] == 1 and r["escalated"] == 0
    assert sla_sweep(today=date(2026, 11, 27))["escalated"] == 0  # 4 working days late
    with django_capture_on_commit_callbacks(execute=True):
        r = sla_sweep(today=date(2026, 11, 30))  # 5 working days after Nov 23
    assert r["escalated"] == 1
    assert Notification.objects.filter(user=users["zone_admin"], title__startswith="超期通报").exists()
    kinds = list(AppealEvent.objects.filter(appeal=a).values_list("kind", flat=True))
    assert kinds.count("urge") == 1 and kinds.count("overdue") == 1 and kinds.count("escalate") == 1
    assert sla_sweep(today=date(2026, 12, 1))["escalated"] == 0


def test_a_new_deadline_resets_the_level(new_appeal, users):
    Appeal.objects.update(status="closed", due_on=None)
    a = new_appeal()
    s.appeal_dispatch(actor=users["zone_admin"], appeal=a, today=TODAY)
    sla_sweep(today=date(2026, 11, 24))
    s.appeal_accept(actor=users["dept_handler"], appeal=a, today=date(2026, 11, 24))
    a.refresh_from_db()
    assert a.sla_level == 0 and a.due_kind == "reply" and not a.accepted_in_time
