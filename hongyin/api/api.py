"""The API toolkit's own operations: who am I (/me) and showing one personal-data value (audited; see
hongyin.common.unmask). Mounted by hongyin.site.api like every app's ROUTERS."""

from ninja import Field, Router, Schema

from hongyin.common.unmask import PERM, unmask

from .permissions import api_perm
from .schemas import ErrorOut, MeOut

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
me_router = Router(tags=["accounts"])
personal_data_router = Router(tags=["personal data"])
ROUTERS = {"": me_router, "/personal-data": personal_data_router}


@me_router.get("/me", response={200: MeOut, **ERRORS}, summary="The signed-in user, roles and scopes")
@api_perm("shell.use")
def me(request):
    user = request.auth
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "roles": [
            {
                "role": a.role,
                "role_label": str(a.get_role_display()),
                "scope_kind": str(a.scope_kind),
                "scope_id": getattr(a.scope_object, "pk", None),
                "scope_label": a.scope_label,
            }
            for a in user.assignments
        ],
    }


class UnmaskIn(Schema):
    model: str = Field(..., max_length=100, description="model label, e.g. members.member")
    pk: int = Field(..., ge=1, le=2**62)
    field: str = Field(..., max_length=64)


class UnmaskOut(Schema):
    value: str


@personal_data_router.post(
    "/unmask", response={200: UnmaskOut, **ERRORS}, summary="Show one personal-data value (audited)"
)
@api_perm(PERM)
def unmask_value(request, payload: UnmaskIn):
    return {"value": unmask(actor=request.auth, model_label=payload.model, pk=payload.pk, field_name=payload.field)}
