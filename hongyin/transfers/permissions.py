"""Who sees which transfers: both sides (source and target organizations) within their organization scopes."""

from django.db.models import Q, QuerySet

from hongyin.common.errors import NotFound
from hongyin.common.permissions import ScopeFields, check_in_scope, get_or_404, scope_q
from hongyin.orgs.permissions import ORG_SCOPE

from .models import Transfer, TransferKind, TransferStatus

SOURCE_SCOPE = ScopeFields(org="source")
TARGET_SCOPE = ScopeFields(org="target")


def transfers_visible_to(user, perm: str = "transfers.view") -> QuerySet[Transfer]:
    if not getattr(user, "is_authenticated", False):
        return Transfer.objects.none()
    target = scope_q(user, perm, TARGET_SCOPE)
    if target is not None:  # the target sees a transfer once the source has approved it
        target &= ~Q(status=TransferStatus.REQUESTED, kind=TransferKind.INSIDE)
    parts = [q for q in (scope_q(user, perm, SOURCE_SCOPE), target) if q is not None]
    if not parts:
        return Transfer.objects.none()
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return Transfer.objects.filter(q)


def get_transfer_for_user_or_404(user, pk) -> Transfer:
    return get_or_404(lambda: transfers_visible_to(user).select_related("member", "source", "target").get(pk=pk))


def _in_scope(user, org) -> bool:
    if org is None or user is None:
        return user is None
    try:
        check_in_scope(user, org, "transfers.manage", ORG_SCOPE)
    except NotFound:
        return False
    return True


def is_source_side(user, transfer: Transfer) -> bool:
    return _in_scope(user, transfer.source)


def is_target_side(user, transfer: Transfer) -> bool:
    return _in_scope(user, transfer.target)
