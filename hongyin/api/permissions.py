"""Operations declare their permission with `@api_perm("members.view")`, like views with `@require_perm`."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from hongyin.common.permissions import PERM_ATTR
from hongyin.common.roles import roles_with


def api_perm(perm: str):
    roles_with(perm)

    def decorator(func):
        @wraps(func)
        def wrapped(request, *args, **kwargs):
            if not request.auth.has_role_perm(perm):
                raise PermissionDenied
            return func(request, *args, **kwargs)

        setattr(wrapped, PERM_ATTR, perm)
        return wrapped

    return decorator
