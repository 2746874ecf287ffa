"""Workbench panels: the enterprise contact's applications and tickets, the bank reviewer's queue with its SLA, the
partner contact's tickets, the committee's credit figures. Each figure links to the page that lists it."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from . import selectors
from .models import CreditStatus, TicketStatus
from .permissions import applications_visible_to, tickets_visible_to


@panel(
    key="finance_contact",
    title=_("增信申请与四优先工单"),
    template="development/panels/todo.html",
    perm="finance.tickets_open",
    section="todo",
    order=60,
)
def finance_contact(user) -> dict:
    credit = reverse("finance:credit")
    tickets = reverse("finance:tickets")
    apps = applications_visible_to(user).aggregate(
        waiting=Count("id", filter=Q(status__in=[CreditStatus.SUBMITTED, CreditStatus.ENDORSED])),
        approved=Count("id", filter=Q(status=CreditStatus.APPROVED)),
    )
    today = timezone.localdate()
    t = tickets_visible_to(user).aggregate(
        open=Count("id", filter=~Q(status=TicketStatus.DONE)),
        late=Count("id", filter=~Q(status=TicketStatus.DONE) & Q(current_due__lt=today)),
    )
    return {
        "items": [
            (_("办理中的增信申请"), apps["waiting"], f"{credit}?status=endorsed", False),
            (_("已批准待放款"), apps["approved"], f"{credit}?status=approved", False),
            (_("进行中的四优先工单"), t["open"], tickets, False),
            (_("超时未办的工单步骤"), t["late"], f"{tickets}?late=1", True),
        ]
    }


@panel(
    key="finance_bank_queue",
    title=_("待审批的增信申请"),
    template="finance/panels/queue.html",
    perm="finance.credit_decide",
    section="todo",
    order=60,
)
def finance_bank_queue(user) -> dict:
    queue = selectors.bank_queue(user=user)
    today = timezone.localdate()
    return {
        "rows": list(queue[:8]),
        "total": queue.count(),
        "late": queue.filter(decision_due__lt=today).count(),
        "today": today,
        "url": reverse("finance:credit") + "?status=endorsed",
    }


@panel(
    key="finance_partner_tickets",
    title=_("四优先工单"),
    template="development/panels/todo.html",
    perm="finance.tickets_answer",
    section="todo",
    order=60,
)
def finance_partner_tickets(user) -> dict:
    url = reverse("finance:tickets")
    today = timezone.localdate()
    t = tickets_visible_to(user).aggregate(
        open=Count("id", filter=~Q(status=TicketStatus.DONE)),
        contact=Count("id", filter=Q(status=TicketStatus.CONTACT)),
        late=Count("id", filter=~Q(status=TicketStatus.DONE) & Q(current_due__lt=today)),
    )
    return {
        "items": [
            (_("待优先对接"), t["contact"], f"{url}?status=contact", False),
            (_("进行中的工单"), t["open"], url, False),
            (_("已超时的工单"), t["late"], f"{url}?late=1", True),
        ]
    }


@panel(
    key="finance_credit_figures",
    title=_("红色增信"),
    template="accounts/panels/figures.html",
    perm="finance.credit_figures",
    section="figures",
    order=60,
)
def finance_credit_figures(user) -> dict:
    orgs = selectors.figure_orgs(user)
    if not orgs:
        return {"figures": []}
    org = orgs[0]
    url = reverse("finance:credit_figures") + (f"?org={org.pk}" if org.depth > 1 else "")
    f = selectors.credit_figures(selectors.committee_applications(org))
    return {
        "figures": [
            (_("申请"), f.applications, url),
            (_("获批"), f.approvals, url),
            (_("批准金额（万元）"), f.approved_wan, url),
            (_("服务企业"), f.firms_served, url),
        ]
    }
