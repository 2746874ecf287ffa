from datetime import date

import pytest

from hongyin.dues.models import DuesReduction
from hongyin.dues.rules import month_start

pytestmark = pytest.mark.django_db
THIS = f"{month_start(date.today()):%Y-%m}"
J = "application/json"


def test_dues_api_profile_pay_ledger_close(as_user, branch, other_branch, make_member):
    m = make_member(branch)
    c = as_user("branch_secretary")
    r = c.put(f"/api/v1/dues/profiles/{m.pk}", {"base": "5000.01"}, content_type=J)
    assert r.status_code == 200 and r.json()["monthly_amount"] == "75.00"
    assert c.put(f"/api/v1/dues/profiles/{m.pk}", {"base": "-1"}, content_type=J).status_code == 422
    r = c.post("/api/v1/dues/payments", {"member_id": m.pk, "month": THIS, "amount": "75"}, content_type=J)
    assert r.status_code == 201 and r.json()["arrears"] == "0.00"
    r = c.post("/api/v1/dues/payments", {"member_id": m.pk, "month": "2026-13", "amount": "1"}, content_type=J)
    assert r.status_code == 422
    r = c.get("/api/v1/dues/ledger", {"branch_id": branch.pk, "month": THIS})
    assert r.status_code == 200 and any(row["member_id"] == m.pk for row in r.json()["rows"])
    assert c.get("/api/v1/dues/ledger", {"branch_id": other_branch.pk, "month": THIS}).status_code == 404
    r = c.post("/api/v1/dues/months/close", {"org_id": branch.pk, "month": THIS}, content_type=J)
    assert r.status_code == 200 and r.json()["members"] >= 1
    assert c.post("/api/v1/dues/months/close", {"org_id": branch.pk, "month": THIS}, content_type=J).status_code == 422


def test_dues_api_reduction_and_roles(as_user, branch, make_member):
    m = make_member(branch)
    c = as_user("branch_secretary")
    body = {"member_id": m.pk, "kind": "exempt", "start_month": THIS, "end_month": THIS, "reason": "支部研究同意"}
    r = c.post("/api/v1/dues/reductions", body, content_type=J)
    assert r.status_code == 201
    rid = r.json()["id"]
    assert c.post(f"/api/v1/dues/reductions/{rid}/decide", {"approve": True}, content_type=J).status_code == 403
    r = as_user("building_admin").post(f"/api/v1/dues/reductions/{rid}/decide", {"approve": True}, content_type=J)
    assert r.status_code == 200 and DuesReduction.objects.get(pk=rid).status == "approved"
    assert as_user("member").get("/api/v1/dues/ledger", {"branch_id": branch.pk, "month": THIS}).status_code == 403
    assert as_user("member").get("/api/v1/dues/mine").status_code == 200
    r = as_user("building_admin").get("/api/v1/dues/arrears", {"months": 6})
    assert r.status_code == 200
    r = as_user("building_admin").get("/api/v1/dues/report", {"org_id": branch.pk, "start": THIS, "end": THIS})
    assert r.status_code == 200 and r.json()["rows"]


def test_dues_api_payment_date_method_and_correction(as_user, branch, other_branch, make_member):
    """The API records a payment's date and method and corrects it with a reason, as the ledger page does."""
    from hongyin.audit.models import AuditEvent

    m = make_member(branch)
    c = as_user("branch_secretary")
    today = date.today().isoformat()
    body = {"member_id": m.pk, "month": THIS, "amount": "10", "paid_on": today, "method": "wechat"}
    r = c.post("/api/v1/dues/payments", body, content_type=J)
    assert r.status_code == 201 and r.json()["method"] == "wechat" and r.json()["paid_on"] == today
    assert c.post("/api/v1/dues/payments", {**body, "method": "gold"}, content_type=J).status_code == 422

    fix = {"member_id": m.pk, "month": THIS, "amount": "12.50", "paid_on": today, "method": "cash"}
    fix["reason"] = "录错金额"
    r = c.post("/api/v1/dues/payments/correct", fix, content_type=J)
    assert r.status_code == 200, r.content
    assert r.json()["paid"] == "12.50" and r.json()["method"] == "cash"
    assert AuditEvent.objects.filter(action="dues.pay_correct").exists()
    assert c.post("/api/v1/dues/payments/correct", {**fix, "reason": ""}, content_type=J).status_code == 422
    outsider = make_member(other_branch)
    r = c.post("/api/v1/dues/payments/correct", {**fix, "member_id": outsider.pk}, content_type=J)
    assert r.status_code == 404
    c.post("/api/v1/dues/months/close", {"org_id": branch.pk, "month": THIS}, content_type=J)
    r = c.post("/api/v1/dues/payments/correct", fix, content_type=J)
    assert r.status_code == 422 and "已结账" in r.json()["detail"]
