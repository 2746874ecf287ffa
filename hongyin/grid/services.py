"""Writes for the grid: cells with derived codes, buildings and enterprises placed in cells, instructors."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError

from .models import MAX_LEVELS, GridCell, GridLevel


def _check(actor, perm: str = "grid.manage") -> None:
    if actor is not None and not actor.has_role_perm(perm):
        raise PermissionDenied


def next_code(parent: GridCell | None, level: int) -> str:
    width = GridLevel.objects.filter(level=level).values_list("code_width", flat=True).first() or 2
    siblings = (
        GridCell.objects.filter(depth=1)
        if parent is None
        else GridCell.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    )
    prefix = parent.code if parent else ""
    used = {c[len(prefix) :] for c in siblings.values_list("code", flat=True) if c.startswith(prefix)}
    seq = 1
    while f"{seq:0{width}d}" in used:
        seq += 1
    if len(f"{seq:0{width}d}") > width:
        raise DomainError(_("该网格下的序号已用完（%(w)s 位）。") % {"w": width}, field="code")
    return prefix + f"{seq:0{width}d}"


@transaction.atomic
def grid_cell_create(*, actor, parent: GridCell | None, name: str, code: str = "") -> GridCell:
    """Code = parent's code + the next free sequence number (CJ/T 213 style); a root may bring its own code."""
    _check(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写网格名称。"), field="name")
    level = 1 if parent is None else parent.level + 1
    if level > MAX_LEVELS:
        raise DomainError(_("网格最多 %(n)s 级，不能在第 %(n)s 级网格下再建下级。") % {"n": MAX_LEVELS}, field="parent")
    if parent is None and code:
        if GridCell.objects.filter(code=code).exists():
            raise DomainError(_("网格编码 %(c)s 已存在。") % {"c": code}, field="code")
    else:
        code = next_code(parent, level)
    if parent is None:
        cell = GridCell.objects.add_root(create_kwargs={"name": name, "code": code, "level": level})
    else:
        cell = GridCell.objects.add_child(
            GridCell.objects.get(pk=parent.pk), create_kwargs={"name": name, "code": code, "level": level}
        )
    audit.record(actor=actor, action="grid.cell_create", obj=cell, details={"code": code})
    return cell


@transaction.atomic
def grid_assign_building(*, actor, building, cell: GridCell | None):
    """Puts a building in a cell; its enterprises placed by address follow (explicit placements stay)."""
    _check(actor)
    from hongyin.enterprises.models import Enterprise, Floor

    building.grid_cell = cell
    building.save(update_fields=["grid_cell", "updated_at"])
    floors_with_cells = Floor.objects.filter(building=building, grid_cell__isnull=False).values("pk")
    Enterprise.objects.filter(building=building, grid_explicit=False).exclude(floor__in=floors_with_cells).update(
        grid_cell=cell
    )
    audit.record(actor=actor, action="grid.building_assign", obj=building, details={"cell": cell.code if cell else ""})
    return building


@transaction.atomic
def grid_assign_floor(*, actor, floor, cell: GridCell | None):
    _check(actor)
    from hongyin.enterprises.models import Enterprise

    if cell is not None and floor.building.grid_cell_id and not cell.path.startswith(floor.building.grid_cell.path):
        raise DomainError(_("楼层的微网格须在楼宇所在网格之下。"), field="cell")
    floor.grid_cell = cell
    floor.save(update_fields=["grid_cell"])
    Enterprise.objects.filter(floor=floor, grid_explicit=False).update(grid_cell=cell or floor.building.grid_cell)
    audit.record(actor=actor, action="grid.floor_assign", obj=floor, details={"cell": cell.code if cell else ""})
    return floor


@transaction.atomic
def grid_assign_enterprise(*, actor, enterprise, cell: GridCell, move: bool = False):
    """Places an enterprise in a cell explicitly. An enterprise lives in one cell only: placing it in a second
    cell is refused unless the caller moves it (move=True)."""
    _check(actor)
    from hongyin.enterprises.models import Enterprise
    from hongyin.enterprises.services import grid_cell_for_address

    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    current = enterprise.grid_cell
    if current is not None and current.pk != cell.pk and not move:
        raise DomainError(
            _("企业“%(e)s”已在网格“%(c)s”（%(code)s），一个企业只能属于一个网格；请先移出或选择“调整网格”。")
            % {"e": enterprise.name, "c": current.name, "code": current.code},
            field="cell",
        )
    by_address = grid_cell_for_address(enterprise.building, enterprise.floor)
    if (
        by_address is not None
        and not move
        and not (cell.path.startswith(by_address.path) or by_address.path.startswith(cell.path))
    ):
        raise DomainError(
            _("企业按楼宇地址属于网格“%(c)s”，不能再放入另一个网格。") % {"c": by_address.name}, field="cell"
        )
    enterprise.grid_cell = cell
    enterprise.grid_explicit = True
    enterprise.save(update_fields=["grid_cell", "grid_explicit", "updated_at"])
    audit.record(
        actor=actor,
        action="grid.enterprise_assign",
        obj=enterprise,
        details={"from": current.code if current else "", "to": cell.code},
    )
    return enterprise


@transaction.atomic
def instructors_assign(*, actor, instructor, enterprises) -> int:
    """Bulk assignment of a party-building instructor (党建指导员) to enterprises: one role assignment each."""
    _check(actor, "enterprises.assign_instructors")
    from hongyin.accounts.models import RoleAssignment
    from hongyin.common.roles import Role
    from hongyin.enterprises.permissions import enterprises_visible_to

    enterprises = list(enterprises)
    if actor is not None:
        visible = set(
            enterprises_visible_to(actor, "enterprises.assign_instructors")
            .filter(pk__in=[e.pk for e in enterprises])
            .values_list("pk", flat=True)
        )
        if len(visible) != len({e.pk for e in enterprises}):
            raise DomainError(_("所选企业中有不在您管理范围内的企业。"), field="enterprises")
    if actor is not None and not instructor.role_assignments.filter(role=Role.INSTRUCTOR).exists():
        # a person may grant the instructor role only to an existing instructor; the same answer as an unknown account
        raise DomainError(_("指导员账号“%(u)s”不存在。") % {"u": instructor.username}, field="instructor")
    if instructor.role_assignments.filter(role__in=["system_admin", "security_admin", "audit_admin"]).exists():
        raise DomainError(_("三权分立：管理员账号不能担任党建指导员。"), field="instructor")
    have = set(
        RoleAssignment.objects.filter(user=instructor, role=Role.INSTRUCTOR).values_list("enterprise_id", flat=True)
    )
    new = [
        RoleAssignment(user=instructor, role=Role.INSTRUCTOR, enterprise=e, granted_by=actor)
        for e in enterprises
        if e.pk not in have
    ]
    RoleAssignment.objects.bulk_create(new)
    instructor.__dict__.pop("_assignments_cache", None)
    audit.record(
        actor=actor,
        action="grid.instructors_assign",
        obj=instructor,
        details={"count": len(new), "enterprises": [e.pk for e in enterprises][:50]},
    )
    return len(new)
