"""Appeals on the one workflow engine: a stale move is refused and writes nothing, a move saves only what it
changed, running numbers come from a locked counter, and the page offers exactly the declared actions."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from hongyin.appeals import services as s
from hongyin.appeals.models import Appeal, AppealEvent, AppealStatus
from hongyin.audit.models import AuditEvent
from hongyin.devtools.forms import rendered_form, rendered_forms
from hongyin.devtools.sessions import login_as
from hongyin.directory.models import Department
from hongyin.workflows.engine import StaleMove
from hongyin.workflows.models import Counter

from .conftest import TODAY

pytestmark = pytest.mark.django_db

STALE = "该诉求已被他人处理，请刷新后重试。"


def _two_departments(appeal):
    return list(Department.objects.filter(is_active=True).exclude(pk=appeal.department_id).order_by("pk")[:2])


def test_two_dispatchers_transfer_the_same_appeal_and_the_second_is_refused(new_appeal, users):
    a = new_appeal()
    s.appeal_dispatch(actor=users["zone_admin"], appeal=a, today=TODAY)
    first, second = Appeal.objects.get(pk=a.pk), Appeal.objects.get(pk=a.pk)  # two people read it
    x, y = _two_departments(a)
    s.appeal_transfer(actor=users["zone_admin"], appeal=first, department=x, reason="职能调整", today=TODAY)
    events, audits = AppealEvent.objects.count(), AuditEvent.objects.count()
    with pytest.raises(StaleMove) as info:
        s.appeal_transfer(actor=users["zone_admin"], appeal=second, department=y, reason="另一个理由", today=TODAY)
    assert info.value.message == STALE
    a.refresh_from_db()
    assert a.department == x and a.version == 2
    assert AppealEvent.objects.count() == events and AuditEvent.objects.count() == audits


def test_the_second_click_on_a_page_shown_before_the_first_is_refused(new_appeal, users):
    a = new_appeal()
    s.appeal_dispatch(actor=users["zone_admin"], appeal=a, today=TODAY)
    x, y = _two_departments(a)
    alice, bob = login_as(Client(), "zone_admin"), login_as(Client(), "zone_admin")
    url = a.get_absolute_url()
    action = reverse("appeals:act", args=[a.pk, "transfer"])
    forms = {who: rendered_form(c.get(url).content.decode(), action) for who, c in (("a", alice), ("b", bob))}
    r1 = alice.post(action, forms["a"].data(department=str(x.pk), reason="职能调整"))
    assert r1.status_code == 302
    r2 = bob.post(action, forms["b"].data(department=str(y.pk), reason="我也转办"))
    assert r2.status_code == 422 and STALE in r2.content.decode()
    a.refresh_from_db()
    assert a.department == x and a.events.filter(kind="transfer").count() == 1


def test_the_api_refuses_an_action_on_an_old_version(new_appeal, users):
    a = new_appeal()
    client = login_as(Client(), "zone_admin")
    seen = client.get(f"/api/v1/appeals/{a.pk}").json()["version"]
    ok = client.post(f"/api/v1/appeals/{a.pk}/urge", json.dumps({"version": seen}), content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == seen + 1
    again = client.post(f"/api/v1/appeals/{a.pk}/urge", json.dumps({"version": seen}), content_type="application/json")
    assert again.status_code == 422 and again.json()["detail"] == STALE


def test_a_move_saves_only_what_it_changed(new_appeal, users):
    a = Appeal.objects.get(pk=new_appeal().pk)  # the page read it ...
    Appeal.objects.filter(pk=a.pk).update(sla_level=2, title="另一人改过的标题")  # ... then the SLA sweep wrote
    s.appeal_urge(actor=users["zone_admin"], appeal=a, note="请尽快派单")
    stored = Appeal.objects.get(pk=a.pk)
    assert stored.sla_level == 2 and stored.title == "另一人改过的标题" and stored.version == 1


def test_the_engine_refuses_a_move_the_declaration_does_not_allow_the_actor(new_appeal, users):
    a = new_appeal()
    with pytest.raises(PermissionDenied):
        s.APPEAL_FLOW.move(actor=users["dept_handler"], obj=a, action="dispatch")
    assert Appeal.objects.get(pk=a.pk).status == AppealStatus.SUBMITTED


def test_running_numbers_come_from_a_locked_counter(new_appeal):
    a, b, c = new_appeal(), new_appeal(), new_appeal()
    numbers = [int(x.number[-4:]) for x in (a, b, c)]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]
    assert Counter.objects.get(key=a.number[:10]).value == numbers[2]


@pytest.mark.parametrize("username", ["zone_admin", "dept_handler", "enterprise_contact", "grid_officer"])
def test_the_page_offers_exactly_the_declared_actions(username, new_appeal, users):
    a = new_appeal()
    s.appeal_dispatch(actor=users["zone_admin"], appeal=a, today=TODAY)
    client = login_as(Client(), username)
    page = client.get(a.get_absolute_url())
    if page.status_code == 404:
        assert not s.APPEAL_FLOW.actions_for(users[username], a)
        return
    prefix = a.get_absolute_url()
    forms = [f for f in rendered_forms(page.content.decode()) if f.action.startswith(prefix) and f.action != prefix]
    by_action = {f.action.rstrip("/").split("/")[-1]: f for f in forms}
    by_action.pop("attach", None)
    assert set(by_action) == {t.action for t in s.APPEAL_FLOW.actions_for(users[username], a)}
    for form in by_action.values():
        assert form.fields.get("version") == [str(a.version)]
