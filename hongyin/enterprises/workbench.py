"""Workbench figures: vacancy of the user's buildings, chain gaps (两个覆盖 is grid's panel: its coverage page)."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from .permissions import buildings_visible_to, enterprises_visible_to


def _pct(part, total) -> str:
    return f"{part * 100 / total:.1f}%" if total else "—"


@panel(
    key="building_vacancy",
    title=_("楼宇经济"),
    template="accounts/panels/figures.html",
    perm="buildings.view",
    order=31,
)
def building_vacancy(user) -> dict:
    from .selectors import buildings_with_figures, tier_of

    buildings = list(buildings_with_figures(user)) if buildings_visible_to(user).exists() else []
    leasable = sum(b.leasable_area for b in buildings)
    vacant = sum(b.vacant_area for b in buildings)
    tiers = sum(1 for b in buildings if tier_of(b.annual_tax)[0] in ("hundred_million", "ten_billion"))
    url = reverse("enterprises:building_list")  # the same selector lists the same buildings
    return {
        "figures": [
            (_("楼宇"), len(buildings), url),
            (_("空置率"), _pct(float(vacant), float(leasable)), url),
            (_("亿元楼及以上"), tiers, url),
        ]
    }


@panel(key="chain_gaps", title=_("产业链"), template="accounts/panels/figures.html", perm="chains.manage", order=32)
def chain_gaps(user) -> dict:
    from .models import ChainNode
    from .permissions import chains_visible_to

    chains = chains_visible_to(user, "chains.manage")
    nodes = ChainNode.objects.filter(chain__in=chains, numchild=0).annotate(n=Count("memberships"))
    gaps = sum(1 for n in nodes if n.n == 0)
    on_chain = (
        enterprises_visible_to(user).filter(chain_memberships__node__chain__in=chains).distinct().count()
        if chains
        else 0
    )
    url = reverse("enterprises:chain_list")  # one chain opens its map, where the gaps are drawn grey
    return {"figures": [(_("产业链"), len(chains), url), (_("链上企业"), on_chain, url), (_("待补链环节"), gaps, url)]}
