"""Roadshows: events, presenting projects, sign-ups and attendance (organizer's mark and QR code), outcomes followed
to landed projects, figures per event and committee, the follow-ups on the workbench; the scope of each role."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError, NotFound
from hongyin.directory.models import Department
from hongyin.enterprises.models import ChainMembership, Enterprise
from hongyin.roadshows import selectors, services
from hongyin.roadshows.models import Event, Outcome, OutcomeStage, Registration
from hongyin.roadshows.workbench import follow_ups

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain_org(users):
    return users["chain_admin"].assignments[0].org


@pytest.fixture
def firms(chain_org):
    ids = ChainMembership.objects.filter(node__chain__party_committee=chain_org).values("enterprise_id")
    return list(Enterprise.objects.filter(pk__in=ids).order_by("id")[:3])


@pytest.fixture
def dept():
    return Department.objects.get(code="industry")


@pytest.fixture
def held(users, chain_org, firms):
    admin = users["chain_admin"]
    e = services.event_create(
        actor=admin,
        title="测试路演",
        kind="roadshow",
        held_on=timezone.localdate() - timedelta(days=3),
        organizers=[chain_org],
    )
    services.presentation_add(actor=admin, event=e, enterprise=firms[0], project="激光雷达", financing_sought="500")
    return services.event_hold(actor=admin, event=e, version=e.version)


def test_seeded_roadshows_show_the_source_landing(chain_org):
    events = Event.objects.filter(organizers=chain_org)
    assert events.filter(title__contains="专场路演暨供需对接活动").exists()
    landed = Outcome.objects.filter(event__organizers=chain_org, stage=OutcomeStage.LANDED)
    assert landed.filter(enterprise__name="御微半导体技术有限公司", department__isnull=False).count() == 1


def test_chain_admin_creates_holds_and_lands_a_project(users, held, firms, dept):
    admin = users["chain_admin"]
    day = timezone.localdate()
    o = services.outcome_record(
        actor=admin,
        event=held,
        stage="intention",
        project="激光雷达",
        enterprise=firms[0],
        occurred_on=day,
        follow_up_due=day + timedelta(days=2),
    )
    assert o in selectors.follow_ups_due(user=admin, today=day)
    panel = follow_ups(admin)
    assert o in panel["rows"] and panel["url"].endswith("?due=1")
    o = services.outcome_land(
        actor=admin, outcome=o, occurred_on=day, amount="1200", department=dept, version=o.version
    )
    assert o.stage == OutcomeStage.LANDED and o.follow_up_due is None and o.amount == Decimal("1200.00")
    assert o not in selectors.follow_ups_due(user=admin, today=day)
    f = selectors.figures_by_event([held.pk])[held.pk]
    assert (f.presentations, f.landed, f.landed_amount, f.financing_sought) == (1, 1, Decimal("1200"), Decimal("500"))
    assert AuditEvent.objects.filter(action="roadshow_outcome.land", object_id=str(o.pk)).exists()
    _rows, committees = selectors.figures_report(user=admin)
    mine = next(c for c in committees if c.org == held.organizers.first())
    assert mine.figures.landed >= 1


def test_refusals_write_nothing(users, held, firms, dept, chain_org):
    admin = users["chain_admin"]
    day = timezone.localdate()
    before = Outcome.objects.count()
    with pytest.raises(DomainError, match="跟进部门"):
        services.outcome_record(
            actor=admin, event=held, stage="landed", project="x", enterprise=firms[0], occurred_on=day, amount="1"
        )
    with pytest.raises(DomainError, match="下次跟进日期"):
        services.outcome_record(
            actor=admin, event=held, stage="intention", project="x", enterprise=firms[0], occurred_on=day
        )
    with pytest.raises(DomainError, match="早于活动举办日期"):
        services.outcome_record(
            actor=admin,
            event=held,
            stage="intention",
            project="x",
            enterprise=firms[0],
            occurred_on=held.held_on - timedelta(days=1),
            follow_up_due=day + timedelta(days=9),
        )
    with pytest.raises(DomainError):
        services.outcome_record(
            actor=admin,
            event=held,
            stage="intention",
            project="x",
            enterprise=firms[0],
            occurred_on=day,
            amount="-5",
            follow_up_due=day + timedelta(days=9),
        )
    assert Outcome.objects.count() == before
    planned = services.event_create(
        actor=admin, title="未举办", kind="roadshow", held_on=day + timedelta(days=5), organizers=[chain_org]
    )
    with pytest.raises(DomainError, match="举办后"):
        services.outcome_record(
            actor=admin,
            event=planned,
            stage="intention",
            project="x",
            enterprise=firms[0],
            occurred_on=day,
            follow_up_due=day + timedelta(days=9),
        )
    o = services.outcome_record(
        actor=admin,
        event=held,
        stage="intention",
        project="y",
        enterprise=firms[0],
        occurred_on=day,
        follow_up_due=day + timedelta(days=9),
    )
    stale = o.version
    services.outcome_follow_up(actor=admin, outcome=o, note="已电话沟通", next_due=day + timedelta(days=20))
    with pytest.raises(DomainError, match="他人"):
        services.outcome_follow_up(
            actor=admin,
            outcome=Outcome.objects.get(pk=o.pk),
            note="再次",
            next_due=day + timedelta(days=9),
            version=stale,
        )


def test_another_committee_neither_sees_nor_manages(users, held, firms):
    building = users["building_admin"]
    assert not selectors.event_list(user=building).filter(pk=held.pk).exists()
    with pytest.raises(NotFound):
        services.presentation_add(actor=building, event=held, enterprise=firms[1], project="越权")
    with pytest.raises(DomainError, match="管理范围"):
        services.event_create(
            actor=building,
            title="x",
            kind="roadshow",
            held_on=timezone.localdate(),
            organizers=[held.organizers.first()],
        )


def test_enterprise_contact_sees_only_events_of_its_firm(users, held, as_user):
    contact = users["enterprise_contact"]
    firm_id = contact.assignments[0].enterprise_id
    client = as_user("enterprise_contact")
    assert client.get(reverse("roadshows:detail", args=[held.pk])).status_code == 404
    services.presentation_add(actor=None, event=held, enterprise=Enterprise.objects.get(pk=firm_id), project="我司项目")
    page = client.get(reverse("roadshows:detail", args=[held.pk]))
    assert page.status_code == 200 and "我司项目" in page.content.decode()
    assert "registration-form" not in page.content.decode()


def test_qr_check_in_and_the_organizers_mark(users, held, as_user):
    admin = users["chain_admin"]
    reg = services.registration_add(actor=admin, event=held, name="王投资", kind="investor", unit="某基金")
    services.registration_attend(actor=admin, event=held, registration=reg)
    with pytest.raises(DomainError, match="已签到"):
        services.registration_attend(actor=admin, event=held, registration=Registration.objects.get(pk=reg.pk))
    code = services.checkin_code(held)
    client = as_user("member")
    url = reverse("roadshows:checkin", args=[code])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 200
    assert held.registrations.filter(user=users["member"], method="qr").exists()
    assert client.post(url).status_code == 422  # twice: refused, nothing more
    assert held.registrations.filter(user=users["member"]).count() == 1
    assert client.get(reverse("roadshows:checkin", args=["forged"])).status_code == 404
    with pytest.raises(DomainError):
        services.checkin_by_code(actor=users["member"], code=code + "x")


def test_pages_render_and_the_list_is_flat(as_user, held, firms, chain_org, users):
    client = as_user("chain_admin")
    for name, args in (
        ("roadshows:list", []),
        ("roadshows:new", []),
        ("roadshows:figures", []),
        ("roadshows:outcomes", []),
        ("roadshows:detail", [held.pk]),
        ("roadshows:edit", [held.pk]),
        ("roadshows:qr", [held.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 200, name

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("roadshows:list")).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(4):
        services.event_create(
            actor=None, title=f"加场{i}", kind="roadshow", held_on=timezone.localdate(), organizers=[chain_org]
        )
    assert count() == before


def test_the_form_posts_as_rendered(as_user, chain_org, firms, dept):
    client = as_user("chain_admin")
    r = client.post(
        reverse("roadshows:new"),
        {
            "title": "页面新建路演",
            "kind": "roadshow",
            "held_on": timezone.localdate().isoformat(),
            "place": "会客厅",
            "organizers": [chain_org.pk],
        },
    )
    assert r.status_code == 302
    e = Event.objects.get(title="页面新建路演")
    r = client.post(reverse("roadshows:add", args=[e.pk, "presentation"]), {"enterprise": firms[0].pk, "project": "p"})
    assert r.status_code == 302 and e.presentations.count() == 1
    bad = client.post(reverse("roadshows:add", args=[e.pk, "presentation"]), {"enterprise": "abc", "project": ""})
    assert bad.status_code == 422 and e.presentations.count() == 1
    client.post(reverse("roadshows:act", args=[e.pk, "hold"]), {"version": e.version})
    r = client.post(
        reverse("roadshows:add", args=[e.pk, "outcome"]),
        {
            "stage": "landed",
            "enterprise": firms[0].pk,
            "project": "p",
            "occurred_on": timezone.localdate().isoformat(),
            "amount": "88",
            "department": dept.pk,
        },
    )
    assert r.status_code == 302
    assert e.outcomes.get().stage == "landed"


def test_api(as_user, held, firms, dept, chain_org):
    client = as_user("chain_admin")
    r = client.get("/api/v1/roadshows/events")
    assert r.status_code == 200 and any(x["id"] == held.pk for x in r.json())
    r = client.post(
        f"/api/v1/roadshows/events/{held.pk}/outcomes",
        json.dumps(
            {
                "stage": "agreement",
                "enterprise_id": firms[0].pk,
                "project": "api",
                "occurred_on": timezone.localdate().isoformat(),
                "follow_up_due": (timezone.localdate() + timedelta(days=5)).isoformat(),
            }
        ),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    oid, version = r.json()["id"], r.json()["version"]
    r = client.post(
        f"/api/v1/roadshows/outcomes/{oid}/land",
        json.dumps(
            {"version": version, "amount": "10", "department_id": dept.pk, "occurred_on": str(timezone.localdate())}
        ),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["stage"] == "landed"
    r = client.post(
        f"/api/v1/roadshows/outcomes/{oid}/land",
        json.dumps({"version": version, "amount": "10", "department_id": dept.pk}),
        content_type="application/json",
    )
    assert r.status_code == 422
    assert client.get("/api/v1/roadshows/figures").status_code == 200
    other = as_user("building_admin")
    assert other.get(f"/api/v1/roadshows/events/{held.pk}").status_code == 404
