"""Red credit, case by case: apply, endorse (with evidence) or decline, approve or refuse, disburse, repay; the
refusals (cap, an organization that does not cover the enterprise, another institution's reviewer, out of order,
stale) write nothing; the scope of the bank reviewer; the figures."""

from decimal import Decimal

import pytest

from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError, NotFound
from hongyin.finance import services
from hongyin.finance.models import CreditApplication, CreditStatus
from hongyin.finance.permissions import applications_visible_to
from hongyin.finance.selectors import committee_applications, credit_by_committee, credit_figures
from hongyin.workflows.engine import StaleMove

pytestmark = pytest.mark.django_db


def _apply(users, enterprise, product, amount=1_000_000, term=12):
    return services.credit_apply(
        actor=users["enterprise_contact"],
        enterprise=enterprise,
        product=product,
        amount=amount,
        term_months=term,
        purpose="采购研发设备",
    )


def _snapshot(app):
    app.refresh_from_db()
    return (app.status, app.version, app.events.count(), AuditEvent.objects.count())


def test_the_whole_path_from_application_to_repayment(users, contact_enterprise, own_product, endorser):
    app = _apply(users, contact_enterprise, own_product)
    assert app.status == CreditStatus.SUBMITTED and app.number.startswith("ZX")
    assert app.institution == own_product.institution
    services.credit_endorse(actor=endorser, application=app, note="同意推荐")
    app.refresh_from_db()
    assert app.status == CreditStatus.ENDORSED
    assert set(app.evidence) >= {"honours", "party_status", "members_employed", "appeals", "visits"}
    assert app.decision_due > app.endorsed_on
    reviewer = users["bank_reviewer"]
    services.credit_approve(actor=reviewer, application=app, amount=900_000, rate="3.10", term_months=12)
    app.refresh_from_db()
    assert (app.status, app.approved_amount, app.rate_preference) == (
        CreditStatus.APPROVED,
        Decimal("900000.00"),
        Decimal("0.50"),
    )
    services.credit_disburse(actor=reviewer, application=app, amount=900_000)
    services.credit_repay(actor=reviewer, application=app)
    app.refresh_from_db()
    assert app.status == CreditStatus.REPAID
    assert [e.action for e in app.events.all()] == ["apply", "endorse", "approve", "disburse", "repay"]
    assert AuditEvent.objects.filter(action__startswith="credit.").count() >= 5


def test_an_application_above_the_cap_is_refused_and_nothing_is_written(users, contact_enterprise, own_product):
    before = CreditApplication.objects.count()
    with pytest.raises(DomainError) as exc:
        _apply(users, contact_enterprise, own_product, amount=5_000_001)
    assert "额度上限" in exc.value.message and exc.value.field == "amount"
    with pytest.raises(DomainError) as exc:
        _apply(users, contact_enterprise, own_product, term=37)
    assert "最长期限" in exc.value.message
    assert CreditApplication.objects.count() == before


def test_a_contact_applies_only_for_its_own_enterprise(users, own_product, demo):
    from hongyin.enterprises.models import Enterprise

    other = Enterprise.objects.exclude(pk=users["enterprise_contact"].assignments[0].enterprise_id).first()
    with pytest.raises(NotFound):
        _apply(users, other, own_product)


def test_an_organization_that_does_not_cover_the_enterprise_cannot_endorse(
    users, contact_enterprise, own_product, outsider
):
    app = _apply(users, contact_enterprise, own_product)
    before = _snapshot(app)
    with pytest.raises((DomainError, NotFound)) as exc:
        services.credit_endorse(actor=outsider, application=app, note="推荐")
    if isinstance(exc.value, DomainError):
        assert "不覆盖该企业" in exc.value.message
    assert _snapshot(app) == before


def test_decline_needs_a_reason(users, contact_enterprise, own_product, endorser):
    app = _apply(users, contact_enterprise, own_product)
    with pytest.raises(DomainError):
        services.credit_decline(actor=endorser, application=app, reason=" ")
    services.credit_decline(actor=endorser, application=app, reason="存在未整改问题")
    app.refresh_from_db()
    assert app.status == CreditStatus.DECLINED and app.decline_reason == "存在未整改问题"


def test_a_bank_decides_only_on_its_own_institutions_applications(
    users, contact_enterprise, own_product, other_product, endorser
):
    app = _apply(users, contact_enterprise, other_product)
    services.credit_endorse(actor=endorser, application=app)
    reviewer = users["bank_reviewer"]
    assert not applications_visible_to(reviewer).filter(pk=app.pk).exists()
    before = _snapshot(app)
    with pytest.raises(DomainError) as exc:
        services.credit_approve(actor=reviewer, application=app, amount=100_000, rate="3", term_months=12)
    assert "不是发给贵机构" in exc.value.message
    assert _snapshot(app) == before


def test_the_reviewer_sees_only_what_was_sent_to_it(users, contact_enterprise, own_product, endorser):
    reviewer = users["bank_reviewer"]
    app = _apply(users, contact_enterprise, own_product)
    assert not applications_visible_to(reviewer).filter(pk=app.pk).exists()  # not endorsed yet
    services.credit_endorse(actor=endorser, application=app)
    assert applications_visible_to(reviewer).filter(pk=app.pk).exists()
    mine = set(applications_visible_to(reviewer).values_list("institution_id", flat=True))
    assert mine == {own_product.institution_id}


def test_steps_out_of_order_and_stale_moves_are_refused(users, contact_enterprise, own_product, endorser):
    reviewer = users["bank_reviewer"]
    app = _apply(users, contact_enterprise, own_product)
    services.credit_endorse(actor=endorser, application=app)
    app.refresh_from_db()
    before = _snapshot(app)
    with pytest.raises(DomainError):
        services.credit_disburse(actor=reviewer, application=app, amount=1)
    with pytest.raises(DomainError):
        services.credit_approve(actor=reviewer, application=app, amount=6_000_000, rate="3", term_months=12)
    with pytest.raises(DomainError):
        services.credit_approve(actor=reviewer, application=app, amount=100, rate="40", term_months=12)
    assert _snapshot(app) == before
    stale = CreditApplication.objects.get(pk=app.pk)
    services.credit_refuse(actor=reviewer, application=app, reason="负债率高")
    with pytest.raises(StaleMove):
        services.credit_approve(actor=reviewer, application=stale, amount=100, rate="3", term_months=12)


def test_disbursement_not_above_the_approval(users, contact_enterprise, own_product, endorser):
    reviewer = users["bank_reviewer"]
    app = _apply(users, contact_enterprise, own_product)
    services.credit_endorse(actor=endorser, application=app)
    services.credit_approve(actor=reviewer, application=app, amount=500_000, rate="3", term_months=12)
    with pytest.raises(DomainError) as exc:
        services.credit_disburse(actor=reviewer, application=app, amount=600_000)
    assert "超过批准金额" in exc.value.message


def test_the_demo_shows_the_sources_figures_for_the_first_building(demo):
    figures = credit_figures(committee_applications(demo.buildings[0]))
    assert 65_000_000 <= figures.amount_approved <= 75_000_000
    assert figures.amount_disbursed >= 65_000_000
    assert 10 < figures.firms_served < 20
    zone = credit_figures(CreditApplication.objects.all())
    rows = credit_by_committee(CreditApplication.objects.all())
    assert sum(f.applications for _o, f in rows) == zone.applications
    assert demo.buildings[0] in [o for o, _f in rows]
