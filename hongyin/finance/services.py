"""Writes of red credit, partner offers and four-priorities tickets.

Every write checks the actor's scope and writes its audit event in the same transaction; refused input raises a
DomainError in the user's language and writes nothing. The states move through the workflow engine."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongyin.appeals.models import Appeal, Visit
from hongyin.audit import services as audit
from hongyin.common.calendar import add_working_days
from hongyin.common.errors import DomainError, NotFound
from hongyin.common.permissions import covers_whole_zone
from hongyin.enterprises.models import ChainMembership
from hongyin.enterprises.selectors import enterprise_facts
from hongyin.orgs.models import Organization
from hongyin.workflows.engine import Transition, Workflow, next_in_sequence

from .models import (
    PRIORITY_ORDER,
    CreditApplication,
    CreditEvent,
    CreditProduct,
    CreditStatus,
    PartnerOffer,
    Priority,
    PriorityTicket,
    TicketStatus,
    TicketStep,
)
from .permissions import (
    CREDIT_APPLY,
    CREDIT_DECIDE,
    CREDIT_ENDORSE,
    OFFERS_PUBLISH,
    TICKETS_OPEN,
    applications_visible_to,
    can_answer,
    can_use_for,
    covers_for_endorsement,
    endorsing_orgs,
    institutions_of,
    partners_of,
    tickets_visible_to,
)

S = CreditStatus
DECISION_SLA_DAYS = 10  # working days for the institution to decide once the party organization endorsed
# the four priorities' SLA in working days: contact, quotation, supply, after-sales (the partner's commitment)
TICKET_SLA_DAYS = {Priority.CONTACT: 1, Priority.QUOTATION: 3, Priority.SUPPLY: 10, Priority.AFTER_SALES: 5}
MAX_RATE = Decimal("24")


def _endorser(user, app) -> bool:
    return user.has_role_perm(CREDIT_ENDORSE) and covers_for_endorsement(user, app.enterprise)


def _reviewer(user, app) -> bool:
    return app.institution_id in institutions_of(user)


def _credit_event(app, *, actor, action, before, after, note):
    return CreditEvent.objects.create(
        application=app, actor=actor, action=action, before=before, after=after, note=note[:500]
    )


CREDIT_FLOW = Workflow(
    key="credit",
    model=CreditApplication,
    transitions=[
        Transition("endorse", {S.SUBMITTED}, S.ENDORSED, gettext_lazy("党组织推荐"), _endorser),
        Transition("decline", {S.SUBMITTED}, S.DECLINED, gettext_lazy("不予推荐"), _endorser),
        Transition("approve", {S.ENDORSED}, S.APPROVED, gettext_lazy("批准授信"), _reviewer),
        Transition("refuse", {S.ENDORSED}, S.REFUSED, gettext_lazy("不予批准"), _reviewer),
        Transition("disburse", {S.APPROVED}, S.DISBURSED, gettext_lazy("登记放款"), _reviewer),
        Transition("overdue", {S.DISBURSED}, S.OVERDUE, gettext_lazy("登记逾期"), _reviewer),
        Transition("repay", {S.DISBURSED, S.OVERDUE}, S.REPAID, gettext_lazy("登记结清"), _reviewer),
    ],
    record_event=_credit_event,
    audit_org=lambda app: app.org,
    audit_details=lambda app: {"number": app.number, "institution": app.institution_id},
    stale_message=gettext_lazy("该申请已被他人处理，请刷新后重试。"),
)


def _ticket_event(ticket, **_e):
    return None  # the steps are the ticket's record (TicketStep, written by ticket_step)


TICKET_FLOW = Workflow(
    key="priority_ticket",
    model=PriorityTicket,
    transitions=[
        Transition(
            Priority.CONTACT, {TicketStatus.CONTACT}, TicketStatus.QUOTATION, Priority.CONTACT.label, can_answer
        ),
        Transition(
            Priority.QUOTATION, {TicketStatus.QUOTATION}, TicketStatus.SUPPLY, Priority.QUOTATION.label, can_answer
        ),
        Transition(Priority.SUPPLY, {TicketStatus.SUPPLY}, TicketStatus.AFTER_SALES, Priority.SUPPLY.label, can_answer),
        Transition(
            Priority.AFTER_SALES, {TicketStatus.AFTER_SALES}, TicketStatus.DONE, Priority.AFTER_SALES.label, can_answer
        ),
    ],
    record_event=_ticket_event,
    audit_org=lambda t: t.enterprise.org,
    audit_details=lambda t: {"number": t.number, "partner": t.partner_id},
    stale_message=gettext_lazy("该工单已被他人处理，请刷新后重试。"),
)


# --- checks ---------------------------------------------------------------------------------------------------------


def _text(value, *, field: str, label, limit: int, required: bool = True) -> str:
    value = str(value or "").strip()
    if required and not value:
        raise DomainError(_("请填写%(l)s。") % {"l": label}, field=field)
    if len(value) > limit:
        raise DomainError(_("%(l)s不能超过 %(n)d 个字。") % {"l": label, "n": limit}, field=field)
    if "\x00" in value:
        raise DomainError(_("%(l)s含有无法保存的字符。") % {"l": label}, field=field)
    return value


def _money(value, *, field: str, label, allow_zero: bool = False) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("请填写正确的%(l)s。") % {"l": label}, field=field) from None
    if not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero) or amount >= Decimal("1e13"):
        raise DomainError(_("请填写正确的%(l)s。") % {"l": label}, field=field)
    return amount


def _months(value, *, field: str, label, most: int) -> int:
    try:
        months = int(value)
    except (TypeError, ValueError):
        raise DomainError(_("请填写正确的%(l)s。") % {"l": label}, field=field) from None
    if months < 1:
        raise DomainError(_("请填写正确的%(l)s。") % {"l": label}, field=field)
    if months > most:
        raise DomainError(
            _("%(l)s %(m)d 个月超过产品的最长期限 %(n)d 个月。") % {"l": label, "m": months, "n": most}, field=field
        )
    return months


def _day(value, *, field: str, label, not_before: date | None = None) -> date:
    today = timezone.localdate()
    if value is None:
        return today
    if not isinstance(value, date):
        raise DomainError(_("请填写正确的%(l)s。") % {"l": label}, field=field)
    if value > today:
        raise DomainError(_("%(l)s不能晚于今天。") % {"l": label}, field=field)
    if not_before and value < not_before:
        raise DomainError(_("%(l)s不能早于 %(d)s。") % {"l": label, "d": not_before}, field=field)
    return value


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


# --- credit ---------------------------------------------------------------------------------------------------------


def zone_root() -> Organization:
    return Organization.get_root_nodes().order_by("path").first()


def application_org(enterprise) -> Organization:
    orgs = endorsing_orgs(enterprise)
    return orgs[0] if orgs else zone_root()


def _next_number(today: date) -> str:
    prefix = f"ZX{today:%Y}"
    n = next_in_sequence(
        prefix, start_after=lambda: CreditApplication.objects.filter(number__startswith=prefix).count()
    )
    return f"{prefix}{n:06d}"


@transaction.atomic
def credit_apply(*, actor, enterprise, product: CreditProduct, amount, term_months, purpose: str) -> CreditApplication:
    """An enterprise contact applies for a product of a financial institution."""
    if actor is not None and not can_use_for(actor, enterprise, CREDIT_APPLY):
        raise NotFound
    if not product.is_active or not product.institution.is_active:
        raise DomainError(_("该信贷产品已停售，请选择其他产品。"), field="product")
    amount = _money(amount, field="amount", label=_("申请金额"))
    if amount > product.amount_cap:
        raise DomainError(
            _("申请金额 %(a)s 元超过该产品的额度上限 %(c)s 元。")
            % {"a": _yuan(amount), "c": _yuan(product.amount_cap)},
            field="amount",
        )
    term = _months(term_months, field="term_months", label=_("申请期限"), most=product.term_months)
    purpose = _text(purpose, field="purpose", label=_("资金用途"), limit=300)
    open_ = CreditApplication.objects.filter(
        enterprise=enterprise, product=product, status__in=[S.SUBMITTED, S.ENDORSED]
    ).first()
    if open_ is not None:
        raise DomainError(
            _("该企业已有一笔此产品的申请（%(n)s）正在办理，请勿重复申请。") % {"n": open_.number}, field="product"
        )
    today = timezone.localdate()
    app = CreditApplication.objects.create(
        number=_next_number(today),
        enterprise=enterprise,
        product=product,
        institution=product.institution,
        org=application_org(enterprise),
        amount=amount,
        term_months=term,
        purpose=purpose,
        applied_on=today,
        applicant=actor if getattr(actor, "is_authenticated", False) else None,
    )
    CreditEvent.objects.create(
        application=app, actor=app.applicant, action="apply", before="", after=app.status, note=""
    )
    audit.record(
        actor=actor,
        action="credit.apply",
        obj=app,
        org=app.org,
        details={"number": app.number, "product": product.pk, "amount": str(amount)},
    )
    return app


def credit_evidence(enterprise, today: date | None = None) -> dict:
    """What the endorsement rests on: honours, party coverage, appeal and visit history (two years)."""
    today = today or timezone.localdate()
    since = (
        today.replace(year=today.year - 2)
        if not (today.month == 2 and today.day == 29)
        else today.replace(year=today.year - 2, day=28)
    )
    facts = enterprise_facts(enterprise)
    return {
        "honours": list(enterprise.tags.values_list("name", flat=True)),
        "party_status": facts.party_status,
        "party_status_label": facts.party_status_label,
        "members_employed": facts.members_employed,
        "appeals": Appeal.objects.filter(enterprise=enterprise, created_at__date__gte=since).count(),
        "visits": Visit.objects.filter(enterprise=enterprise, status=Visit.Status.DONE, visited_on__gte=since).count(),
        "star_rating": None,  # the enterprises' star rating does not exist yet
        "since": str(since),
    }


def _check_visible(actor, app, perm: str) -> None:
    if actor is not None and not applications_visible_to(actor, perm).filter(pk=app.pk).exists():
        raise NotFound


def _check_endorser(actor, app) -> None:
    if actor is None:
        return
    _check_visible(actor, app, CREDIT_ENDORSE)
    if not covers_for_endorsement(actor, app.enterprise):
        names = "、".join(o.name for o in endorsing_orgs(app.enterprise)) or _("党工委")
        raise DomainError(
            _("贵组织不覆盖该企业，不能推荐或否决此申请；应由“%(o)s”办理。") % {"o": names}, field="action"
        )


@transaction.atomic
def credit_endorse(*, actor, application: CreditApplication, note: str = "") -> CreditApplication:
    """The party organization endorses the application, with the evidence read now."""
    _check_endorser(actor, application)
    CREDIT_FLOW.check(application, "endorse")
    note = _text(note, field="note", label=_("推荐意见"), limit=500, required=False)
    today = timezone.localdate()
    return CREDIT_FLOW.move(
        actor=actor,
        obj=application,
        action="endorse",
        note=note,
        changes={
            "evidence": credit_evidence(application.enterprise, today),
            "endorsement": note,
            "endorsed_on": today,
            "decision_due": add_working_days(today, DECISION_SLA_DAYS),
        },
    )


@transaction.atomic
def credit_decline(*, actor, application: CreditApplication, reason: str) -> CreditApplication:
    _check_endorser(actor, application)
    CREDIT_FLOW.check(application, "decline")
    reason = _text(reason, field="reason", label=_("不予推荐原因"), limit=300)
    return CREDIT_FLOW.move(
        actor=actor, obj=application, action="decline", note=reason, changes={"decline_reason": reason}
    )


def _check_reviewer(actor, app) -> None:
    if actor is None:
        return
    mine = institutions_of(actor)
    if not mine:
        raise NotFound
    if app.institution_id not in mine:
        raise DomainError(_("该申请不是发给贵机构的，不能办理。"), field="action")
    _check_visible(actor, app, CREDIT_DECIDE)


@transaction.atomic
def credit_approve(*, actor, application: CreditApplication, amount, rate, term_months) -> CreditApplication:
    _check_reviewer(actor, application)
    CREDIT_FLOW.check(application, "approve")
    product = application.product
    amount = _money(amount, field="amount", label=_("批准金额"))
    if amount > product.amount_cap:
        raise DomainError(
            _("批准金额 %(a)s 元超过该产品的额度上限 %(c)s 元。")
            % {"a": _yuan(amount), "c": _yuan(product.amount_cap)},
            field="amount",
        )
    try:
        rate = Decimal(str(rate)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("请填写正确的执行年利率。"), field="rate") from None
    if not rate.is_finite() or rate <= 0 or rate > MAX_RATE:
        raise DomainError(_("执行年利率应在 0 到 %(m)s%% 之间。") % {"m": MAX_RATE}, field="rate")
    term = _months(term_months, field="term_months", label=_("批准期限"), most=product.term_months)
    return CREDIT_FLOW.move(
        actor=actor,
        obj=application,
        action="approve",
        note=_("批准 %(a)s 元，年利率 %(r)s%%，%(t)d 个月") % {"a": _yuan(amount), "r": rate, "t": term},
        changes={
            "approved_amount": amount,
            "approved_rate": rate,
            "approved_term_months": term,
            "rate_preference": product.rate_preference,
            "decided_on": timezone.localdate(),
        },
    )


@transaction.atomic
def credit_refuse(*, actor, application: CreditApplication, reason: str) -> CreditApplication:
    _check_reviewer(actor, application)
    CREDIT_FLOW.check(application, "refuse")
    reason = _text(reason, field="reason", label=_("不予批准原因"), limit=300)
    return CREDIT_FLOW.move(
        actor=actor,
        obj=application,
        action="refuse",
        note=reason,
        changes={"refuse_reason": reason, "decided_on": timezone.localdate()},
    )


@transaction.atomic
def credit_disburse(*, actor, application: CreditApplication, amount, on: date | None = None) -> CreditApplication:
    _check_reviewer(actor, application)
    CREDIT_FLOW.check(application, "disburse")
    amount = _money(amount, field="amount", label=_("放款金额"))
    if amount > application.approved_amount:
        raise DomainError(
            _("放款金额 %(a)s 元超过批准金额 %(c)s 元。")
            % {"a": _yuan(amount), "c": _yuan(application.approved_amount)},
            field="amount",
        )
    on = _day(on, field="on", label=_("放款日期"), not_before=application.decided_on)
    return CREDIT_FLOW.move(
        actor=actor,
        obj=application,
        action="disburse",
        note=_("放款 %(a)s 元") % {"a": _yuan(amount)},
        changes={"disbursed_amount": amount, "disbursed_on": on},
    )


@transaction.atomic
def credit_overdue(*, actor, application: CreditApplication, reason: str = "") -> CreditApplication:
    _check_reviewer(actor, application)
    CREDIT_FLOW.check(application, "overdue")
    reason = _text(reason, field="reason", label=_("说明"), limit=300, required=False)
    return CREDIT_FLOW.move(actor=actor, obj=application, action="overdue", note=reason)


@transaction.atomic
def credit_repay(*, actor, application: CreditApplication, on: date | None = None) -> CreditApplication:
    _check_reviewer(actor, application)
    CREDIT_FLOW.check(application, "repay")
    on = _day(on, field="on", label=_("结清日期"), not_before=application.disbursed_on)
    return CREDIT_FLOW.move(actor=actor, obj=application, action="repay", changes={"repaid_on": on})


# --- partner offers and four-priorities tickets ---------------------------------------------------------------------


@transaction.atomic
def offer_publish(
    *,
    actor,
    partner,
    title: str,
    terms: str,
    valid_from: date,
    valid_until: date,
    eligibility: str = "",
    building=None,
    chain=None,
) -> PartnerOffer:
    """A partner (its contact, or the zone for it) publishes an offer to a building, a chain or the whole zone."""
    if actor is not None and not (
        partner.pk in partners_of(actor, OFFERS_PUBLISH) or covers_whole_zone(actor, OFFERS_PUBLISH)
    ):
        raise NotFound
    title = _text(title, field="title", label=_("优惠名称"), limit=120)
    terms = _text(terms, field="terms", label=_("优惠条款"), limit=5000)
    eligibility = _text(eligibility, field="eligibility", label=_("适用企业"), limit=300, required=False)
    if building is not None and chain is not None:
        raise DomainError(_("请只选择一个楼宇或一条产业链；都不选则面向全区。"), field="chain")
    if not isinstance(valid_from, date) or not isinstance(valid_until, date):
        raise DomainError(_("请填写优惠的开始和截止日期。"), field="valid_until")
    if valid_until < valid_from:
        raise DomainError(_("截止日期早于开始日期。"), field="valid_until")
    if valid_until < timezone.localdate():
        raise DomainError(_("截止日期已过，不能发布。"), field="valid_until")
    offer = PartnerOffer.objects.create(
        partner=partner,
        title=title,
        terms=terms,
        eligibility=eligibility,
        building=building,
        chain=chain,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(actor=actor, action="offer.publish", obj=offer, details={"partner": partner.pk, "title": title})
    return offer


@transaction.atomic
def offer_withdraw(*, actor, offer: PartnerOffer) -> PartnerOffer:
    if actor is not None and not (
        offer.partner_id in partners_of(actor, OFFERS_PUBLISH) or covers_whole_zone(actor, OFFERS_PUBLISH)
    ):
        raise NotFound
    if offer.is_withdrawn:
        raise DomainError(_("该优惠已撤回。"))
    offer.is_withdrawn = True
    offer.save(update_fields=["is_withdrawn", "updated_at"])
    audit.record(actor=actor, action="offer.withdraw", obj=offer, details={"partner": offer.partner_id})
    return offer


def offer_reaches(offer: PartnerOffer, enterprise) -> bool:
    if offer.building_id and enterprise.building_id != offer.building_id:
        return False
    return not (
        offer.chain_id
        and not ChainMembership.objects.filter(enterprise=enterprise, node__chain_id=offer.chain_id).exists()
    )


def _next_ticket_number(today: date) -> str:
    prefix = f"YX{today:%Y}"
    n = next_in_sequence(prefix, start_after=lambda: PriorityTicket.objects.filter(number__startswith=prefix).count())
    return f"{prefix}{n:06d}"


@transaction.atomic
def ticket_open(*, actor, offer: PartnerOffer, enterprise, need: str) -> PriorityTicket:
    """An enterprise uses an offer: a ticket whose first step (priority contact) is due in its SLA."""
    if actor is not None and not can_use_for(actor, enterprise, TICKETS_OPEN):
        raise NotFound
    today = timezone.localdate()
    if offer.is_withdrawn or not (offer.valid_from <= today <= offer.valid_until):
        raise DomainError(_("该优惠不在有效期内，不能使用。"), field="offer")
    if not offer_reaches(offer, enterprise):
        raise DomainError(_("该优惠不面向贵企业所在的楼宇或产业链。"), field="offer")
    need = _text(need, field="need", label=_("需求说明"), limit=500)
    ticket = PriorityTicket.objects.create(
        number=_next_ticket_number(today),
        offer=offer,
        partner_id=offer.partner_id,
        enterprise=enterprise,
        need=need,
        opened_on=today,
        current_due=add_working_days(today, TICKET_SLA_DAYS[Priority.CONTACT]),
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action="priority_ticket.open",
        obj=ticket,
        org=enterprise.org,
        details={"number": ticket.number, "offer": offer.pk},
    )
    return ticket


@transaction.atomic
def ticket_step(*, actor, ticket: PriorityTicket, kind: str, note: str = "") -> PriorityTicket:
    """The partner answers the current priority; the steps go in order (contact, quotation, supply, after-sales)."""
    if actor is not None and (
        not tickets_visible_to(actor).filter(pk=ticket.pk).exists() or not can_answer(actor, ticket)
    ):
        raise NotFound
    if kind not in Priority.values:
        raise DomainError(_("未知操作。"), field="action")
    if ticket.status == TicketStatus.DONE:
        raise DomainError(_("该工单的四个优先步骤均已完成。"), field="action")
    if kind != ticket.status:
        raise DomainError(
            _("请按顺序办理：当前应办理“%(c)s”，不能办理“%(k)s”。")
            % {"c": Priority(ticket.status).label, "k": Priority(kind).label},
            field="action",
        )
    note = _text(note, field="note", label=_("答复"), limit=500)
    today = timezone.localdate()
    due = ticket.current_due or today
    position = PRIORITY_ORDER.index(kind)
    following = PRIORITY_ORDER[position + 1] if position + 1 < len(PRIORITY_ORDER) else None
    TicketStep.objects.create(
        ticket=ticket,
        kind=kind,
        due_on=due,
        done_on=today,
        on_time=today <= due,
        note=note,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    next_due = add_working_days(today, TICKET_SLA_DAYS[following]) if following else None
    return TICKET_FLOW.move(actor=actor, obj=ticket, action=kind, note=note, changes={"current_due": next_due})


@transaction.atomic
def ticket_declare_savings(*, actor, ticket: PriorityTicket, amount) -> PriorityTicket:
    """The enterprise declares what the offer saved it (once it has the partner's quotation)."""
    if actor is not None and not can_use_for(actor, ticket.enterprise, TICKETS_OPEN):
        raise NotFound
    if ticket.status in (TicketStatus.CONTACT, TicketStatus.QUOTATION):
        raise DomainError(_("合作单位报价后才能申报节约金额。"), field="savings")
    amount = _money(amount, field="savings", label=_("节约金额"), allow_zero=True)
    locked = PriorityTicket.objects.select_for_update().get(pk=ticket.pk)
    locked.savings = amount
    locked.version += 1
    locked.save(update_fields=["savings", "version", "updated_at"])
    audit.record(
        actor=actor,
        action="priority_ticket.savings",
        obj=locked,
        org=locked.enterprise.org,
        details={"number": locked.number, "savings": str(amount)},
    )
    return locked
