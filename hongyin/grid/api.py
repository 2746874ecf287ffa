from ninja import Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut
from hongyin.enterprises.permissions import enterprises_visible_to, get_enterprise_for_user_or_404

from . import selectors, services
from .permissions import get_cell_for_user_or_404, top_cells_for

router = Router(tags=["grid"])
ROUTERS = {"/grid": router}  # mounted by hongyin.site.api
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class RowOut(Schema):
    cell_id: int | None
    label: str
    total: int
    with_org: int
    with_instructor: int
    visited: int | None
    org_pct: float | None
    instructor_pct: float | None
    visited_pct: float | None


class CoverageOut(Schema):
    cell_id: int
    code: str
    days: int
    total: RowOut
    rows: list[RowOut]


def _row(r) -> dict:
    return {
        "cell_id": r.cell.pk if r.cell else None,
        "label": r.label,
        "total": r.total,
        "with_org": r.with_org,
        "with_instructor": r.with_instructor,
        "visited": r.visited,
        "org_pct": r.org_pct,
        "instructor_pct": r.instructor_pct,
        "visited_pct": r.visited_pct,
    }


@router.get("/coverage", response={200: CoverageOut, **ERRORS}, summary="两个覆盖 for a cell's subtree")
@api_perm("grid.view")
def coverage(request, cell_id: int | None = None, days: int = 90):
    cell = get_cell_for_user_or_404(request.auth, cell_id) if cell_id else top_cells_for(request.auth).first()
    if cell is None:
        from django.http import Http404

        raise Http404
    report = selectors.coverage(cell, days=max(1, min(days, 3650)), base=enterprises_visible_to(request.auth))
    return {
        "cell_id": cell.pk,
        "code": cell.code,
        "days": report.days,
        "total": _row(report.total),
        "rows": [_row(r) for r in report.rows],
    }


class CellIn(Schema):
    parent_id: int
    name: str


class CellOut(Schema):
    id: int
    name: str
    code: str
    level: int


@router.post("/cells", response={201: CellOut, **ERRORS}, summary="Add a cell (code = parent code + sequence)")
@api_perm("grid.manage")
def add_cell(request, payload: CellIn):
    parent = get_cell_for_user_or_404(request.auth, payload.parent_id, "grid.manage")
    return 201, services.grid_cell_create(actor=request.auth, parent=parent, name=payload.name)


class PlaceIn(Schema):
    enterprise_id: int
    move: bool = False


class OkOut(Schema):
    ok: bool
    count: int = 0


@router.post("/cells/{cell_id}/enterprises", response={200: OkOut, **ERRORS}, summary="Place an enterprise")
@api_perm("grid.manage")
def place(request, cell_id: int, payload: PlaceIn):
    cell = get_cell_for_user_or_404(request.auth, cell_id, "grid.manage")
    e = get_enterprise_for_user_or_404(request.auth, payload.enterprise_id)
    services.grid_assign_enterprise(actor=request.auth, enterprise=e, cell=cell, move=payload.move)
    return {"ok": True, "count": 1}


class InstructorsIn(Schema):
    instructor: str
    enterprise_ids: list[int]


@router.post("/instructors", response={200: OkOut, **ERRORS}, summary="Bulk-assign an instructor")
@api_perm("enterprises.assign_instructors")
def assign_instructors(request, payload: InstructorsIn):
    from django.http import Http404

    from hongyin.accounts.models import User

    user = User.objects.filter(username=payload.instructor, is_active=True, role_assignments__role="instructor").first()
    if user is None:
        raise Http404
    enterprises = list(
        enterprises_visible_to(request.auth, "enterprises.assign_instructors").filter(pk__in=payload.enterprise_ids)
    )
    if len(enterprises) != len(set(payload.enterprise_ids)):
        raise Http404
    n = services.instructors_assign(actor=request.auth, instructor=user, enterprises=enterprises)
    return {"ok": True, "count": n}
