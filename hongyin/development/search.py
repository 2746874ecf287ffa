"""Global search: development cases by name (scoped like the list)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongyin.common.search import searcher

from .selectors import case_list


@searcher(key="development_cases", title=_("发展党员"), perm="development.manage")
def search_cases(user, q: str) -> list[dict]:
    return [
        {
            "label": c.name,
            "url": reverse("development:detail", args=[c.pk]),
            "extra": f"{c.get_stage_display()} · {c.branch.name}",
        }
        for c in case_list(user=user, q=q)[:10]
    ]
