from datetime import date, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from .models import BRANCH_KINDS, TERM_WARNING_DAYS, terms_due_by
from .permissions import orgs_visible_to


# For those who keep organizations (a member's "1 organization / 1 branch" says nothing: its workbench shows its own
# standing instead, the dues app's my_dues panel).
@panel(key="org_figures", title=_("组织概况"), template="accounts/panels/figures.html", perm="members.view", order=20)
def org_figures(user) -> dict:
    counts = orgs_visible_to(user).aggregate(total=Count("pk"), branches=Count("pk", filter=Q(kind__in=BRANCH_KINDS)))
    url = reverse("orgs:tree")
    return {"figures": [(_("党组织"), counts["total"], url), (_("党支部"), counts["branches"], url)]}


@panel(
    key="org_terms",
    title=_("换届提醒"),
    template="orgs/panels/terms.html",
    perm="orgs.manage",
    section="todo",
    order=15,
)
def org_terms(user) -> dict:
    """Organizations whose term ends within 90 days, or has ended (a red flag), overdue first."""
    today = date.today()
    candidates = (
        orgs_visible_to(user)
        .filter(terms_due_by(today + timedelta(days=TERM_WARNING_DAYS)), dissolved_on__isnull=True)
        .only("pk", "name", "term_started_on", "term_years", "is_village_community")
    )
    items = []
    for o in candidates:
        state = o.term_state(today)
        if state in ("due", "overdue"):
            items.append((o, state))
    items.sort(key=lambda i: (i[1] != "overdue", i[0].term_ends_on))
    return {"items": items[:8], "more": max(len(items) - 8, 0)}
