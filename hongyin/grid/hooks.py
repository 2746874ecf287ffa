"""What grid adds to the enterprise pages below it (hongyin/enterprises/extensions.py): the cells an enterprise can
be placed in, placing it, and the list's grid filter. Imported once at start-up (the manifest's `hooks`)."""

from hongyin.common import hooks
from hongyin.enterprises import extensions as enterprise_points

from . import services
from .models import GridCell
from .permissions import get_cell_for_user_or_404


def enterprise_cells(request, enterprise, tab: str) -> dict:
    """The profile tab's cells to place the enterprise in, for those who manage the grid."""
    if tab != "profile" or not request.user.has_role_perm("grid.manage"):
        return {}
    return {"cells": GridCell.objects.filter(level__gte=2).order_by("path")[:500]}


def cell_path(cell_pk) -> str | None:
    cell = GridCell.objects.filter(pk=cell_pk).first()
    return cell.path if cell else None


def grid_place(*, actor, enterprise, cell_pk: int, move: bool) -> None:
    cell = get_cell_for_user_or_404(actor, cell_pk, "grid.manage")
    services.grid_assign_enterprise(actor=actor, enterprise=enterprise, cell=cell, move=move)


hooks.register(enterprise_points.PAGE_TABS, enterprise_cells)
hooks.register(enterprise_points.CELL_PATH, cell_path)
hooks.register(enterprise_points.GRID_PLACE, grid_place)
