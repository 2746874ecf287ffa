"""Imports of enterprises, buildings, units (with leases) and monthly building figures from xlsx, on the shared
roster engine (hongyin.common.excel: safe reading, tolerant headers, row-by-row errors, all-or-nothing commit).
They are import kinds of the one pipeline (hongyin.imports; registered in import_kinds.py): the same upload,
job runner, status page, API and error report as every import."""

from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongyin.common.errors import DomainError
from hongyin.common.excel import Column, ImportSpec, RowError, choice_map, choice_options

from . import services
from .models import Building, Enterprise, Floor, Lease, SizeClass, Unit

SIZE_EXTRA = {"大": "large", "中": "medium", "小": "small", "微": "micro", "大型企业": "large", "中型企业": "medium",
              "小型企业": "small", "微型企业": "micro"}  # fmt: skip


def _decimal(value, field: str, label: str):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        raise DomainError(_("%(f)s须为数字。") % {"f": label}, field=field) from None
    if number < 0:
        raise DomainError(_("%(f)s不能为负数。") % {"f": label}, field=field)
    return number


def _int(value, field: str, label: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        raise DomainError(_("%(f)s须为整数。") % {"f": label}, field=field) from None


class EnterpriseImport(ImportSpec):
    title = gettext_lazy("企业")
    columns = (
        Column("uscc", "统一社会信用代码", ("信用代码", "社会信用代码", "USCC"), required=True, max_length=30,
               example="91610131MA6TQ8JR4D"),
        Column("name", "企业名称", ("名称", "单位名称"), required=True, example="西安某某光电科技有限公司"),
        Column("legal_representative", "法定代表人", ("法人代表", "法人"), max_length=40),
        Column("registered_capital", "注册资本（万元）", ("注册资本",), max_length=20),
        Column("founded_on", "成立日期", ("成立时间",), kind="date"),
        Column("industry_code", "行业代码", ("国民经济行业分类", "行业"), max_length=60, example="397"),
        Column("size_class", "企业规模", ("规模",), kind="choice", choices=choice_map(SizeClass, SIZE_EXTRA),
               options=choice_options(SizeClass)),
        Column("employees", "从业人数", ("员工人数", "职工人数"), max_length=10),
        Column("tags", "标签", ("企业标签",), max_length=300, example="高新技术企业、专精特新"),
        Column("address", "地址", ("注册地址", "经营地址"), max_length=200),
    )  # fmt: skip
    preview_fields = ("uscc", "name", "industry_code", "size_class")

    def clean_row(self, values: dict, row: int):
        values["industry_code"] = (values.get("industry_code") or "").split(" ")[0]
        values["registered_capital"] = _decimal(values.get("registered_capital"), "registered_capital", _("注册资本"))
        values["employees"] = _int(values.get("employees"), "employees", _("从业人数")) or 0
        tags = (values.get("tags") or "").replace("，", ",").replace("、", ",").replace(";", ",")
        values["tags"] = [t for t in tags.split(",") if t.strip()]
        if not values.get("founded_on"):
            values.pop("founded_on", None)
        return services.clean_enterprise_row(values)

    def check_all(self, cleaned):
        errors, first = [], {}
        for row, data in cleaned:
            if data["uscc"] in first:
                errors.append(
                    RowError(
                        row, _("统一社会信用代码"), data["uscc"], _("与第 %(r)s 行重复。") % {"r": first[data["uscc"]]}
                    )
                )
            else:
                first[data["uscc"]] = row
        for code in services.existing_usccs(list(first)):
            errors.append(RowError(first[code], _("统一社会信用代码"), code, _("该企业已登记。")))
        return errors

    def commit(self, cleaned, progress):
        return services.enterprises_bulk_create(
            actor=self.actor, rows=[d for _r, d in cleaned], source="import", progress=progress, validated=True
        )


class BuildingImport(ImportSpec):
    title = gettext_lazy("楼宇")
    columns = (
        Column("name", "楼宇名称", ("楼宇",), required=True, max_length=120),
        Column("floors_above", "地上层数", ("层数",), required=True, max_length=5),
        Column("floors_below", "地下层数", (), max_length=5),
        Column("address", "地址", (), max_length=200),
        Column("gross_area", "建筑面积（㎡）", ("建筑面积",), max_length=20),
    )
    preview_fields = ("name", "floors_above", "floors_below")

    def clean_row(self, values, row):
        above = _int(values["floors_above"], "floors_above", _("地上层数"))
        below = _int(values.get("floors_below"), "floors_below", _("地下层数")) or 0
        if not above or not 1 <= above <= 200:
            raise DomainError(_("地上层数须在 1 到 200 之间。"), field="floors_above")
        if not 0 <= below <= 20:
            raise DomainError(_("地下层数须在 0 到 20 之间。"), field="floors_below")
        values.update(floors_above=above, floors_below=below)
        values["gross_area"] = _decimal(values.get("gross_area"), "gross_area", _("建筑面积")) or 0
        return values

    def check_all(self, cleaned):
        errors, first = [], {}
        for row, data in cleaned:
            if data["name"] in first:
                errors.append(
                    RowError(row, _("楼宇名称"), data["name"], _("与第 %(r)s 行重复。") % {"r": first[data["name"]]})
                )
            first.setdefault(data["name"], row)
        for name in Building.objects.filter(name__in=list(first)).values_list("name", flat=True):
            errors.append(RowError(first[name], _("楼宇名称"), name, _("该楼宇已存在。")))
        return errors

    def commit(self, cleaned, progress):
        for n, (_row, data) in enumerate(cleaned, start=1):
            services.building_create(actor=self.actor, **data)
            if progress and n % 50 == 0:
                progress(n)
        return len(cleaned)


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    return (b_end is None or a_start <= b_end) and (a_end is None or b_start <= a_end)


class UnitImport(ImportSpec):
    """Rows: building, floor, unit, area, optional tenant USCC with lease dates. Floors are created on the way;
    a floor outside the building and a unit leased twice for overlapping dates are row errors."""

    title = gettext_lazy("房间与租约")
    columns = (
        Column("building", "楼宇名称", ("楼宇",), required=True, max_length=120),
        Column("floor", "楼层", ("层",), required=True, max_length=5, example="12"),
        Column("number", "房号", ("房间号", "单元"), required=True, max_length=20, example="1201"),
        Column("area", "面积（㎡）", ("面积", "建筑面积"), required=True, max_length=20, example="180"),
        Column("tenant", "承租企业信用代码", ("承租企业统一社会信用代码", "租户信用代码"), max_length=30),
        Column("start_on", "起租日期", ("租期开始",), kind="date"),
        Column("end_on", "到期日期", ("租期结束",), kind="date"),
    )
    preview_fields = ("building", "floor", "number", "area", "tenant")

    def __init__(self, *, actor):
        super().__init__(actor=actor)
        from .permissions import buildings_visible_to

        scope = buildings_visible_to(actor, "buildings.manage") if actor is not None else Building.objects.all()
        self.buildings = {b.name: b for b in scope}

    def clean_row(self, values, row):
        building = self.buildings.get(values["building"])
        if building is None:
            raise DomainError(
                _("楼宇“%(b)s”不存在或不在您的管理范围内。") % {"b": values["building"]}, field="building"
            )
        floor = _int(values["floor"], "floor", _("楼层"))
        if floor is None or not building.floor_in_range(floor):
            raise DomainError(
                _("楼层 %(n)s 不在“%(b)s”的范围内（地上 %(a)s 层，地下 %(u)s 层）。")
                % {"n": values["floor"], "b": building.name, "a": building.floors_above, "u": building.floors_below},
                field="floor",
            )
        area = _decimal(values["area"], "area", _("面积"))
        if not area:
            raise DomainError(_("面积须大于 0。"), field="area")
        tenant = None
        if values.get("tenant"):
            from .permissions import enterprises_visible_to

            # in scope only (an out-of-scope tenant reads as unregistered); a link outside goes through a request
            known = enterprises_visible_to(self.actor) if self.actor is not None else Enterprise.objects.all()
            tenant = known.filter(uscc=values["tenant"].upper()).only("pk", "uscc").first()
            if tenant is None:
                raise DomainError(_("承租企业 %(c)s 未登记。") % {"c": values["tenant"]}, field="tenant")
            if values.get("start_on") is None:
                raise DomainError(_("有承租企业时请填写起租日期。"), field="start_on")
            if values.get("end_on") and values["end_on"] < values["start_on"]:
                raise DomainError(_("到期日期不能早于起租日期。"), field="end_on")
        return {**values, "building": building, "floor": floor, "area": area, "tenant": tenant}

    def check_all(self, cleaned):
        errors = []
        by_unit = defaultdict(list)
        for row, d in cleaned:
            if d["tenant"] is not None:
                by_unit[(d["building"].pk, d["floor"], d["number"])].append((row, d))
        for (building_id, floor, number), items in by_unit.items():
            existing = list(
                Lease.objects.filter(
                    unit__floor__building_id=building_id, unit__floor__number=floor, unit__number=number
                ).select_related("enterprise")
            )
            seen = []
            for row, d in items:
                for lease in existing:
                    if _overlaps(d["start_on"], d["end_on"], lease.start_on, lease.end_on):
                        message = _("房间 %(n)s 在 %(s)s 起已租给“%(t)s”，租期不能重叠。") % {
                            "n": number,
                            "s": lease.start_on,
                            "t": lease.enterprise.name,
                        }
                        errors.append(RowError(row, _("起租日期"), str(d["start_on"]), message))
                for other_row, o in seen:
                    if _overlaps(d["start_on"], d["end_on"], o["start_on"], o["end_on"]):
                        message = _("与第 %(r)s 行的租期重叠。") % {"r": other_row}
                        errors.append(RowError(row, _("起租日期"), str(d["start_on"]), message))
                seen.append((row, d))
        return errors

    def commit(self, cleaned, progress):
        for n, (row, d) in enumerate(cleaned, start=1):
            try:
                floor = Floor.objects.filter(building=d["building"], number=d["floor"]).first()
                if floor is None:
                    floor = services.floor_create(actor=self.actor, building=d["building"], number=d["floor"])
                unit = Unit.objects.filter(floor=floor, number=d["number"]).first()
                if unit is None:
                    unit = services.unit_create(actor=self.actor, floor=floor, number=d["number"], area=d["area"])
                if d["tenant"] is not None:
                    services.lease_create(
                        actor=self.actor, unit=unit, enterprise=d["tenant"], start_on=d["start_on"], end_on=d["end_on"]
                    )
            except DomainError as exc:
                raise DomainError(_("第 %(r)s 行：%(m)s") % {"r": row, "m": exc.message}, field=exc.field) from None
            if progress and n % 50 == 0:
                progress(n)
        return len(cleaned)


class FigureImport(ImportSpec):
    title = gettext_lazy("楼宇月度数据")
    columns = (
        Column("building", "楼宇名称", ("楼宇",), required=True, max_length=120),
        Column("month", "月份", ("统计月份",), required=True, kind="date", example="2025-06"),
        Column("tax_paid", "纳税额（元）", ("纳税额", "税收"), max_length=20),
        Column("output_value", "产值（元）", ("产值",), max_length=20),
        Column("employees", "从业人员", ("从业人数",), max_length=10),
    )
    preview_fields = ("building", "month", "tax_paid")

    def __init__(self, *, actor):
        super().__init__(actor=actor)
        from .permissions import buildings_visible_to

        scope = buildings_visible_to(actor, "buildings.manage") if actor is not None else Building.objects.all()
        self.buildings = {b.name: b for b in scope}

    def clean_row(self, values, row):
        building = self.buildings.get(values["building"])
        if building is None:
            raise DomainError(
                _("楼宇“%(b)s”不存在或不在您的管理范围内。") % {"b": values["building"]}, field="building"
            )
        return {
            "building": building,
            "month": values["month"].replace(day=1),
            "tax_paid": _decimal(values.get("tax_paid"), "tax_paid", _("纳税额")) or 0,
            "output_value": _decimal(values.get("output_value"), "output_value", _("产值")) or 0,
            "employees": _int(values.get("employees"), "employees", _("从业人员")) or 0,
        }

    def commit(self, cleaned, progress):
        for _row, d in cleaned:
            services.building_figure_set(actor=self.actor, **d)
        return len(cleaned)


SPECS = {
    "enterprises.import": EnterpriseImport,
    "buildings.import": BuildingImport,
    "units.import": UnitImport,
    "figures.import": FigureImport,
}
