"""Partner offers and four-priorities tickets: the steps in order, each with its SLA in working days; the partner
contact sees and answers only its tickets; the figures."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hongyin.common.calendar import add_working_days
from hongyin.common.errors import DomainError, NotFound
from hongyin.directory.models import Partner
from hongyin.finance import services
from hongyin.finance.models import Priority, PriorityTicket, TicketStatus
from hongyin.finance.permissions import tickets_visible_to
from hongyin.finance.selectors import ticket_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(users):
    return Partner.objects.get(pk=users["partner_contact"].assignments[0].partner_id)


@pytest.fixture
def offer(users, partner):
    today = timezone.localdate()
    return services.offer_publish(
        actor=users["partner_contact"],
        partner=partner,
        title="全区安防优惠",
        terms="九折",
        valid_from=today,
        valid_until=today + timedelta(days=30),
    )


def test_the_four_priorities_go_in_order_with_their_sla(users, offer, contact_enterprise):
    contact, answerer = users["enterprise_contact"], users["partner_contact"]
    t = services.ticket_open(actor=contact, offer=offer, enterprise=contact_enterprise, need="16 路摄像机")
    today = timezone.localdate()
    assert t.status == TicketStatus.CONTACT
    assert t.current_due == add_working_days(today, services.TICKET_SLA_DAYS[Priority.CONTACT])
    before = (t.version, t.steps.count())
    with pytest.raises(DomainError) as exc:
        services.ticket_step(actor=answerer, ticket=t, kind=Priority.QUOTATION, note="报价")
    assert "请按顺序办理" in exc.value.message
    t.refresh_from_db()
    assert (t.version, t.steps.count()) == before
    for kind in (Priority.CONTACT, Priority.QUOTATION, Priority.SUPPLY, Priority.AFTER_SALES):
        t = services.ticket_step(actor=answerer, ticket=t, kind=kind, note="已办")
        if kind != Priority.AFTER_SALES:
            following = {"contact": "quotation", "quotation": "supply", "supply": "after_sales"}[kind]
            assert t.current_due == add_working_days(today, services.TICKET_SLA_DAYS[following])
    assert t.status == TicketStatus.DONE
    assert list(t.steps.values_list("kind", "on_time")) == [
        ("contact", True),
        ("quotation", True),
        ("supply", True),
        ("after_sales", True),
    ]
    services.ticket_declare_savings(actor=contact, ticket=t, amount=12000)
    f = ticket_figures(user=contact)
    assert f.on_time_rate == 100.0 and f.savings >= 12000


def test_a_late_step_is_counted_late(users, offer, contact_enterprise):
    t = services.ticket_open(actor=users["enterprise_contact"], offer=offer, enterprise=contact_enterprise, need="x")
    PriorityTicket.objects.filter(pk=t.pk).update(current_due=timezone.localdate() - timedelta(days=3))
    t.refresh_from_db()
    services.ticket_step(actor=users["partner_contact"], ticket=t, kind="contact", note="迟到")
    assert t.steps.get().on_time is False


def test_the_partner_contact_sees_and_answers_only_its_tickets(users, offer, contact_enterprise, partner):
    other = Partner.objects.exclude(pk=partner.pk).first()
    today = timezone.localdate()
    other_offer = services.offer_publish(
        actor=users["zone_admin"], partner=other, title="其他", terms="-", valid_from=today, valid_until=today
    )
    mine = services.ticket_open(actor=users["enterprise_contact"], offer=offer, enterprise=contact_enterprise, need="a")
    theirs = services.ticket_open(
        actor=users["enterprise_contact"], offer=other_offer, enterprise=contact_enterprise, need="b"
    )
    seen = set(tickets_visible_to(users["partner_contact"]).values_list("pk", flat=True))
    assert mine.pk in seen and theirs.pk not in seen
    assert set(tickets_visible_to(users["partner_contact"]).values_list("partner_id", flat=True)) == {partner.pk}
    with pytest.raises(NotFound):
        services.ticket_step(actor=users["partner_contact"], ticket=theirs, kind="contact", note="x")
    with pytest.raises(NotFound):  # the enterprise cannot answer for the partner
        services.ticket_step(actor=users["enterprise_contact"], ticket=mine, kind="contact", note="x")


def test_an_offer_reaches_only_its_building(users, partner, contact_enterprise):
    from hongyin.enterprises.models import Building

    today = timezone.localdate()
    elsewhere = Building.objects.exclude(pk=contact_enterprise.building_id).first()
    offer = services.offer_publish(
        actor=users["partner_contact"],
        partner=partner,
        title="楼宇优惠",
        terms="八折",
        building=elsewhere,
        valid_from=today,
        valid_until=today,
    )
    with pytest.raises(DomainError):
        services.ticket_open(actor=users["enterprise_contact"], offer=offer, enterprise=contact_enterprise, need="x")


def test_an_offer_with_its_period_upside_down_is_refused(users, partner):
    today = timezone.localdate()
    with pytest.raises(DomainError):
        services.offer_publish(
            actor=users["partner_contact"],
            partner=partner,
            title="x",
            terms="y",
            valid_from=today,
            valid_until=today - timedelta(days=1),
        )
    other = Partner.objects.exclude(pk=partner.pk).first()
    with pytest.raises(NotFound):
        services.offer_publish(
            actor=users["partner_contact"], partner=other, title="x", terms="y", valid_from=today, valid_until=today
        )
