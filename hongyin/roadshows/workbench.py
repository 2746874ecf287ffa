"""Workbench panels: the chain admin's follow-ups due (the outcomes page's own selector, ?due=1), and the
enterprise contact's service requests with their states (the requests page's selector)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from . import selectors


@panel(
    key="roadshows_follow_ups",
    title=_("路演成果待跟进"),
    template="roadshows/panels/follow_ups.html",
    perm="roadshows.manage",
    section="todo",
    order=40,
)
def follow_ups(user) -> dict:
    today = timezone.localdate()
    qs = selectors.follow_ups_due(user=user, today=today)
    rows = list(qs[:6])
    count = qs.count() if len(rows) == 6 else len(rows)
    return {
        "rows": rows,
        "count": count,
        "overdue": any(o.follow_up_due < today for o in rows),
        "today": today,
        "url": reverse("roadshows:outcomes") + "?due=1",
    }


@panel(
    key="roadshows_my_requests",
    title=_("我的服务申请"),
    template="roadshows/panels/my_requests.html",
    perm="appeals.rate",  # the enterprise contact's (its enterprise's requests)
    section="todo",
    order=41,
)
def my_requests(user) -> dict:
    rows = list(selectors.request_list(user=user, state="open")[:6])
    return {"rows": rows, "url": reverse("roadshows:requests"), "services_url": reverse("roadshows:services")}


@panel(
    key="roadshows_figures",
    title=_("路演成效"),
    template="accounts/panels/figures.html",
    perm="roadshows.manage",
    section="figures",
    order=45,
)
def roadshow_figures(user) -> dict:
    rows, _committees = selectors.figures_report(user=user)
    total = selectors.total(rows)
    url = reverse("roadshows:figures")
    return {
        "figures": [
            (_("活动"), len(rows), url),
            (_("路演项目"), total.presentations, url),
            (_("落地项目"), total.landed, url),
            (_("落地金额（万元）"), f"{total.landed_amount:,.2f}", url),
        ]
    }
