from django.utils.translation import gettext_lazy as _

from hongyin.common.search import searcher

from .permissions import appeals_visible_to


@searcher(key="appeals", title=_("诉求"), perm="appeals.view")
def search_appeals(user, q: str) -> list[dict]:
    q = q.strip().upper()
    if len(q) < 4:
        return []
    qs = (
        appeals_visible_to(user).filter(number__startswith=q)
        if q.startswith("GD")
        else appeals_visible_to(user).filter(title__icontains=q)
    )
    return [
        {"label": f"{a.number} {a.title}", "url": a.get_absolute_url(), "extra": a.get_status_display()}
        for a in qs.only("id", "number", "title", "status").order_by("-id")[:10]
    ]
