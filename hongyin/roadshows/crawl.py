"""Permission-crawler samples (hongyin.common.crawl): an event of the canary committee (only the zone sees it), one
of the photonics chain (its committee and the zone; an enterprise contact whose firm presents), an outcome of
each, the chain's catalogue and package, a package request of the demo contact's enterprise, and numbers that
exist nowhere. The check-in page is sampled with a valid code of the chain's event (whoever holds the code may
check in) and a forged one (nobody)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from hongyin.common.crawl import Sample, crawl_samples

MISSING = 10**9


def _made(ctx):
    from hongyin.enterprises.models import Enterprise

    from . import services
    from .models import Event, OutcomeStage, Package

    made = getattr(ctx, "_roadshows_made", None)
    if made is not None:
        return made
    day = timezone.localdate() - timedelta(days=5)
    canary = services.event_create(
        actor=None,
        title=f"{ctx.canary.committee.name}路演",
        kind="roadshow",
        held_on=day,
        organizers=[ctx.canary.committee],
    )
    ctx.canary.names[canary.title] = {"zone_admin", "audit_admin"}
    services.presentation_add(actor=None, event=canary, enterprise=ctx.canary.enterprise, project="探针项目")
    services.event_hold(actor=None, event=canary)
    canary_outcome = services.outcome_record(
        actor=None,
        event=canary,
        stage=OutcomeStage.INTENTION,
        project="探针项目",
        enterprise=ctx.canary.enterprise,
        occurred_on=day,
        follow_up_due=day + timedelta(days=30),
    )
    contact_firm = Enterprise.objects.get(pk=ctx.users["enterprise_contact"].assignments[0].enterprise_id)
    chain_event = Event.objects.filter(organizers=ctx.zone.chain, status="held").order_by(
        "id"
    ).first() or services.event_create(
        actor=None, title="产业链路演（抽查）", kind="roadshow", held_on=day, organizers=[ctx.zone.chain]
    )
    if chain_event.status != "held":
        services.event_hold(actor=None, event=chain_event)
    if not chain_event.presentations.filter(enterprise=contact_firm).exists():
        services.presentation_add(
            actor=None, event=chain_event, enterprise=contact_firm, project="抽查项目", financing_sought=Decimal("100")
        )
    chain_outcome = services.outcome_record(
        actor=None,
        event=chain_event,
        stage=OutcomeStage.INTENTION,
        project="抽查项目",
        enterprise=contact_firm,
        occurred_on=max(chain_event.held_on, day),
        follow_up_due=timezone.localdate() + timedelta(days=30),
    )
    package = Package.objects.filter(package_parts__isnull=False).order_by("id").first()
    package_request = None
    if package is not None:
        package_request = services.package_request(actor=None, package=package, enterprise=contact_firm)
    made = {
        "events": [canary, chain_event],
        "outcomes": [canary_outcome, chain_outcome],
        "package": package,
        "package_request": package_request,
        "offering": package.package_parts.first().offering if package else None,
    }
    ctx._roadshows_made = made
    return made


@crawl_samples(
    "roadshows:detail",
    "GET /api/v1/roadshows/events/{event_id}",
    "GET /api/v1/roadshows/events/{event_id}/outcomes",
)
def event_samples(ctx):
    from .permissions import events_visible_to

    out = [Sample({"pk": MISSING, "event_id": MISSING}, set())]
    for e in _made(ctx)["events"]:
        out.append(Sample({"pk": e.pk, "event_id": e.pk}, ctx.scoped(events_visible_to, e.pk, takes_perm=False)))
    return out


@crawl_samples(
    "roadshows:edit",
    "roadshows:qr",
    "roadshows:add",
    "roadshows:act",
    "POST /api/v1/roadshows/events/{event_id}/presentations",
    "POST /api/v1/roadshows/events/{event_id}/outcomes",
    "POST /api/v1/roadshows/events/{event_id}/{action}",
)
def manage_samples(ctx):
    from .permissions import events_managed_by

    def managed(user, *_a):
        return events_managed_by(user)

    out = [Sample({"pk": MISSING, "event_id": MISSING, "part": "presentation", "action": "hold"}, set())]
    for e in _made(ctx)["events"]:
        who = ctx.scoped(managed, e.pk, takes_perm=False)
        out.append(Sample({"pk": e.pk, "event_id": e.pk, "part": "presentation", "action": "hold"}, who))
    return out


@crawl_samples("roadshows:attend")
def attend_samples(ctx):
    """A registration number under an event it does not belong to (or none): nothing for anyone."""
    return [Sample({"pk": e.pk, "reg_pk": MISSING}, set()) for e in _made(ctx)["events"]]


@crawl_samples("roadshows:outcome_act", "POST /api/v1/roadshows/outcomes/{outcome_id}/{action}")
def outcome_samples(ctx):
    from .permissions import events_managed_by

    out = [Sample({"pk": MISSING, "outcome_id": MISSING, "action": "follow_up"}, set())]
    for o in _made(ctx)["outcomes"]:
        who = ctx.scoped(lambda user, *_a: events_managed_by(user), o.event_id, takes_perm=False)
        out.append(Sample({"pk": o.pk, "outcome_id": o.pk, "action": "follow_up"}, who))
    return out


@crawl_samples("roadshows:checkin")
def checkin_samples(ctx):
    from . import services

    chain_event = _made(ctx)["events"][1]
    return [
        Sample({"code": "forged-code"}, set()),
        Sample({"code": services.checkin_code(chain_event)}, ctx.with_perm()),
    ]


@crawl_samples(
    "roadshows:service_request",
    "roadshows:package_apply",
    "POST /api/v1/roadshows/services/{offering_id}/requests",
    "POST /api/v1/roadshows/packages/{package_id}/requests",
)
def request_samples(ctx):
    made = _made(ctx)
    out = [Sample({"pk": MISSING, "offering_id": MISSING, "package_id": MISSING}, set(), body={"enterprise_id": 1})]
    if made["package"] is not None:
        kwargs = {"pk": made["package"].pk, "offering_id": made["offering"].pk, "package_id": made["package"].pk}
        out.append(Sample(kwargs, ctx.with_perm()))  # the catalogue is the zone's: every requester may apply
    return out


@crawl_samples("roadshows:package_request", "GET /api/v1/roadshows/package-requests/{request_id}")
def package_request_samples(ctx):
    from .permissions import package_requests_visible_to

    out = [Sample({"pk": MISSING, "request_id": MISSING}, set())]
    pr = _made(ctx)["package_request"]
    if pr is not None:
        who = ctx.scoped(lambda user, *_a: package_requests_visible_to(user), pr.pk, takes_perm=False)
        out.append(Sample({"pk": pr.pk, "request_id": pr.pk}, who))
    return out
