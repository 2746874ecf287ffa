"""Global search: transfers by number, member name or outside organization (scoped)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongyin.common.search import searcher

from .selectors import transfer_list


@searcher(key="transfers", title=_("组织关系转接"), perm="transfers.view")
def search_transfers(user, q: str) -> list[dict]:
    return [
        {
            "label": f"{t.number} {t.member_name}",
            "url": reverse("transfers:detail", args=[t.pk]),
            "extra": t.get_status_display(),
        }
        for t in transfer_list(user=user, status="all", q=q)[:10]
    ]
