"""Buildings, their floors and units, leases and monthly figures."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError, NotFound

from ..models import Building, BuildingFigure, Enterprise, Floor, Lease, Unit
from ..permissions import buildings_visible_to
from .registry import check_enterprise_in_scope, grid_cell_for_address


def check_building_manage(actor, building: Building | None = None) -> None:
    if actor is None:
        return
    if not actor.has_role_perm("buildings.manage"):
        raise PermissionDenied
    if (
        building is not None
        and building.pk
        and not buildings_visible_to(actor, "buildings.manage").filter(pk=building.pk).exists()
    ):
        raise NotFound


@transaction.atomic
def building_create(
    *,
    actor,
    name: str,
    floors_above: int,
    floors_below: int = 0,
    address: str = "",
    gross_area=0,
    party_committee=None,
    grid_cell=None,
) -> Building:
    check_building_manage(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写楼宇名称。"), field="name")
    if Building.objects.filter(name=name).exists():
        raise DomainError(_("楼宇“%(n)s”已存在。") % {"n": name}, field="name")
    if not (1 <= int(floors_above) <= 200):
        raise DomainError(_("地上层数须在 1 到 200 之间。"), field="floors_above")
    if not (0 <= int(floors_below) <= 20):
        raise DomainError(_("地下层数须在 0 到 20 之间。"), field="floors_below")
    building = Building.objects.create(
        name=name,
        address=address,
        floors_above=floors_above,
        floors_below=floors_below,
        gross_area=gross_area or 0,
        party_committee=party_committee,
        grid_cell=grid_cell,
    )
    audit.record(actor=actor, action="building.create", obj=building, org=party_committee)
    return building


@transaction.atomic
def floor_create(*, actor, building: Building, number: int) -> Floor:
    check_building_manage(actor, building)
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise DomainError(_("楼层须为整数（地下层用负数）。"), field="number") from None
    if not building.floor_in_range(number):
        raise DomainError(
            _("楼层 %(n)s 不在“%(b)s”的范围内（地上 %(a)s 层，地下 %(u)s 层）。")
            % {"n": number, "b": building.name, "a": building.floors_above, "u": building.floors_below},
            field="number",
        )
    if Floor.objects.filter(building=building, number=number).exists():
        raise DomainError(_("该楼层已存在。"), field="number")
    floor = Floor.objects.create(building=building, number=number)
    audit.record(actor=actor, action="floor.create", obj=floor, details={"building": building.pk})
    return floor


@transaction.atomic
def unit_create(*, actor, floor: Floor, number: str, area, leasable: bool = True) -> Unit:
    check_building_manage(actor, floor.building)
    number = (number or "").strip()
    if not number:
        raise DomainError(_("请填写房号。"), field="number")
    try:
        area = Decimal(str(area))
    except InvalidOperation:
        raise DomainError(_("面积须为数字（平方米）。"), field="area") from None
    if area <= 0:
        raise DomainError(_("面积须大于 0。"), field="area")
    if Unit.objects.filter(floor=floor, number=number).exists():
        raise DomainError(_("房号 %(n)s 在该楼层已存在。") % {"n": number}, field="number")
    unit = Unit.objects.create(floor=floor, number=number, area=area, leasable=leasable)
    audit.record(actor=actor, action="unit.create", obj=unit, details={"floor": floor.pk, "area": str(area)})
    return unit


def check_lease(unit: Unit, start_on: date | None, end_on: date | None) -> None:
    if start_on is None:
        raise DomainError(_("请填写起租日期。"), field="start_on")
    if end_on is not None and end_on < start_on:
        raise DomainError(_("到期日期不能早于起租日期。"), field="end_on")
    if not unit.leasable:
        raise DomainError(_("房间 %(n)s 不可租赁。") % {"n": unit.number}, field="unit")
    clash = _overlapping(unit, start_on, end_on).select_related("enterprise").first()
    if clash is not None:
        raise DomainError(
            _("房间 %(n)s 在 %(s)s 至 %(e)s 已租给“%(t)s”，租期不能重叠。")
            % {
                "n": unit.number,
                "s": clash.start_on,
                "e": clash.end_on or _("长期"),
                "t": clash.enterprise.name,
            },
            field="start_on",
        )


def _overlapping(unit: Unit, start_on: date, end_on: date | None, exclude_pk=None):
    qs = Lease.objects.filter(unit=unit).filter(Q(end_on__isnull=True) | Q(end_on__gte=start_on))
    if end_on is not None:
        qs = qs.filter(start_on__lte=end_on)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs


@transaction.atomic
def lease_create(
    *,
    actor,
    unit: Unit,
    enterprise: Enterprise,
    start_on: date,
    end_on: date | None = None,
    set_address=True,
    check_scope: bool = True,
) -> Lease:
    """check_scope=False: an approved link request (the approver need not manage the building)."""
    unit = Unit.objects.select_for_update(of=("self",)).select_related("floor__building").get(pk=unit.pk)
    if check_scope:
        check_building_manage(actor, unit.floor.building)
        check_enterprise_in_scope(actor, enterprise)
    check_lease(unit, start_on, end_on)
    lease = Lease.objects.create(unit=unit, enterprise=enterprise, start_on=start_on, end_on=end_on)
    if set_address and enterprise.unit_id is None:
        enterprise.building, enterprise.floor, enterprise.unit = unit.floor.building, unit.floor, unit
        if not enterprise.grid_explicit:
            enterprise.grid_cell = grid_cell_for_address(unit.floor.building, unit.floor)
        enterprise.save(update_fields=["building", "floor", "unit", "grid_cell", "updated_at"])
    audit.record(
        actor=actor,
        action="lease.create",
        obj=lease,
        details={"unit": unit.pk, "enterprise": enterprise.pk, "start_on": start_on, "end_on": end_on},
    )
    return lease


@transaction.atomic
def building_figure_set(
    *, actor, building: Building, month: date, tax_paid=0, output_value=0, employees=0
) -> BuildingFigure:
    check_building_manage(actor, building)
    month = month.replace(day=1)
    try:
        tax, output = Decimal(str(tax_paid or 0)), Decimal(str(output_value or 0))
        employees = int(employees or 0)
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(_("纳税额、产值须为数字，从业人员须为整数。")) from None
    if tax < 0 or output < 0 or employees < 0:
        raise DomainError(_("月度数据不能为负数。"))
    figure, _created = BuildingFigure.objects.update_or_create(
        building=building, month=month, defaults={"tax_paid": tax, "output_value": output, "employees": employees}
    )
    audit.record(actor=actor, action="building.figure", obj=building, details={"month": f"{month:%Y-%m}"})
    return figure
