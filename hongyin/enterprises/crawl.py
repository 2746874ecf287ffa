"""Permission-crawler samples (hongyin.common.crawl) for the incubation graduation and the platform writes."""

from datetime import date

from hongyin.common.crawl import Sample, crawl_samples

MISSING = 10**9  # a pk that exists nowhere


@crawl_samples("enterprises:incubation_graduate")
def graduate_samples(ctx):
    from .models import Incubation, IncubationBase
    from .permissions import enterprises_visible_to

    base = IncubationBase.objects.order_by("pk").first()
    instructed = ctx.users["instructor"].role_assignments.select_related("enterprise").first().enterprise
    out = []
    stays = []
    for e in (ctx.canary.enterprise, instructed):
        stay = Incubation.objects.filter(enterprise=e, graduated_on__isnull=True).first()
        if stay is None and base is not None:
            stay = Incubation.objects.create(enterprise=e, base=base, entered_on=date(2024, 1, 1))
        if stay is not None:
            stays.append(stay)
            out.append(Sample({"pk": e.pk, "stay_pk": stay.pk}, ctx.scoped(enterprises_visible_to, e.pk)))
    if len(stays) == 2:  # a stay is found only among the stays of the enterprise in the URL
        out.append(Sample({"pk": stays[1].enterprise_id, "stay_pk": stays[0].pk}, set(), note="stay of another"))
    return out or [Sample({"pk": MISSING, "stay_pk": MISSING}, set())]


def _chain_platform_samples(ctx, *, with_platform: bool):
    from .models import IndustryChain
    from .permissions import chains_visible_to

    out = []
    for chain in IndustryChain.objects.order_by("pk")[:2]:
        platform = chain.platforms.order_by("pk").first()
        if with_platform and platform is None:
            continue
        kwargs = {"pk": chain.pk, "chain_id": chain.pk}
        if with_platform:
            kwargs |= {"platform_pk": platform.pk, "platform_id": platform.pk}
        out.append(Sample(kwargs, ctx.scoped(chains_visible_to, chain.pk), body={"name": "爬虫", "kind": "platform"}))
        if with_platform:  # the platform under a chain it does not belong to
            out.append(
                Sample(
                    {"pk": MISSING, "chain_id": MISSING, "platform_pk": platform.pk, "platform_id": platform.pk},
                    set(),
                    body={"name": "爬虫"},
                )
            )
    return out or [Sample({"pk": MISSING, "chain_id": MISSING}, set())]


@crawl_samples("enterprises:chain_platform_add", "POST /api/v1/enterprises/chains/{chain_id}/platforms")
def platform_add_samples(ctx):
    return _chain_platform_samples(ctx, with_platform=False)


@crawl_samples(
    "enterprises:chain_platform_edit",
    "enterprises:chain_platform_delete",
    "PATCH /api/v1/enterprises/chains/{chain_id}/platforms/{platform_id}",
    "DELETE /api/v1/enterprises/chains/{chain_id}/platforms/{platform_id}",
)
def platform_samples(ctx):
    return _chain_platform_samples(ctx, with_platform=True)


@crawl_samples("enterprises:link_request_decide", "POST /api/v1/enterprises/link-requests/{request_id}/decide")
def link_request_samples(ctx):
    """A pending request of the chain committee for the canary enterprise: only the zone may decide it."""
    from .models import ChainNode, EnterpriseLinkRequest
    from .permissions import link_requests_decidable_by

    node = ChainNode.objects.order_by("path").first()
    e = ctx.canary.enterprise
    req, _created = EnterpriseLinkRequest.objects.get_or_create(
        kind="chain", uscc=e.uscc, enterprise=e, requester=ctx.users["chain_admin"], node=node, status="pending"
    )
    body = {"approve": False, "reason": "爬虫"}
    return [
        Sample(
            {"pk": req.pk, "request_id": req.pk},
            ctx.scoped(link_requests_decidable_by, req.pk, takes_perm=False),
            body=body,
        ),
        Sample({"pk": MISSING, "request_id": MISSING}, set(), body=body),
    ]
