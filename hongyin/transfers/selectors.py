"""Reads on transfers: queues of pending and overdue transfers for the user's organizations."""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from hongyin.common.permissions import scope_q
from hongyin.members.models import Member
from hongyin.members.permissions import members_visible_to

from .models import OPEN_STATUSES, OVERDUE_DAYS, Transfer, TransferStatus
from .permissions import SOURCE_SCOPE, TARGET_SCOPE, transfers_visible_to


def _actionable(user) -> Q:
    """Open transfers waiting on the user's side: source for requested/returned/issued, target for approved."""
    src = scope_q(user, "transfers.manage", SOURCE_SCOPE)
    tgt = scope_q(user, "transfers.manage", TARGET_SCOPE)
    q = Q(pk__in=[])
    if src is not None:
        q |= src & Q(status__in=[TransferStatus.REQUESTED, TransferStatus.RETURNED, TransferStatus.ISSUED])
    if tgt is not None:
        q |= tgt & Q(status=TransferStatus.APPROVED)
    return q


def transfer_list(
    *, user, status: str = "", kind: str = "", q: str = "", org=None, queue: str = ""
) -> QuerySet[Transfer]:
    """The list's rows. `queue` narrows to one of the counted queues (to_act, overdue, to_accept): the workbench and
    the list's own figures count exactly these rows."""
    start = QUEUES.get(queue)
    qs = (start(user=user) if start else transfers_visible_to(user)).select_related("source", "target")
    if org is not None:
        qs = qs.filter(Q(source__path__startswith=org.path) | Q(target__path__startswith=org.path))
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in TransferStatus.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(member_name__contains=q) | Q(number__icontains=q) | Q(external_org__contains=q))
    return qs.order_by("-created_at", "-id")


def pending(*, user, org=None) -> QuerySet[Transfer]:
    """Open transfers of the user's organizations (optionally one organization's subtree), oldest first."""
    qs = transfers_visible_to(user).filter(status__in=OPEN_STATUSES)
    if org is not None:
        qs = qs.filter(Q(source__path__startswith=org.path) | Q(target__path__startswith=org.path))
    return qs.select_related("source", "target").order_by("created_at", "id")


def to_act(*, user) -> QuerySet[Transfer]:
    """Open transfers waiting on the user's side."""
    return pending(user=user).filter(_actionable(user))


def overdue(*, user, days: int = OVERDUE_DAYS, org=None) -> QuerySet[Transfer]:
    return pending(user=user, org=org).filter(created_at__lt=timezone.now() - timedelta(days=days))


def to_accept(*, user) -> QuerySet[Transfer]:
    """Approved transfers into the user's organizations, waiting to be accepted."""
    tgt = scope_q(user, "transfers.manage", TARGET_SCOPE)
    if tgt is None:
        return transfers_visible_to(user).none()
    return transfers_visible_to(user).filter(tgt & Q(status=TransferStatus.APPROVED))


QUEUES = {"to_act": to_act, "overdue": overdue, "to_accept": to_accept}


def queue_counts(*, user) -> dict:
    return {
        "pending": pending(user=user).count(),
        "to_act": to_act(user=user).count(),
        "overdue": overdue(user=user).count(),
        "to_accept": to_accept(user=user).count(),
    }


def floating_members(*, user) -> QuerySet[Member]:
    return members_visible_to(user).filter(is_floating=True, left_on__isnull=True).select_related("org")
