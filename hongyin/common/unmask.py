"""Unmasking one personal-data value: an explicit, audited action (SECURITY.md "Personal data").

Apps register which fields may be unmasked and how to fetch the object inside the user's scope:

    # hongyin/members/apps.py ready():
    from hongyin.common.unmask import register_unmaskable
    register_unmaskable("members.member", ["id_number", "phone"],
                        get_for_user=get_member_for_user_or_404, org_of=lambda m: m.org)

Then a page shows the masked value with a button that POSTs to
`{% url 'unmask' 'members.member' member.pk 'id_number' %}` (htmx swaps in the answer), and the API offers
POST /api/v1/personal-data/unmask. Both need the `personal_data.view` right AND the object in the user's scope
(else 404); every success is audited with the field name and the masked value, never the plaintext.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from . import hooks
from .fields import mask_id_number, mask_phone
from .permissions import require_perm

PERM = "personal_data.view"


def _default_mask(value: str) -> str:
    return mask_id_number(value) if len(value or "") >= 15 else mask_phone(value)


@dataclass(frozen=True)
class Unmaskable:
    model_label: str
    fields: tuple[str, ...]
    get_for_user: Callable[[Any, Any], Any]  # (user, pk) -> object, raising Http404 outside the user's scope
    org_of: Callable[[Any], Any] = field(default=lambda obj: None)
    masker: Callable[[str], str] = _default_mask


REGISTRY: dict[str, Unmaskable] = {}


def register_unmaskable(model_label: str, fields, *, get_for_user, org_of=None, masker=None) -> None:
    REGISTRY[model_label.lower()] = Unmaskable(
        model_label=model_label.lower(),
        fields=tuple(fields),
        get_for_user=get_for_user,
        org_of=org_of or (lambda obj: None),
        masker=masker or _default_mask,
    )


def unmask(*, actor, model_label: str, pk, field_name: str) -> str:
    """The plaintext of one registered field of one object in the actor's scope; audited."""
    entry = REGISTRY.get((model_label or "").lower())
    if entry is None or field_name not in entry.fields:
        raise Http404
    if not actor.has_role_perm(PERM):
        raise PermissionDenied
    obj = entry.get_for_user(actor, pk)
    value = getattr(obj, field_name) or ""
    hooks.call_one(
        hooks.AUDIT_RECORD,
        actor=actor,
        action="personal_data.unmask",
        obj=obj,
        org=entry.org_of(obj),
        details={"field": field_name, "masked": entry.masker(value)},
    )
    return value


@require_POST
@require_perm(PERM)
def unmask_view(request: HttpRequest, model: str, pk: int, field: str) -> HttpResponse:
    value = unmask(actor=request.user, model_label=model, pk=pk, field_name=field)
    response = HttpResponse(format_html('<span class="hy-unmasked" data-testid="unmasked">{}</span>', value))
    response["Cache-Control"] = "no-store"
    return response
