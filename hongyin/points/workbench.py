"""Workbench panels of the points ledger: a member's own points this year; a secretary's branch top five (or a
note that the zone has switched rankings off)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from . import selectors


@panel(
    key="points_mine",
    title=_("我的积分"),
    template="accounts/panels/figures.html",
    perm="points.view",
    section="figures",
    order=60,
)
def points_mine(user) -> dict:
    member = selectors.own_member(user)
    if member is None:
        return {"figures": []}
    year = timezone.localdate().year
    p = selectors.own_points(member, year, limit=0)
    url = reverse("points:mine")
    return {"figures": [(_("本年度积分"), p.total, url), (_("累计积分"), sum(pts for _y, pts in p.years), url)]}


@panel(
    key="points_ranking",
    title=_("积分排行"),
    template="points/panels/ranking.html",
    perm="points.rank",
    section="figures",
    order=61,
)
def points_ranking(user) -> dict:
    if not selectors.rankings_enabled():
        return {"enabled": False}
    org = selectors.default_rank_org(user)
    if org is None:
        return {"enabled": True, "rows": []}
    year = timezone.localdate().year
    if selectors.is_branch(org):
        rows = selectors.branch_ranking(org, year, limit=5)
    else:
        rows = selectors.subtree_ranking(org, year, limit=5)
    return {"enabled": True, "org": org, "rows": rows, "url": f"{reverse('points:ranking')}?org={org.pk}"}
