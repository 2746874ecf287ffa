from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongyin.common.search import searcher

from .permissions import enterprises_visible_to
from .selectors import search_q


@searcher(key="enterprises", title=_("企业"), perm="enterprises.view")
def search_enterprises(user, q: str) -> list[dict]:
    """By name, former name, pinyin or initials, USCC, tag, chain node or building."""
    q = (q or "").strip()
    if not q:
        return []
    qs = enterprises_visible_to(user).filter(search_q(q)).select_related("building").order_by("name")[:10]
    return [
        {
            "label": e.name,
            "url": reverse("enterprises:detail", args=[e.pk]),
            "extra": " · ".join(x for x in (e.uscc, e.building.name if e.building else "") if x),
        }
        for e in qs
    ]
