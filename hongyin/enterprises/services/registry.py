"""The register of enterprises: one at a time, in bulk (imports and seed), and who may write which."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.bulk_insert import insert_rows
from hongyin.common.errors import DomainError, NotFound
from hongyin.common.identifiers import validate_uscc

from .. import industry
from ..models import Building, Enterprise, Floor, ListedBoard, SizeClass, Tag, Unit
from ..permissions import enterprises_visible_to
from ..pinyin import name_pinyin

EDITABLE = (
    "name",
    "legal_representative",
    "registered_capital",
    "founded_on",
    "industry_code",
    "size_class",
    "employees",
    "listed_board",
    "address",
    "org",
)


def check_manage(actor, enterprise: Enterprise | None = None, perm: str = "enterprises.manage") -> None:
    if actor is None:  # seed and system jobs
        return
    if not actor.has_role_perm(perm):
        raise PermissionDenied
    if (
        enterprise is not None
        and enterprise.pk
        and not enterprises_visible_to(actor, perm).filter(pk=enterprise.pk).exists()
    ):
        raise NotFound


def in_scope(actor, enterprise: Enterprise) -> bool:
    """Whether the actor already sees the enterprise: only then may it link it directly (a link widens scope)."""
    if actor is None:
        return True
    return enterprises_visible_to(actor, "enterprises.view").filter(pk=enterprise.pk).exists()


def check_enterprise_in_scope(actor, enterprise: Enterprise) -> None:
    if not in_scope(actor, enterprise):
        raise NotFound


def _clean_fields(data: dict) -> dict:
    out = dict(data)
    if "name" in out:
        name = (out["name"] or "").strip()
        if not name:
            raise DomainError(_("请填写企业名称。"), field="name")
        if len(name) > 200:
            raise DomainError(_("企业名称不能超过 200 个字符。"), field="name")
        out["name"] = name
    if out.get("industry_code"):
        code = str(out["industry_code"]).strip().upper()
        item = industry.get(code)
        if item is None or item.level == "section":
            raise DomainError(
                _("行业代码“%(c)s”不在《国民经济行业分类》(GB/T 4754-2017) 的大类或中类中。") % {"c": code},
                field="industry_code",
            )
        out["industry_code"] = code
    if out.get("size_class") and out["size_class"] not in SizeClass.values:
        raise DomainError(_("企业规模须为大型、中型、小型或微型。"), field="size_class")
    if out.get("listed_board") and out["listed_board"] not in ListedBoard.values:
        raise DomainError(_("上市板块不正确。"), field="listed_board")
    if out.get("registered_capital") not in (None, ""):
        try:
            capital = Decimal(str(out["registered_capital"]))
        except InvalidOperation:
            raise DomainError(_("注册资本须为数字（万元）。"), field="registered_capital") from None
        if not capital.is_finite():
            raise DomainError(_("注册资本须为数字（万元）。"), field="registered_capital")
        if capital < 0:
            raise DomainError(_("注册资本不能为负数。"), field="registered_capital")
        if capital >= Decimal("1e12"):  # the column holds 14 digits, 2 after the point
            raise DomainError(_("注册资本超出允许范围（万元，不超过 12 位整数）。"), field="registered_capital")
        out["registered_capital"] = capital.quantize(Decimal("0.01"))
    elif "registered_capital" in out:
        out["registered_capital"] = None
    if "employees" in out:
        try:
            employees = int(out["employees"] or 0)
        except (TypeError, ValueError):
            raise DomainError(_("从业人数须为整数。"), field="employees") from None
        if employees < 0:
            raise DomainError(_("从业人数不能为负数。"), field="employees")
        out["employees"] = employees
    if out.get("founded_on") and out["founded_on"] > date.today():
        raise DomainError(_("成立日期不能晚于今天。"), field="founded_on")
    return out


def _check_address(building: Building | None, floor: Floor | None, unit: Unit | None):
    """Fills building and floor from the unit; refuses a floor or unit of another building."""
    if unit is not None:
        if floor is not None and unit.floor_id != floor.pk:
            raise DomainError(_("房间不在所选楼层。"), field="unit")
        floor = unit.floor
    if floor is not None:
        if building is not None and floor.building_id != building.pk:
            raise DomainError(_("所选楼层不属于该楼宇。"), field="floor")
        building = floor.building
    return building, floor, unit


def grid_cell_for_address(building: Building | None, floor: Floor | None):
    if floor is not None and floor.grid_cell_id:
        return floor.grid_cell
    if building is not None and building.grid_cell_id:
        return building.grid_cell
    return None


def _set_tags(enterprise: Enterprise, names: Iterable[str]) -> None:
    names = [n.strip() for n in names if n and n.strip()]
    tags = [Tag.objects.get_or_create(name=n[:40])[0] for n in dict.fromkeys(names)]
    enterprise.tags.set(tags)


@transaction.atomic
def enterprise_create(
    *,
    actor,
    uscc: str,
    name: str,
    tags: Iterable[str] = (),
    former_names: Iterable[str] = (),
    building: Building | None = None,
    floor: Floor | None = None,
    unit: Unit | None = None,
    **fields,
) -> Enterprise:
    check_manage(actor)
    code = validate_uscc(uscc)
    if Enterprise.objects.filter(uscc=code).exists():
        raise DomainError(_("统一社会信用代码 %(c)s 已登记。") % {"c": code}, field="uscc")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise DomainError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    data = _clean_fields({"name": name, **fields})
    building, floor, unit = _check_address(building, floor, unit)
    full, initials = name_pinyin(data["name"])
    enterprise = Enterprise.objects.create(
        uscc=code,
        name_pinyin=full,
        name_initials=initials,
        former_names=[n for n in former_names if n],
        building=building,
        floor=floor,
        unit=unit,
        grid_cell=grid_cell_for_address(building, floor),
        **data,
    )
    if tags:
        _set_tags(enterprise, tags)
    audit.record(actor=actor, action="enterprise.create", obj=enterprise, org=enterprise.org, details={"uscc": code})
    return enterprise


@transaction.atomic
def enterprise_update(
    *,
    actor,
    enterprise: Enterprise,
    tags: Iterable[str] | None = None,
    building: Building | None = None,
    floor: Floor | None = None,
    unit: Unit | None = None,
    address_given: bool = False,
    **changes,
) -> Enterprise:
    check_manage(actor, enterprise)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    data = _clean_fields(changes)
    before = {k: str(getattr(enterprise, k)) for k in data}
    if "name" in data and data["name"] != enterprise.name:
        if enterprise.name not in enterprise.former_names:
            enterprise.former_names = [*enterprise.former_names, enterprise.name]
        enterprise.name_pinyin, enterprise.name_initials = name_pinyin(data["name"])
    for k, v in data.items():
        setattr(enterprise, k, v)
    if address_given or building or floor or unit:
        building, floor, unit = _check_address(building, floor, unit)
        enterprise.building, enterprise.floor, enterprise.unit = building, floor, unit
        if not enterprise.grid_explicit:
            enterprise.grid_cell = grid_cell_for_address(building, floor)
    enterprise.save()
    if tags is not None:
        _set_tags(enterprise, tags)
    changed = {k: [before[k], str(getattr(enterprise, k))] for k in data if before[k] != str(getattr(enterprise, k))}
    audit.record(actor=actor, action="enterprise.update", obj=enterprise, org=enterprise.org, details=changed)
    return enterprise


def clean_enterprise_row(row: dict) -> dict:
    """One row of an import or a seed, validated like enterprise_create; raises DomainError naming the field."""
    code = validate_uscc(row.get("uscc"))
    data = _clean_fields({k: row.get(k) for k in EDITABLE if k in row})
    if not data.get("name"):
        raise DomainError(_("请填写企业名称。"), field="name")
    data["uscc"] = code
    data["tags"] = [str(t).strip()[:40] for t in (row.get("tags") or []) if str(t).strip()]
    return data


def existing_usccs(codes: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(codes), 900):
        found.update(Enterprise.objects.filter(uscc__in=codes[start : start + 900]).values_list("uscc", flat=True))
    return found


def _fast_insert(rows: list[dict]) -> None:
    """Validated rows in one statement (hongyin.common.bulk_insert: COPY on PostgreSQL): Django's bulk_create
    spends most of its time preparing each value of each field; here defaults and constants are prepared once and
    only dates and decimals per row."""
    fields = [f for f in Enterprise._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    constants = {
        "created_at": now,
        "updated_at": now,
        "former_names": [],
        "grid_explicit": False,
    }
    prepared = {}
    for f in fields:
        if f.name in constants:
            prepared[f.attname] = f.get_db_prep_save(constants[f.name], connection)
        else:
            default = f.get_default()
            prepared[f.attname] = None if default is None else f.get_db_prep_save(default, connection)
    plain = (models.CharField, models.IntegerField, models.BooleanField, models.ForeignKey)
    converted = {f.attname: f for f in fields if not isinstance(f, plain) and f.name not in constants}
    order = [f.attname for f in fields]
    values = []
    for data in rows:
        full, initials = name_pinyin(data["name"])
        row = dict(prepared)
        row["name_pinyin"], row["name_initials"] = full, initials
        for key, value in data.items():
            if key == "tags":
                continue
            if key == "org":
                row["org_id"] = value.pk if value is not None else None
                continue
            field = converted.get(key)
            if field is not None:
                value = None if value in (None, "") else field.get_db_prep_save(value, connection)
            row[key] = value
        values.append([row[a] for a in order])
    insert_rows(Enterprise, [f.column for f in fields], values)


def enterprises_bulk_create(
    *, actor, rows: list[dict], source: str = "import", progress=None, validated: bool = False
) -> int:
    """Many enterprises at once (imports, seed), all or nothing. Rows carry the fields of enterprise_create plus
    `tags` (names) and `row` (the sheet row, for messages). Unless `validated` (the import engine has checked each
    row already), every row is validated first and a DomainError lists the bad rows; nothing is written then."""
    check_manage(actor, perm="enterprises.import" if source == "import" else "enterprises.manage")
    if validated:
        cleaned = list(rows)
    else:
        errors: list[str] = []
        seen: set[str] = set()
        cleaned = []
        for i, row in enumerate(rows, start=1):
            try:
                data = clean_enterprise_row(row)
                if data["uscc"] in seen:
                    raise DomainError(_("统一社会信用代码在文件中重复。"), field="uscc")
                seen.add(data["uscc"])
                cleaned.append(data)
            except DomainError as exc:
                errors.append(_("第 %(r)s 行：%(m)s") % {"r": row.get("row", i), "m": exc.message})
                if len(errors) >= 50:
                    break
        existing = existing_usccs([d["uscc"] for d in cleaned])
        if existing:
            errors.append(_("以下统一社会信用代码已登记：%(c)s") % {"c": "、".join(sorted(existing)[:10])})
        if errors:
            raise DomainError(_("导入未执行，没有写入任何数据。") + "\n" + "\n".join(errors))
    with transaction.atomic():
        tag_ids = {t.name: t.pk for t in Tag.objects.all()}
        for data in cleaned:
            for n in data.get("tags") or ():
                if n not in tag_ids:
                    tag_ids[n] = Tag.objects.create(name=n).pk
        total = len(cleaned)
        through = Enterprise.tags.through
        for start in range(0, total, 2000):
            chunk = cleaned[start : start + 2000]
            _fast_insert(chunk)
            ids = dict(Enterprise.objects.filter(uscc__in=[d["uscc"] for d in chunk]).values_list("uscc", "pk"))
            links = [
                through(enterprise_id=ids[data["uscc"]], tag_id=tag_ids[n])
                for data in chunk
                for n in dict.fromkeys(data.get("tags") or ())
            ]
            through.objects.bulk_create(links, batch_size=900)
            if progress:
                progress(start + len(chunk))
        audit.record(actor=actor, action="enterprise.bulk_create", details={"count": total, "source": source})
    return len(cleaned)
