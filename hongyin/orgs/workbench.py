from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from .models import BRANCH_KINDS
from .permissions import orgs_visible_to


@panel(key="org_figures", title=_("组织概况"), template="accounts/panels/figures.html", perm="orgs.view", order=20)
def org_figures(user) -> dict:
    counts = orgs_visible_to(user).aggregate(total=Count("pk"), branches=Count("pk", filter=Q(kind__in=BRANCH_KINDS)))
    return {"figures": [(_("党组织"), counts["total"]), (_("党支部"), counts["branches"])]}
