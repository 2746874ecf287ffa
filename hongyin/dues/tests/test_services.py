from datetime import date
from decimal import Decimal

import pytest

from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError, NotFound
from hongyin.dues import services, setbased
from hongyin.dues.models import DuesMonthClose, DuesRecord, DuesStanding, ReductionStatus
from hongyin.dues.rules import add_months, month_start
from hongyin.dues.selectors import arrears_list, ledger
from hongyin.members.services import member_leave

pytestmark = pytest.mark.django_db
D = Decimal
THIS = month_start(date.today())


def test_profile_sets_the_amount_by_category_and_extra(users, branch, make_member):
    m = make_member(branch)
    retired = make_member(branch, category="retired")
    services.dues_profile_set(actor=users["branch_secretary"], member=m, base="8000", voluntary_extra="5")
    services.dues_profile_set(actor=users["branch_secretary"], member=retired, base="6000")
    assert services.amount_for(m, THIS) == D("125.00")
    assert services.amount_for(retired, THIS) == D("60.00")
    assert AuditEvent.objects.filter(action="dues.profile_set", object_id=str(m.pk)).exists()


def test_profile_refuses_bad_amounts_and_out_of_scope(users, branch, other_branch, make_member):
    m = make_member(branch)
    for bad in ["-5", "abc", "1.234", ""]:
        with pytest.raises(DomainError) as e:
            services.dues_profile_set(actor=users["branch_secretary"], member=m, base=bad)
        assert e.value.field == "base"
    outsider = make_member(other_branch)
    with pytest.raises(NotFound):
        services.dues_profile_set(actor=users["branch_secretary"], member=outsider, base="100")


def test_month_open_is_set_based_and_idempotent(users, branch, make_member):
    a, b = make_member(branch), make_member(branch, category="student")
    services.dues_profile_set(actor=None, member=a, base="4000")
    created = services.dues_month_open(actor=users["branch_secretary"], org=branch, month=THIS)
    assert created >= 2
    assert services.dues_month_open(actor=users["branch_secretary"], org=branch, month=THIS) == 0
    assert DuesRecord.objects.get(member=a, month=THIS).due == D("40.00")
    assert DuesRecord.objects.get(member=b, month=THIS).due == D("0.20")


def test_month_open_skips_members_who_left_or_joined_later(users, branch, make_member):
    gone = make_member(branch)
    member_leave(actor=None, member=gone, left_on=date.today(), reason="deceased")
    services.dues_month_open(actor=None, org=branch, month=THIS)
    assert not DuesRecord.objects.filter(member=gone).exists()


def test_future_month_refused(users, branch):
    with pytest.raises(DomainError) as e:
        services.dues_month_open(actor=users["branch_secretary"], org=branch, month=add_months(THIS, 1))
    assert e.value.field == "month"


def test_single_payment_and_partial(users, branch, make_member):
    m = make_member(branch)
    services.dues_profile_set(actor=None, member=m, base="6000")  # 90.00
    r = services.dues_pay(actor=users["branch_secretary"], member=m, month=THIS, amount="50")
    assert (r.due, r.paid, r.arrears) == (D("90.00"), D("50.00"), D("40.00"))
    r = services.dues_pay(actor=users["branch_secretary"], member=m, month=THIS, amount="40")
    assert r.arrears == 0
    assert AuditEvent.objects.filter(action="dues.pay").count() >= 2


def test_payment_refusals(users, branch, other_branch, make_member):
    m = make_member(branch)
    with pytest.raises(DomainError) as e:
        services.dues_pay(actor=users["branch_secretary"], member=m, month=THIS, amount="0")
    assert e.value.field == "amount"
    with pytest.raises(DomainError):
        services.dues_pay(actor=users["branch_secretary"], member=m, month=date(1990, 1, 1), amount="1")
    with pytest.raises(NotFound):
        services.dues_pay(actor=users["branch_secretary"], member=make_member(other_branch), month=THIS, amount="1")


def test_bulk_payment_marks_all_selected_paid(users, branch, make_member):
    a, b, c = make_member(branch), make_member(branch), make_member(branch)
    for m in (a, b, c):
        services.dues_profile_set(actor=None, member=m, base="3000")
    n = services.dues_pay_bulk(actor=users["branch_secretary"], branch=branch, month=THIS, member_ids=[a.pk, b.pk])
    assert n == 2
    paid = dict(DuesRecord.objects.filter(member__in=[a, b, c], month=THIS).values_list("member_id", "paid"))
    assert paid == {a.pk: D("15.00"), b.pk: D("15.00"), c.pk: D("0")}
    with pytest.raises(DomainError):
        services.dues_pay_bulk(actor=users["branch_secretary"], branch=branch, month=THIS, member_ids=[])


def test_month_close_counts_arrears_alert_at_3_flag_at_6(users, branch, make_member):
    m = make_member(branch, joined_on=date(2015, 7, 1))
    payer = make_member(branch, joined_on=date(2015, 7, 1))
    services.dues_profile_set(actor=None, member=m, base="5000")
    admin = users["building_admin"]
    months = [add_months(THIS, -i) for i in range(7, 0, -1)]
    for i, month in enumerate(months):
        services.dues_pay(actor=None, member=payer, month=month, amount="1")
        if i == 0:
            services.dues_pay(actor=None, member=m, month=month, amount="50")
        services.dues_month_close(actor=admin, org=branch, month=month)
        standing = DuesStanding.objects.get(member=m)
        assert standing.arrears_months == i  # month 0 paid, then one more unpaid month each close
    assert standing.arrears_months == 6
    assert standing.arrears_amount == D("300.00")
    assert DuesStanding.objects.get(member=payer).arrears_months == 0
    rows = arrears_list(user=admin, min_months=3)
    assert m.pk in [r.member_id for r in rows]
    assert payer.pk not in [r.member_id for r in rows]
    # paying back one month of arrears does not clear the consecutive count unless it is the latest month
    services.dues_pay(actor=None, member=m, month=months[-1], amount="50")
    assert DuesStanding.objects.get(member=m).arrears_months == 0
    assert DuesStanding.objects.get(member=m).arrears_amount == D("250.00")


def test_month_close_twice_refused_and_records_frozen(users, branch, make_member):
    make_member(branch)
    month = add_months(THIS, -1)
    close = services.dues_month_close(actor=users["branch_secretary"], org=branch, month=month)
    assert close.members >= 1
    assert not DuesRecord.objects.filter(branch=branch, month=month, closed=False).exists()
    with pytest.raises(DomainError):
        services.dues_month_close(actor=users["branch_secretary"], org=branch, month=month)
    assert DuesMonthClose.objects.filter(org=branch, month=month).count() == 1


def test_reduction_requested_by_branch_approved_by_higher_committee(users, branch, make_member):
    m = make_member(branch)
    services.dues_profile_set(actor=None, member=m, base="6000")
    services.dues_month_open(actor=None, org=branch, month=THIS)
    red = services.dues_reduction_request(
        actor=users["branch_secretary"],
        member=m,
        kind="reduce",
        monthly_amount="10",
        start_month=THIS,
        end_month=add_months(THIS, 5),
        reason="家庭困难，支部研究同意",
    )
    # the branch cannot approve its own request
    with pytest.raises(DomainError):
        services.dues_reduction_decide(actor=users["branch_secretary"], reduction=red, approve=True)
    red = services.dues_reduction_decide(actor=users["building_admin"], reduction=red, approve=True)
    assert red.status == ReductionStatus.APPROVED
    assert DuesRecord.objects.get(member=m, month=THIS).due == D("10.00")
    assert services.amount_for(m, THIS) == D("10.00")
    with pytest.raises(DomainError):
        services.dues_reduction_decide(actor=users["building_admin"], reduction=red, approve=False, note="x")


def test_reduction_refusals(users, branch, make_member):
    m = make_member(branch)
    services.dues_profile_set(actor=None, member=m, base="6000")
    kw = dict(actor=users["branch_secretary"], member=m, start_month=THIS, end_month=THIS, reason="支部研究同意")
    with pytest.raises(DomainError) as e:
        services.dues_reduction_request(**kw, kind="reduce", monthly_amount="100")
    assert e.value.field == "monthly_amount"
    with pytest.raises(DomainError) as e:
        services.dues_reduction_request(**{**kw, "end_month": add_months(THIS, -1)}, kind="exempt")
    assert e.value.field == "end_month"
    with pytest.raises(DomainError) as e:
        services.dues_reduction_request(**{**kw, "reason": ""}, kind="exempt")
    assert e.value.field == "reason"
    red = services.dues_reduction_request(**kw, kind="exempt")
    with pytest.raises(DomainError):
        services.dues_reduction_request(**kw, kind="exempt")  # overlapping
    with pytest.raises(DomainError) as e:
        services.dues_reduction_decide(actor=users["zone_admin"], reduction=red, approve=False)
    assert e.value.field == "note"
    red = services.dues_reduction_decide(actor=users["zone_admin"], reduction=red, approve=False, note="材料不全")
    assert red.status == ReductionStatus.REFUSED


def test_ledger_totals(users, branch, make_member):
    a, b = make_member(branch), make_member(branch)
    services.dues_profile_set(actor=None, member=a, base="4000")
    services.dues_profile_set(actor=None, member=b, base="4000")
    services.dues_pay(actor=None, member=a, month=THIS, amount="40")
    services.dues_month_open(actor=None, org=branch, month=THIS)
    rows, totals = ledger(user=users["branch_secretary"], branch=branch, month=THIS)
    by_member = {r.member_id: r for r in rows}
    assert by_member[a.pk].paid == D("40.00") and by_member[b.pk].arrears == D("40.00")
    assert totals["paid_total"] >= D("40.00") and totals["arrears_total"] >= D("40.00")


def test_incremental_close_equals_full_recount(users, branch, make_member):
    members = [make_member(branch, joined_on=date(2015, 7, 1)) for _ in range(4)]
    for i, m in enumerate(members):
        services.dues_profile_set(actor=None, member=m, base=str(3000 + 1000 * i))
    months = [add_months(THIS, -i) for i in range(5, 0, -1)]
    for k, month in enumerate(months):
        for i, m in enumerate(members):
            if (i + k) % 3 == 0:
                services.dues_pay(actor=None, member=m, month=month, amount="500")
        services.dues_month_close(actor=None, org=branch, month=month)
    ids = [m.pk for m in members]
    incremental = list(
        DuesStanding.objects.filter(member_id__in=ids)
        .order_by("member_id")
        .values_list("arrears_months", "arrears_amount")
    )
    setbased.recompute_standings(member_ids=ids)
    full = list(
        DuesStanding.objects.filter(member_id__in=ids)
        .order_by("member_id")
        .values_list("arrears_months", "arrears_amount")
    )
    assert incremental == full and any(n for n, _a in full)


def test_closing_an_older_month_after_a_newer_one_recounts(users, branch, make_member):
    m = make_member(branch, joined_on=date(2015, 7, 1))
    services.dues_profile_set(actor=None, member=m, base="3000")
    services.dues_month_close(actor=None, org=branch, month=add_months(THIS, -1))
    services.dues_month_close(actor=None, org=branch, month=add_months(THIS, -2))
    standing = DuesStanding.objects.get(member=m)
    assert standing.arrears_months == 2 and standing.arrears_amount == D("30.00")


def test_money_totals_have_two_places_on_every_database(users, branch, make_member):
    """SQLite sums decimals as floats: the ledger showed 1654.03000000000."""
    from hongyin.dues.selectors import collection_report

    members = [make_member(branch) for _ in range(3)]
    for m, base in zip(members, ("3333.33", "2718.28", "1414.21"), strict=True):
        services.dues_profile_set(actor=None, member=m, base=base)
        services.dues_pay(actor=None, member=m, month=THIS, amount="0.10")
    services.dues_month_open(actor=None, org=branch, month=THIS)
    _rows, totals = ledger(user=users["branch_secretary"], branch=branch, month=THIS)
    report, report_totals = collection_report(user=users["branch_secretary"], org=branch, start=THIS, end=THIS)
    figures = [totals[k] for k in ("due_total", "paid_total", "arrears_total")]
    figures += [r[k] for r in report for k in ("due_total", "paid_total", "arrears_total")]
    figures += [report_totals[k] for k in ("due_total", "paid_total", "arrears_total")]
    for value in figures:
        assert isinstance(value, Decimal) and value.as_tuple().exponent == -2, value
    close = services.dues_month_close(actor=users["branch_secretary"], org=branch, month=THIS)
    close.refresh_from_db()
    assert str(close.paid_total).count(".") == 1 and len(str(close.paid_total).split(".")[1]) == 2
