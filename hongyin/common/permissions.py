"""The one permissions API: views declare what they need; querysets are scoped by the user's role assignments.

- `@require_perm("members.view")` on a view: 403 when none of the user's roles grants the code.
- `@public` on the few views anyone may open (login, language switch).
- `scope_queryset(user, qs, perm, ScopeFields(org="branch"))` keeps the rows inside the user's scopes.
- `get_for_user_or_404(...)` fetches one object; forbidden and missing both answer 404.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from hongyin.common.roles import ScopeKind, roles_with

PERM_ATTR = "hongyin_perm"
PUBLIC = "__public__"
SIGNED_IN = "__signed_in__"


def require_perm(perm: str) -> Callable:
    roles_with(perm)  # fail at import time on an unknown code

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_role_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        setattr(wrapped, PERM_ATTR, perm)
        return wrapped

    return decorator


def public(view: Callable) -> Callable:
    view = login_not_required(view)
    setattr(view, PERM_ATTR, PUBLIC)
    return view


def signed_in(view: Callable) -> Callable:
    """For the user's own account steps (password change, two factors, logout): any active signed-in account,
    even one that holds no role yet. LoginRequiredMiddleware already refuses anonymous users."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_active):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    setattr(wrapped, PERM_ATTR, SIGNED_IN)
    return wrapped


@dataclass(frozen=True)
class ScopeFields:
    """Where a model keeps the things a scope can be: lookups from the model to each scope object.

    org="" means the model *is* the organization; org="branch" means a FK named branch to one.
    """

    org: str | None = None
    grid: str | None = None
    enterprise: str | None = None
    department: str | None = None


def _lookup(prefix: str, rest: str) -> str:
    return f"{prefix}__{rest}" if prefix else rest


def scope_q(user, perm: str, fields: ScopeFields) -> Q | None:
    """The filter for the rows the user may see with `perm`; None when it sees none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    allowed = roles_with(perm)
    q = None
    for a in user.assignments:
        if a.role not in allowed:
            continue
        kind = a.scope_kind
        part = None
        if kind == ScopeKind.ORG and fields.org is not None and a.org_id:
            part = Q(**{_lookup(fields.org, "path__startswith"): a.org.path})
        elif kind == ScopeKind.GRID and fields.grid is not None and a.grid_cell_id:
            part = Q(**{_lookup(fields.grid, "path__startswith"): a.grid_cell.path})
        elif kind == ScopeKind.ENTERPRISE and fields.enterprise is not None and a.enterprise_id:
            part = Q(**{_lookup(fields.enterprise, "pk"): a.enterprise_id})
        elif kind == ScopeKind.DEPARTMENT and fields.department is not None and a.department_id:
            part = Q(**{_lookup(fields.department, "pk"): a.department_id})
        if part is not None:
            q = part if q is None else q | part
    return q


def scope_queryset(user, qs: QuerySet, perm: str, fields: ScopeFields) -> QuerySet:
    q = scope_q(user, perm, fields)
    return qs.none() if q is None else qs.filter(q)


def get_for_user_or_404(user, qs: QuerySet, perm: str, fields: ScopeFields, **lookup):
    try:
        return scope_queryset(user, qs, perm, fields).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404


def check_in_scope(user, obj, perm: str, fields: ScopeFields) -> None:
    """For services: refuse a write on an object outside the actor's scope (as 404, like a read)."""
    if not scope_queryset(user, type(obj)._default_manager.filter(pk=obj.pk), perm, fields).exists():
        raise Http404


def require_perm_or_denied(user, perm: str) -> None:
    if not user.has_role_perm(perm):
        raise PermissionDenied
