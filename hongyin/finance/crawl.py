"""Permission-crawler samples: a credit application and a ticket of the canary enterprise (only the zone sees them;
the application is sent to another institution than the demo reviewer's), an application of the demo contact's
enterprise sent to the demo reviewer's institution, a ticket of the demo contact's enterprise with the demo partner,
and numbers that exist nowhere."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from hongyin.common.crawl import Sample, crawl_samples

MISSING = 10**9


def _made(ctx):
    from hongyin.directory.models import FinancialInstitution, Partner

    from .models import CreditProduct, CreditStatus, PartnerOffer
    from .services import credit_apply, ticket_open

    made = getattr(ctx, "_finance_made", None)
    if made is not None:
        return made
    today = timezone.localdate()
    reviewer = ctx.users["bank_reviewer"].assignments[0].financial_institution
    other = FinancialInstitution.objects.exclude(pk=reviewer.pk).exclude(kind="fund").order_by("pk").first()
    own_product = CreditProduct.objects.create(
        institution=reviewer, name="探针产品甲", amount_cap=Decimal("5000000"), term_months=36, rate_preference=1
    )
    other_product = CreditProduct.objects.create(
        institution=other, name="探针产品乙", amount_cap=Decimal("5000000"), term_months=36, rate_preference=1
    )
    contact_ent = ctx.users["enterprise_contact"].assignments[0].enterprise
    canary_app = credit_apply(
        actor=None, enterprise=ctx.canary.enterprise, product=other_product, amount=100000, term_months=12, purpose="x"
    )
    own_app = credit_apply(
        actor=None, enterprise=contact_ent, product=own_product, amount=100000, term_months=12, purpose="y"
    )
    canary_sent = credit_apply(
        actor=None, enterprise=ctx.canary.enterprise, product=own_product, amount=100000, term_months=12, purpose="z"
    )
    type(own_app).objects.filter(pk__in=[canary_app.pk, own_app.pk]).update(status=CreditStatus.ENDORSED)
    ctx.canary.names[canary_app.number] = {"zone_admin", "audit_admin"}
    partner = Partner.objects.get(pk=ctx.users["partner_contact"].assignments[0].partner_id)
    other_partner = Partner.objects.exclude(pk=partner.pk).order_by("pk").first()
    zone_offer = PartnerOffer.objects.create(
        partner=partner, title="探针优惠", terms="-", valid_from=today, valid_until=today + timedelta(days=30)
    )
    other_offer = PartnerOffer.objects.create(
        partner=other_partner, title="探针优惠乙", terms="-", valid_from=today, valid_until=today + timedelta(days=30)
    )
    own_ticket = ticket_open(actor=None, offer=zone_offer, enterprise=contact_ent, need="探针需求")
    canary_ticket = ticket_open(actor=None, offer=other_offer, enterprise=ctx.canary.enterprise, need="探针需求乙")
    ctx.canary.names[canary_ticket.number] = {"zone_admin", "audit_admin"}
    made = {
        "apps": [canary_app, own_app, canary_sent],
        "tickets": [own_ticket, canary_ticket],
        "offers": [zone_offer, other_offer],
    }
    ctx._finance_made = made
    return made


@crawl_samples(
    "finance:credit_detail",
    "finance:credit_act",
    "GET /api/v1/finance/credit/applications/{application_id}",
    "POST /api/v1/finance/credit/applications/{application_id}/{action}",
)
def application_samples(ctx):
    from .permissions import applications_visible_to

    def visible(user, *_args):
        return applications_visible_to(user)

    out = [Sample({"pk": MISSING, "application_id": MISSING, "action": "endorse"}, set())]
    for a in _made(ctx)["apps"]:
        out.append(
            Sample(
                {"pk": a.pk, "application_id": a.pk, "action": "endorse"},
                ctx.scoped(visible, a.pk, takes_perm=False),
                body={"note": ""},
            )
        )
    return out


@crawl_samples("finance:offer_detail")
def offer_samples(ctx):
    from .permissions import offers_visible_to

    out = [Sample({"pk": MISSING}, set())]
    for o in _made(ctx)["offers"]:
        out.append(Sample({"pk": o.pk}, ctx.scoped(offers_visible_to, o.pk, takes_perm=False)))
    return out


@crawl_samples(
    "finance:ticket_detail",
    "finance:ticket_act",
    "GET /api/v1/finance/tickets/{ticket_id}",
    "POST /api/v1/finance/tickets/{ticket_id}/{action}",
)
def ticket_samples(ctx):
    from .permissions import tickets_visible_to

    def visible(user, *_args):
        return tickets_visible_to(user)

    out = [Sample({"pk": MISSING, "ticket_id": MISSING, "action": "contact"}, set())]
    for t in _made(ctx)["tickets"]:
        out.append(
            Sample(
                {"pk": t.pk, "ticket_id": t.pk, "action": "contact"},
                ctx.scoped(visible, t.pk, takes_perm=False),
                body={"note": ""},
            )
        )
    return out
