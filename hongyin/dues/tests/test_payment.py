"""A payment records its date and method; a recorded payment is corrected (amount, date, method) with a reason,
through the audited service, while its month is open (issue 11 item 8)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError
from hongyin.dues import services
from hongyin.dues.models import DuesRecord, DuesStanding
from hongyin.dues.rules import add_months, month_start

pytestmark = pytest.mark.django_db
TODAY = date.today()
THIS = month_start(TODAY)
LAST = add_months(THIS, -1)


def _owing(branch, make_member, month=THIS):
    m = make_member(branch)
    services.dues_profile_set(actor=None, member=m, base="4000")
    services.dues_month_open(actor=None, org=branch, month=month)
    return m, DuesRecord.objects.get(member=m, month=month)


def test_a_payment_records_its_date_and_method(users, branch, make_member):
    m, record = _owing(branch, make_member, LAST)
    on = LAST + timedelta(days=3)
    services.dues_pay(actor=users["branch_secretary"], member=m, month=LAST, amount="40", paid_on=on, method="wechat")
    record.refresh_from_db()
    assert (record.paid, record.paid_on, record.method) == (Decimal("40.00"), on, "wechat")
    event = AuditEvent.objects.filter(action="dues.pay", object_id=str(record.pk)).latest("pk")
    assert event.details["method"] == "wechat" and event.details["paid_on"] == on.isoformat()


@pytest.mark.parametrize(
    "paid_on, method, field",
    [
        (TODAY + timedelta(days=1), "cash", "paid_on"),  # in the future
        (LAST - timedelta(days=1), "cash", "paid_on"),  # before the month it pays
        (TODAY, "", "method"),  # asked, not chosen
        (TODAY, "bitcoin", "method"),
    ],
)
def test_a_payment_with_a_wrong_date_or_method_is_refused(users, branch, make_member, paid_on, method, field):
    m, record = _owing(branch, make_member, LAST)
    with pytest.raises(DomainError) as e:
        services.dues_pay(
            actor=users["branch_secretary"], member=m, month=LAST, amount="40", paid_on=paid_on, method=method
        )
    assert e.value.field == field
    record.refresh_from_db()
    assert record.paid == 0


def test_a_payment_is_corrected_with_a_reason_and_audited(users, branch, make_member):
    m, record = _owing(branch, make_member)
    services.dues_pay(actor=None, member=m, month=THIS, amount="400", paid_on=TODAY, method="cash")
    services.dues_payment_correct(
        actor=users["branch_secretary"], record=record, amount="40", paid_on=THIS, method="bank", reason="多记一个零"
    )
    record.refresh_from_db()
    assert (record.paid, record.paid_on, record.method) == (Decimal("40.00"), THIS, "bank")
    event = AuditEvent.objects.get(action="dues.pay_correct", object_id=str(record.pk))
    assert event.details["before"] == {"amount": "400.00", "paid_on": TODAY.isoformat(), "method": "cash"}
    assert event.details["after"]["amount"] == "40.00" and event.details["reason"] == "多记一个零"


def test_a_correction_needs_a_reason_and_valid_values(users, branch, make_member):
    m, record = _owing(branch, make_member)
    services.dues_pay(actor=None, member=m, month=THIS, amount="40", method="cash")
    secretary = users["branch_secretary"]
    for kwargs, field in (
        ({"reason": " "}, "reason"),
        ({"amount": "-1"}, "amount"),
        ({"paid_on": TODAY + timedelta(days=1)}, "paid_on"),
        ({"method": "card"}, "method"),
    ):
        values = {"amount": "30", "paid_on": TODAY, "method": "cash", "reason": "改正金额", **kwargs}
        with pytest.raises(DomainError) as e:
            services.dues_payment_correct(actor=secretary, record=record, **values)
        assert e.value.field == field
    record.refresh_from_db()
    assert record.paid == Decimal("40.00")
    assert not AuditEvent.objects.filter(action="dues.pay_correct").exists()


def test_a_correction_after_the_month_close_is_refused(users, branch, make_member):
    m, record = _owing(branch, make_member, LAST)
    services.dues_pay(actor=None, member=m, month=LAST, amount="10", method="cash")
    services.dues_month_close(actor=None, org=branch, month=LAST)
    with pytest.raises(DomainError) as e:
        services.dues_payment_correct(
            actor=users["branch_secretary"], record=record, amount="40", paid_on=TODAY, method="cash", reason="补齐"
        )
    assert "已结账" in e.value.message
    record.refresh_from_db()
    assert record.paid == Decimal("10.00")


def test_a_correction_moves_the_arrears(users, branch, make_member):
    m, record = _owing(branch, make_member)
    services.dues_pay(actor=None, member=m, month=THIS, amount=str(record.due), method="cash")
    services.dues_payment_correct(actor=None, record=record, amount="1", paid_on=TODAY, method="cash", reason="更正")
    record.refresh_from_db()
    assert record.arrears == record.due - Decimal("1")
    assert DuesStanding.objects.filter(member=m).exists()


def test_the_ledger_asks_for_date_and_method_and_offers_the_correction(as_user, branch, make_member):
    m, record = _owing(branch, make_member)
    c = as_user("branch_secretary")
    url = reverse("dues:ledger")
    body = c.get(url, {"branch": branch.pk, "month": f"{THIS:%Y-%m}"}).content.decode()
    assert f'name="paid_on" value="{TODAY:%Y-%m-%d}" min="{THIS:%Y-%m-%d}" max="{TODAY:%Y-%m-%d}"' in body
    assert 'name="method" required' in body and "微信" in body and "工资代扣" in body
    # the form as rendered, without a method: refused with the reason, nothing recorded
    post = {"branch": branch.pk, "month": f"{THIS:%Y-%m}", "member": m.pk, "amount": "40", "paid_on": f"{TODAY}"}
    r = c.post(reverse("dues:pay"), post, follow=True)
    assert "请选择缴纳方式" in r.content.decode()
    assert DuesRecord.objects.get(pk=record.pk).paid == 0
    r = c.post(reverse("dues:pay"), {**post, "paid_on": "2026-13-01", "method": "cash"}, follow=True)
    assert "请填写正确的日期" in r.content.decode()
    c.post(reverse("dues:pay"), {**post, "method": "alipay"})
    record.refresh_from_db()
    assert record.method == "alipay" and record.paid == Decimal("40.00")
    body = c.get(url, {"branch": branch.pk, "month": f"{THIS:%Y-%m}"}).content.decode()
    assert reverse("dues:pay_correct", args=[record.pk]) in body and "支付宝" in body
    r = c.post(
        reverse("dues:pay_correct", args=[record.pk]),
        {"amount": "20", "paid_on": f"{TODAY}", "method": "wechat", "reason": "重复登记"},
        follow=True,
    )
    assert "已更正" in r.content.decode()
    record.refresh_from_db()
    assert (record.paid, record.method) == (Decimal("20.00"), "wechat")


def test_a_member_sees_its_records_and_cannot_correct_them(as_user, demo):
    from hongyin.accounts.models import User

    member = User.objects.get(username="member")
    record = DuesRecord.objects.filter(member__user=member).order_by("-month").first()
    assert record is not None
    c = as_user("member")
    r = c.post(
        reverse("dues:pay_correct", args=[record.pk]),
        {"amount": "0.01", "paid_on": f"{TODAY}", "method": "cash", "reason": "自己改"},
    )
    assert r.status_code in (403, 404)
    assert DuesRecord.objects.get(pk=record.pk).paid == record.paid


def test_a_secretary_cannot_correct_another_branchs_record(as_user, other_branch, make_member):
    m, record = _owing(other_branch, make_member)
    services.dues_pay(actor=None, member=m, month=THIS, amount="5", method="cash")
    r = as_user("branch_secretary").post(
        reverse("dues:pay_correct", args=[record.pk]),
        {"amount": "1", "paid_on": f"{TODAY}", "method": "cash", "reason": "越权"},
    )
    assert r.status_code == 404
    assert DuesRecord.objects.get(pk=record.pk).paid == Decimal("5.00")
