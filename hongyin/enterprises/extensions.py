"""What the enterprise pages need from the apps above them (members, grid), as hook points they register into at
start-up (`hongyin/members/hooks.py`, `hongyin/grid/hooks.py`, named by their manifests): enterprises names no
member or grid model or service.

PAGE_TABS takes zero or more functions (an app that is not installed adds nothing); the others exactly one."""

from hongyin.common import hooks

# (request, enterprise, tab) -> dict: what an app adds to the open tab of the enterprise page (the members app:
# the people tab's members; grid: the profile tab's cells for placing the enterprise)
PAGE_TABS = hooks.define("enterprises.page_tabs")
# (enterprise) -> int: the enterprise's active members (the page's and the API's facts)
MEMBERS_EMPLOYED = hooks.define("enterprises.members_employed")
# (cell_pk) -> the cell's path, or None when there is no such cell (the list's grid filter)
CELL_PATH = hooks.define("enterprises.cell_path")
# (actor, enterprise, cell_pk, move) -> None: place the enterprise in a grid cell (grid's scope check and service;
# a DomainError or 404 when refused)
GRID_PLACE = hooks.define("enterprises.grid_place")


def page_tab_context(request, enterprise, tab: str) -> dict:
    context: dict = {}
    for extra in hooks.registered(PAGE_TABS):
        context.update(extra(request, enterprise, tab))
    return context


def members_employed(enterprise) -> int:
    return hooks.call_one(MEMBERS_EMPLOYED, enterprise)


def cell_path(cell_pk) -> str | None:
    return hooks.call_one(CELL_PATH, cell_pk)


def grid_place(*, actor, enterprise, cell_pk: int, move: bool) -> None:
    hooks.call_one(GRID_PLACE, actor=actor, enterprise=enterprise, cell_pk=cell_pk, move=move)
