"""The one permissions API: views declare what they need; querysets are scoped by the user's role assignments.

- `@require_perm("members.view")` on a view: 403 when none of the user's roles grants the code.
- `@public` on the few views anyone may open (login, language switch).
- `scope_queryset(user, qs, perm, ScopeFields(org="branch"))` keeps the rows inside the user's scopes.
- `get_in_scope(...)` fetches one object for a service (NotFound outside the scope); `get_for_user_or_404(...)`
  the same for a view or API operation (404); forbidden and missing both answer 404.
- `covers_whole_zone(user, perm)`: the user sees the whole zone (hongyin.common.scopes defines it).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from hongyin.common.errors import NotFound
from hongyin.common.roles import roles_with
from hongyin.common.scopes import ScopeFields, assignment_covers_whole_zone, kind_of

__all__ = [
    "PERM_ATTR",
    "PUBLIC",
    "SIGNED_IN",
    "ScopeFields",
    "check_in_scope",
    "covers_whole_zone",
    "get_for_user_or_404",
    "get_in_scope",
    "get_or_404",
    "public",
    "require_perm",
    "require_perm_or_denied",
    "scope_q",
    "scope_queryset",
    "signed_in",
]

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


def scope_q(user, perm: str, fields: ScopeFields) -> Q | None:
    """The filter for the rows the user may see with `perm`; None when it sees none.

    Each assignment of a role holding `perm` adds its scope, as its declared kind says (hongyin.common.scopes)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    allowed = roles_with(perm)
    q = None
    singles: dict[str, set] = {}  # one-object kinds: their ids, gathered into one IN per lookup
    for a in user.assignments:
        kind = kind_of(a.scope_kind) if a.role in allowed else None
        lookup = fields.lookup(kind.code) if kind is not None else None
        if lookup is not None and not kind.tree:
            pk = getattr(a, f"{kind.field}_id")
            if pk is not None:
                singles.setdefault(f"{lookup}__pk" if lookup else "pk", set()).add(pk)
            continue
        part = kind.q(lookup, a) if lookup is not None else None
        if part is not None:
            q = part if q is None else q | part
    for key, pks in singles.items():
        # an instructor of 1,000 enterprises is one IN (...), not 1,000 ORs (SQLite refuses an expression that deep)
        part = Q(**{key: next(iter(pks))}) if len(pks) == 1 else Q(**{f"{key}__in": sorted(pks)})
        q = part if q is None else q | part
    return q


def scope_queryset(user, qs: QuerySet, perm: str, fields: ScopeFields) -> QuerySet:
    q = scope_q(user, perm, fields)
    return qs.none() if q is None else qs.filter(q)


def covers_whole_zone(user, perm: str) -> bool:
    """The user holds `perm` through an organization scope at the root of the tree: it sees the whole zone."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    allowed = roles_with(perm)
    return any(a.role in allowed and assignment_covers_whole_zone(a) for a in user.assignments)


def get_in_scope(user, qs: QuerySet, perm: str, fields: ScopeFields, **lookup):
    """For services and selectors: the one object, or NotFound when it is missing or outside the user's scope."""
    try:
        return scope_queryset(user, qs, perm, fields).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound from None


def get_for_user_or_404(user, qs: QuerySet, perm: str, fields: ScopeFields, **lookup):
    """For views and API operations: the one object, or 404 when it is missing or outside the user's scope."""
    return get_or_404(lambda: get_in_scope(user, qs, perm, fields, **lookup))


def get_or_404(fetch: Callable):
    """The edge's one way to fetch: `fetch()` raising NotFound (or the model's DoesNotExist) answers 404."""
    try:
        return fetch()
    except (NotFound, ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def check_in_scope(user, obj, perm: str, fields: ScopeFields) -> None:
    """For services: refuse a write on an object outside the actor's scope (NotFound, answered as 404 like a read)."""
    if not scope_queryset(user, type(obj)._default_manager.filter(pk=obj.pk), perm, fields).exists():
        raise NotFound


def require_perm_or_denied(user, perm: str) -> None:
    if not user.has_role_perm(perm):
        raise PermissionDenied
