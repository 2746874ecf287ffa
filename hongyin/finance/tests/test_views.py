"""Pages and API: the lists and detail pages per role (query counts flat), the credit journey through the pages,
the API operations, the workbench panels, the bad input answered with a clear message."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongyin.finance.models import CreditApplication, CreditStatus, PriorityTicket

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("username", "name"),
    [
        ("zone_admin", "finance:credit"),
        ("bank_reviewer", "finance:credit"),
        ("enterprise_contact", "finance:credit"),
        ("building_admin", "finance:credit_figures"),
        ("zone_admin", "finance:credit_figures"),
        ("chain_admin", "finance:investment"),
        ("partner_contact", "finance:tickets"),
        ("partner_contact", "finance:offers"),
        ("enterprise_contact", "finance:offers"),
        ("zone_admin", "finance:tickets"),
        ("enterprise_contact", "finance:products"),
        ("enterprise_contact", "finance:credit_new"),
        ("partner_contact", "finance:offer_new"),
    ],
)
def test_pages_open_for_their_roles(as_user, username, name):
    assert as_user(username).get(reverse(name)).status_code == 200


def test_pages_refused_to_roles_without_them(as_user):
    assert as_user("bank_reviewer").get(reverse("finance:tickets")).status_code == 403
    assert as_user("partner_contact").get(reverse("finance:credit")).status_code == 403
    assert as_user("member").get(reverse("finance:credit")).status_code == 403
    assert as_user("bank_reviewer").get("/members/").status_code in (403, 404)


def test_the_lists_are_flat(as_user):
    client = as_user("zone_admin")
    n = _queries(client, reverse("finance:credit"))
    assert n == _queries(client, reverse("finance:credit") + "?page=2")
    n = _queries(client, reverse("finance:tickets"))
    assert n < 30


def test_the_journey_through_the_pages(as_user, users, contact_enterprise, own_product, endorser):
    contact = as_user("enterprise_contact")
    response = contact.post(
        reverse("finance:credit_new"),
        {"product": own_product.pk, "amount": "6000000", "term_months": 12, "purpose": "设备"},
    )
    assert response.status_code == 422 and "额度上限" in response.content.decode()
    response = contact.post(
        reverse("finance:credit_new"),
        {"product": own_product.pk, "amount": "2000000", "term_months": 12, "purpose": "设备"},
    )
    assert response.status_code == 302
    app = CreditApplication.objects.latest("pk")
    party = as_user(endorser.username)
    page = party.get(reverse("finance:credit_detail", args=[app.pk])).content.decode()
    assert "推荐依据" in page and "出具推荐意见" in page
    r = party.post(reverse("finance:credit_act", args=[app.pk, "endorse"]), {"version": app.version, "note": "同意"})
    assert r.status_code == 302
    bank = as_user("bank_reviewer")
    app.refresh_from_db()
    r = bank.post(
        reverse("finance:credit_act", args=[app.pk, "approve"]),
        {"version": app.version, "amount": "2000000", "rate": "3.2", "term_months": 12},
    )
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.status == CreditStatus.APPROVED
    r = bank.post(reverse("finance:credit_act", args=[app.pk, "approve"]), {"version": app.version})
    assert r.status_code == 422  # out of order: a clear message
    assert "不能执行" in r.content.decode()


def test_the_api(as_user, users, own_product, endorser):
    contact = as_user("enterprise_contact")
    r = contact.post(
        "/api/v1/finance/credit/applications",
        json.dumps({"product_id": own_product.pk, "amount": "9000000", "term_months": 12, "purpose": "x"}),
        content_type="application/json",
    )
    assert r.status_code == 422 and "额度上限" in r.json()["detail"]
    r = contact.post(
        "/api/v1/finance/credit/applications",
        json.dumps({"product_id": own_product.pk, "amount": "900000", "term_months": 12, "purpose": "x"}),
        content_type="application/json",
    )
    assert r.status_code == 201
    app_id = r.json()["id"]
    party = as_user(endorser.username)
    r = party.post(
        f"/api/v1/finance/credit/applications/{app_id}/endorse", json.dumps({}), content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "endorsed"
    bank = as_user("bank_reviewer")
    r = bank.post(
        f"/api/v1/finance/credit/applications/{app_id}/approve",
        json.dumps({"amount": "900000", "rate": "3.1", "term_months": 12}),
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert bank.get("/api/v1/finance/credit/applications").status_code == 200
    figures = as_user("zone_admin").get("/api/v1/finance/credit/figures").json()
    assert figures["applications"] >= 1 and figures["committees"]
    assert as_user("bank_reviewer").get("/api/v1/finance/credit/figures").status_code == 403
    tickets = as_user("partner_contact").get("/api/v1/finance/tickets").json()
    partner = users["partner_contact"].assignments[0].partner_id
    assert tickets and {t["partner_id"] for t in tickets} == {partner}
    assert as_user("chain_admin").get("/api/v1/finance/investment").status_code == 200


def test_a_ticket_step_out_of_order_through_the_page(as_user, users):
    ticket = PriorityTicket.objects.filter(
        partner_id=users["partner_contact"].assignments[0].partner_id, status="contact"
    ).first()
    if ticket is None:
        pytest.skip("no open ticket in the demo")
    client = as_user("partner_contact")
    r = client.post(reverse("finance:ticket_act", args=[ticket.pk, "supply"]), {"version": ticket.version, "note": "x"})
    assert r.status_code == 422 and "请按顺序办理" in r.content.decode()
    r = client.post(
        reverse("finance:ticket_act", args=[ticket.pk, "contact"]), {"version": ticket.version, "note": "x"}
    )
    assert r.status_code == 302


def test_workbench_panels(as_user):
    for username in ("bank_reviewer", "partner_contact", "enterprise_contact", "chain_admin"):
        r = as_user(username).get("/")
        assert r.status_code == 200
    page = as_user("bank_reviewer").get("/").content.decode()
    assert "待审批的增信申请" in page
