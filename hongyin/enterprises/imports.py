"""Background imports of enterprises, buildings, units (with leases) and monthly building figures from xlsx.

All or nothing: every row is validated first; one bad row and nothing is written, the job lists the rows.
"""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from hongyin.common.errors import DomainError
from hongyin.jobs.registry import job_kind

from . import services
from .models import Building, Enterprise, Floor, SizeClass, Unit
from .xlsx import as_date, read_rows

SIZE_WORDS = {str(label): value for value, label in SizeClass.choices} | {
    "大": "large",
    "中": "medium",
    "小": "small",
    "微": "micro",
}

ENTERPRISE_COLUMNS = {
    "uscc": ["统一社会信用代码", "信用代码", "社会信用代码", "USCC"],
    "name": ["企业名称", "名称", "单位名称"],
    "legal_representative": ["法定代表人", "法人代表", "法人"],
    "registered_capital": ["注册资本", "注册资本万元"],
    "founded_on": ["成立日期", "成立时间"],
    "industry_code": ["行业代码", "国民经济行业分类", "行业"],
    "size_class": ["企业规模", "规模"],
    "employees": ["从业人数", "员工人数", "职工人数"],
    "tags": ["标签", "企业标签"],
    "address": ["地址", "注册地址", "经营地址"],
}
BUILDING_COLUMNS = {
    "name": ["楼宇名称", "楼宇"],
    "floors_above": ["地上层数", "层数"],
    "floors_below": ["地下层数"],
    "address": ["地址"],
    "gross_area": ["建筑面积", "建筑面积㎡"],
}
UNIT_COLUMNS = {
    "building": ["楼宇名称", "楼宇"],
    "floor": ["楼层", "层"],
    "number": ["房号", "房间号", "单元"],
    "area": ["面积", "面积㎡", "建筑面积"],
    "tenant": ["承租企业信用代码", "承租企业统一社会信用代码", "租户信用代码"],
    "start_on": ["起租日期", "租期开始"],
    "end_on": ["到期日期", "租期结束"],
}
FIGURE_COLUMNS = {
    "building": ["楼宇名称", "楼宇"],
    "month": ["月份", "统计月份"],
    "tax_paid": ["纳税额", "税收", "纳税额元"],
    "output_value": ["产值", "产值元"],
    "employees": ["从业人员", "从业人数"],
}


def upload_path(name: str) -> Path:
    import uuid

    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{uuid.uuid4().hex}-{Path(name).suffix or '.xlsx'}"


def enterprise_rows(path) -> list[dict]:
    rows = []
    for row in read_rows(path, ENTERPRISE_COLUMNS, ["uscc", "name"]):
        if row.get("founded_on") not in (None, ""):
            row["founded_on"] = as_date(row["founded_on"], _("成立日期"), row["row"])
        else:
            row.pop("founded_on", None)
        if row.get("size_class"):
            row["size_class"] = SIZE_WORDS.get(str(row["size_class"]).removesuffix("企业"), row["size_class"])
        if row.get("industry_code") not in (None, ""):
            row["industry_code"] = str(row["industry_code"]).split(" ")[0]
        tags = str(row.get("tags") or "").replace("，", ",").replace("、", ",")
        row["tags"] = [t.strip() for t in tags.split(",") if t.strip()]
        rows.append(row)
    return rows


def import_enterprises(*, actor, path, progress=None) -> int:
    return services.enterprises_bulk_create(actor=actor, rows=enterprise_rows(path), source="import", progress=progress)


@transaction.atomic
def import_buildings(*, actor, path, progress=None) -> int:
    rows = list(read_rows(path, BUILDING_COLUMNS, ["name", "floors_above"]))
    errors = []
    sid = transaction.savepoint()
    count = 0
    for row in rows:
        try:
            services.building_create(
                actor=actor,
                name=row.get("name"),
                floors_above=int(row.get("floors_above") or 0),
                floors_below=int(row.get("floors_below") or 0),
                address=row.get("address") or "",
                gross_area=row.get("gross_area") or 0,
            )
            count += 1
        except (DomainError, ValueError, TypeError) as exc:
            errors.append(_("第 %(r)s 行：%(m)s") % {"r": row["row"], "m": getattr(exc, "message", str(exc))})
    if errors:
        transaction.savepoint_rollback(sid)
        raise DomainError(_("导入未执行，没有写入任何数据。") + "\n" + "\n".join(errors[:50]))
    return count


@transaction.atomic
def import_units(*, actor, path, progress=None) -> int:
    """Rows: building, floor, unit number, area, optional tenant USCC with lease dates. Floors are created on the
    way (inside the building's range); a unit leased twice for overlapping dates fails the whole file."""
    rows = list(read_rows(path, UNIT_COLUMNS, ["building", "floor", "number", "area"]))
    buildings = {b.name: b for b in Building.objects.filter(name__in={r.get("building") for r in rows})}
    errors = []
    sid = transaction.savepoint()
    count = 0
    for row in rows:
        try:
            building = buildings.get(row.get("building"))
            if building is None:
                raise DomainError(_("楼宇“%(b)s”不存在。") % {"b": row.get("building")})
            try:
                number = int(row.get("floor"))
            except (TypeError, ValueError):
                raise DomainError(_("楼层须为整数（地下层用负数）。")) from None
            floor = Floor.objects.filter(building=building, number=number).first()
            if floor is None:
                floor = services.floor_create(actor=actor, building=building, number=number)
            unit = Unit.objects.filter(floor=floor, number=str(row.get("number"))).first()
            if unit is None:
                unit = services.unit_create(
                    actor=actor, floor=floor, number=str(row.get("number")), area=row.get("area")
                )
            if row.get("tenant"):
                enterprise = Enterprise.objects.filter(uscc=str(row["tenant"]).upper()).first()
                if enterprise is None:
                    raise DomainError(_("承租企业 %(c)s 未登记。") % {"c": row["tenant"]})
                services.lease_create(
                    actor=actor,
                    unit=unit,
                    enterprise=enterprise,
                    start_on=as_date(row.get("start_on"), _("起租日期"), row["row"]),
                    end_on=as_date(row.get("end_on"), _("到期日期"), row["row"]),
                )
            count += 1
        except DomainError as exc:
            errors.append(_("第 %(r)s 行：%(m)s") % {"r": row["row"], "m": exc.message})
        if progress:
            progress(count, len(rows))
    if errors:
        transaction.savepoint_rollback(sid)
        raise DomainError(_("导入未执行，没有写入任何数据。") + "\n" + "\n".join(errors[:50]))
    return count


@transaction.atomic
def import_figures(*, actor, path, progress=None) -> int:
    rows = list(read_rows(path, FIGURE_COLUMNS, ["building", "month"]))
    buildings = {b.name: b for b in Building.objects.filter(name__in={r.get("building") for r in rows})}
    errors = []
    sid = transaction.savepoint()
    for row in rows:
        try:
            building = buildings.get(row.get("building"))
            if building is None:
                raise DomainError(_("楼宇“%(b)s”不存在。") % {"b": row.get("building")})
            month = as_date(row.get("month"), _("月份"), row["row"])
            if month is None:
                raise DomainError(_("请填写月份。"))
            services.building_figure_set(
                actor=actor,
                building=building,
                month=month,
                tax_paid=row.get("tax_paid"),
                output_value=row.get("output_value"),
                employees=row.get("employees"),
            )
        except DomainError as exc:
            errors.append(_("第 %(r)s 行：%(m)s") % {"r": row["row"], "m": exc.message})
    if errors:
        transaction.savepoint_rollback(sid)
        raise DomainError(_("导入未执行，没有写入任何数据。") + "\n" + "\n".join(errors[:50]))
    return len(rows)


KINDS = {
    "enterprises.import": (import_enterprises, _("企业")),
    "buildings.import": (import_buildings, _("楼宇")),
    "units.import": (import_units, _("房间与租约")),
    "figures.import": (import_figures, _("楼宇月度数据")),
}


def _runner(kind):
    def run(job, progress):
        func, _label = KINDS[kind]
        n = func(actor=job.owner, path=job.params["path"], progress=progress)
        return None, "", _("已导入 %(n)s 行。") % {"n": n}

    return run


for _kind in KINDS:
    job_kind(_kind)(_runner(_kind))
