"""Workbench panels of supply-demand matching. Each figure links to the page whose selector computes it."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hongyin.common.workbench import panel

from . import selectors
from .permissions import own_enterprise_ids


@panel(
    key="matching_contact",
    title=pgettext_lazy("app", "供需对接"),
    template="development/panels/todo.html",
    perm="matching.post",
    section="todo",
    order=40,
)
def matching_contact(user) -> dict:
    pending = selectors.pending_for(user=user).count()
    items = [(_("待回复的对接请求"), pending, reverse("matching:contacts") + "?box=pending", pending > 0)]
    if own_enterprise_ids(user):
        new = selectors.new_matches(user=user).count()
        items.insert(0, (_("本企业供需信息一周内的新匹配"), new, reverse("matching:list") + "?mine=1", False))
    return {"items": items}


@panel(
    key="matching_chain",
    title=_("产业链供需对接"),
    template="accounts/panels/figures.html",
    perm="matching.figures",
    section="figures",
    order=45,
)
def matching_chain(user) -> dict:
    unmatched = selectors.unmatched(selectors.post_list(user=user)).count()
    result = selectors.chain_figures(user=user)
    total = result.total
    rate = "—" if total.local_rate is None else f"{total.local_rate}%"
    figures_url = reverse("matching:figures")
    return {
        "figures": [
            (_("尚无匹配的供需"), unmatched, reverse("matching:list") + "?unmatched=1"),
            (_("近一年成交"), total.deals, figures_url),
            (_("成交金额（万元）"), f"{total.value:.2f}", figures_url),
            (_("本地配套率"), rate, figures_url),
        ],
        "today": timezone.localdate(),
    }
