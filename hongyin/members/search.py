from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongyin.common.fields import mask_name
from hongyin.common.search import searcher

from .permissions import can_view_personal_data, members_visible_to
from .selectors import search_q


@searcher(key="members", title=_("党员"), perm="members.view")
def search_members(user, q: str) -> list[dict]:
    """By name, full pinyin or initials (zhangwei, zw)."""
    q = (q or "").strip()[:40]
    if not q:
        return []
    names = can_view_personal_data(user)
    qs = (
        members_visible_to(user)
        .filter(search_q(q), left_on__isnull=True)
        .select_related("org")
        .order_by("name_pinyin", "id")[:10]
    )
    return [
        {
            "label": m.name if names else mask_name(m.name),
            "url": reverse("members:detail", args=[m.pk]),
            "extra": m.org.name,
        }
        for m in qs
    ]
