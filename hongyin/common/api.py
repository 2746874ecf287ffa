"""Common API operations: unmasking one personal-data value (audited; see hongyin.common.unmask)."""

from ninja import Field, Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut

from .unmask import PERM, unmask

router = Router(tags=["personal data"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class UnmaskIn(Schema):
    model: str = Field(..., max_length=100, description="model label, e.g. members.member")
    pk: int = Field(..., ge=1, le=2**62)
    field: str = Field(..., max_length=64)


class UnmaskOut(Schema):
    value: str


@router.post("/unmask", response={200: UnmaskOut, **ERRORS}, summary="Show one personal-data value (audited)")
@api_perm(PERM)
def unmask_value(request, payload: UnmaskIn):
    return {"value": unmask(actor=request.auth, model_label=payload.model, pk=payload.pk, field_name=payload.field)}
