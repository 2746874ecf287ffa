"""Writes for enterprises, buildings, leases, chains and incubation. Each one validates, writes and audits."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError
from hongyin.common.identifiers import validate_uscc

from . import industry
from .models import (
    Building,
    BuildingFigure,
    ChainMembership,
    ChainNode,
    Enterprise,
    EnterpriseLinkRequest,
    Floor,
    Incubation,
    IncubationBase,
    IndustryChain,
    InnovationPlatform,
    Lease,
    LinkKind,
    LinkStatus,
    ListedBoard,
    PlatformKind,
    Segment,
    SizeClass,
    Tag,
    Unit,
)
from .pinyin import name_pinyin

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


def _check_manage(actor, enterprise: Enterprise | None = None, perm: str = "enterprises.manage") -> None:
    if actor is None:  # seed and system jobs
        return
    from django.core.exceptions import PermissionDenied

    if not actor.has_role_perm(perm):
        raise PermissionDenied
    if enterprise is not None and enterprise.pk:
        from .permissions import enterprises_visible_to

        if not enterprises_visible_to(actor, perm).filter(pk=enterprise.pk).exists():
            from django.http import Http404

            raise Http404


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
    _check_manage(actor)
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
    _check_manage(actor, enterprise)
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
    from django.db import connection
    from django.utils import timezone

    from hongyin.common.bulk_insert import insert_rows

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
    _check_manage(actor, perm="enterprises.import" if source == "import" else "enterprises.manage")
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


# --- buildings --------------------------------------------------------------------------------------------------


def _check_building_manage(actor, building: Building | None = None) -> None:
    if actor is None:
        return
    from django.core.exceptions import PermissionDenied

    if not actor.has_role_perm("buildings.manage"):
        raise PermissionDenied
    if building is not None and building.pk:
        from .permissions import buildings_visible_to

        if not buildings_visible_to(actor, "buildings.manage").filter(pk=building.pk).exists():
            from django.http import Http404

            raise Http404


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
    _check_building_manage(actor)
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
    _check_building_manage(actor, building)
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
    _check_building_manage(actor, floor.building)
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


def _check_lease(unit: Unit, start_on: date | None, end_on: date | None) -> None:
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


def _in_scope(actor, enterprise: Enterprise) -> bool:
    """Whether the actor already sees the enterprise: only then may it link it directly (a link widens scope)."""
    if actor is None:
        return True
    from .permissions import enterprises_visible_to

    return enterprises_visible_to(actor, "enterprises.view").filter(pk=enterprise.pk).exists()


def _check_enterprise_in_scope(actor, enterprise: Enterprise) -> None:
    if not _in_scope(actor, enterprise):
        from django.http import Http404

        raise Http404


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
        _check_building_manage(actor, unit.floor.building)
        _check_enterprise_in_scope(actor, enterprise)
    _check_lease(unit, start_on, end_on)
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
    _check_building_manage(actor, building)
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


# --- chains -----------------------------------------------------------------------------------------------------


def _check_chain_manage(actor, chain: IndustryChain | None = None) -> None:
    if actor is None:
        return
    from django.core.exceptions import PermissionDenied

    if not actor.has_role_perm("chains.manage"):
        raise PermissionDenied
    if chain is not None and chain.pk:
        from .permissions import chains_visible_to

        if not chains_visible_to(actor, "chains.manage").filter(pk=chain.pk).exists():
            from django.http import Http404

            raise Http404


@transaction.atomic
def chain_create(*, actor, name: str, description: str = "", party_committee=None) -> IndustryChain:
    _check_chain_manage(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写产业链名称。"), field="name")
    if IndustryChain.objects.filter(name=name).exists():
        raise DomainError(_("产业链“%(n)s”已存在。") % {"n": name}, field="name")
    chain = IndustryChain.objects.create(name=name, description=description, party_committee=party_committee)
    audit.record(actor=actor, action="chain.create", obj=chain, org=party_committee)
    return chain


@transaction.atomic
def chain_node_create(
    *, actor, chain: IndustryChain, name: str, segment: str = "", parent: ChainNode | None = None
) -> ChainNode:
    _check_chain_manage(actor, chain)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写环节名称。"), field="name")
    if parent is not None:
        if parent.chain_id != chain.pk:
            raise DomainError(_("上级环节不属于该产业链。"), field="parent")
        node = ChainNode.objects.add_child(
            ChainNode.objects.get(pk=parent.pk),
            create_kwargs={"chain": chain, "name": name, "segment": parent.segment},
        )
    else:
        if segment not in Segment.values:
            raise DomainError(_("请选择链段（上游、中游、下游）。"), field="segment")
        node = ChainNode.objects.add_root(create_kwargs={"chain": chain, "name": name, "segment": segment})
    audit.record(actor=actor, action="chain.node_create", obj=node, details={"chain": chain.pk})
    return node


@transaction.atomic
def chain_enterprise_add(
    *, actor, node: ChainNode, enterprise: Enterprise, is_lead: bool = False, check_scope: bool = True
) -> ChainMembership:
    """check_scope=False: an approved link request (the approver need not manage the chain)."""
    if check_scope:
        _check_chain_manage(actor, node.chain)
        _check_enterprise_in_scope(actor, enterprise)
    membership, created = ChainMembership.objects.get_or_create(
        node=node, enterprise=enterprise, defaults={"is_lead": is_lead}
    )
    if not created and membership.is_lead != is_lead:
        membership.is_lead = is_lead
        membership.save(update_fields=["is_lead"])
    audit.record(
        actor=actor,
        action="chain.enterprise_add",
        obj=node,
        details={"enterprise": enterprise.pk, "is_lead": is_lead},
    )
    return membership


@transaction.atomic
def chain_enterprise_remove(*, actor, node: ChainNode, enterprise: Enterprise) -> None:
    _check_chain_manage(actor, node.chain)
    ChainMembership.objects.filter(node=node, enterprise=enterprise).delete()
    audit.record(actor=actor, action="chain.enterprise_remove", obj=node, details={"enterprise": enterprise.pk})


# --- linking an enterprise named by its USCC ---------------------------------------------------------------------


def link_requested_message() -> str:
    """The one answer for a code that is out of scope or unknown: no existence oracle."""
    return _("已提交关联申请，待审核。")


def _link_request(*, actor, kind: str, code: str, org, **target) -> EnterpriseLinkRequest:
    enterprise = Enterprise.objects.filter(uscc=code).first()
    same = {"node": target.get("node"), "unit": target.get("unit")}
    pending = EnterpriseLinkRequest.objects.filter(
        kind=kind, uscc=code, requester=actor, status=LinkStatus.PENDING, **same
    ).first()
    if pending is not None:
        return pending
    req = EnterpriseLinkRequest.objects.create(kind=kind, uscc=code, enterprise=enterprise, requester=actor, **target)
    details = {"kind": kind, "uscc": code}
    details |= {"node": target["node"].pk} if target.get("node") else {"unit": target["unit"].pk}
    audit.record(actor=actor, action="enterprise.link_request", obj=req, org=org, details=details)
    return req


@transaction.atomic
def chain_enterprise_link(
    *, actor, node: ChainNode, uscc: str, is_lead: bool = False
) -> ChainMembership | EnterpriseLinkRequest:
    """Put the enterprise with this USCC on a node: directly when the actor already sees it, otherwise as a request
    (unknown codes too) that the zone or the enterprise's current committee decides."""
    _check_chain_manage(actor, node.chain)
    code = validate_uscc(uscc)
    enterprise = Enterprise.objects.filter(uscc=code).first()
    if actor is None or (enterprise is not None and _in_scope(actor, enterprise)):
        if enterprise is None:
            raise DomainError(_("信用代码为 %(c)s 的企业尚未登记，请先登记企业。") % {"c": code}, field="uscc")
        return chain_enterprise_add(actor=actor, node=node, enterprise=enterprise, is_lead=is_lead)
    return _link_request(
        actor=actor,
        kind=LinkKind.CHAIN,
        code=code,
        org=node.chain.party_committee,
        node=node,
        is_lead=is_lead,
    )


@transaction.atomic
def lease_link(
    *, actor, unit: Unit, uscc: str, start_on: date | None, end_on: date | None = None
) -> Lease | EnterpriseLinkRequest:
    """Let a unit to the enterprise with this USCC: directly when the actor already sees it, otherwise a request."""
    unit = Unit.objects.select_related("floor__building").get(pk=unit.pk)
    _check_building_manage(actor, unit.floor.building)
    code = validate_uscc(uscc)
    enterprise = Enterprise.objects.filter(uscc=code).first()
    if actor is None or (enterprise is not None and _in_scope(actor, enterprise)):
        if enterprise is None:
            raise DomainError(_("信用代码为 %(c)s 的企业尚未登记，请先登记企业。") % {"c": code}, field="uscc")
        return lease_create(actor=actor, unit=unit, enterprise=enterprise, start_on=start_on, end_on=end_on)
    _check_lease(unit, start_on, end_on)  # the unit and the dates are the requester's own business
    return _link_request(
        actor=actor,
        kind=LinkKind.LEASE,
        code=code,
        org=unit.floor.building.party_committee,
        unit=unit,
        start_on=start_on,
        end_on=end_on,
    )


@transaction.atomic
def link_request_decide(
    *, actor, link_request: EnterpriseLinkRequest, approve: bool, reason: str = ""
) -> EnterpriseLinkRequest:
    """The zone admin (or the enterprise's current committee) approves, which makes the link, or refuses."""
    from django.utils import timezone

    from .permissions import link_requests_decidable_by

    req = EnterpriseLinkRequest.objects.select_for_update(of=("self",)).get(pk=link_request.pk)
    if actor is not None and not link_requests_decidable_by(actor).filter(pk=req.pk).exists():
        from django.http import Http404

        raise Http404
    if req.status != LinkStatus.PENDING:
        raise DomainError(_("该申请已经审核。"))
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise DomainError(_("内容过长（不超过 %(n)s 个字）。") % {"n": 200}, field="reason")
    enterprise = req.enterprise or Enterprise.objects.filter(uscc=req.uscc).first()
    if approve:
        if enterprise is None:
            raise DomainError(_("信用代码为 %(c)s 的企业尚未登记，不能批准。") % {"c": req.uscc})
        if req.kind == LinkKind.CHAIN:
            chain_enterprise_add(
                actor=actor, node=req.node, enterprise=enterprise, is_lead=req.is_lead, check_scope=False
            )
        else:
            lease_create(
                actor=actor,
                unit=req.unit,
                enterprise=enterprise,
                start_on=req.start_on,
                end_on=req.end_on,
                check_scope=False,
            )
    elif not reason:
        raise DomainError(_("请填写不予批准的理由。"), field="reason")
    req.enterprise = enterprise
    req.status = LinkStatus.APPROVED if approve else LinkStatus.REFUSED
    req.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    req.decided_at = timezone.now()
    req.reason = reason
    req.save(update_fields=["enterprise", "status", "decided_by", "decided_at", "reason", "updated_at"])
    audit.record(
        actor=actor,
        action="enterprise.link_approve" if approve else "enterprise.link_refuse",
        obj=req,
        org=enterprise.org if enterprise else None,
        details={"kind": req.kind, "uscc": req.uscc, "requester": req.requester_id, "reason": reason},
    )
    return req


PLATFORM_EDITABLE = frozenset({"name", "kind", "node", "enterprise"})


def _clean_platform(chain: IndustryChain, data: dict) -> dict:
    """Validates the given platform fields (all of them on create, the changed ones on update)."""
    out = dict(data)
    if "name" in out:
        name = (out["name"] or "").strip()
        if not name:
            raise DomainError(_("请填写平台名称。"), field="name")
        if len(name) > 120:
            raise DomainError(_("平台名称不能超过 120 个字符。"), field="name")
        out["name"] = name
    if "kind" in out and out["kind"] not in PlatformKind.values:
        raise DomainError(_("类型须为创新平台或新型研发机构。"), field="kind")
    if out.get("node") is not None and out["node"].chain_id != chain.pk:
        raise DomainError(_("环节不属于该产业链。"), field="node")
    return out


@transaction.atomic
def platform_create(
    *, actor, chain: IndustryChain, name: str, kind: str, node: ChainNode | None = None, enterprise=None
) -> InnovationPlatform:
    _check_chain_manage(actor, chain)
    data = _clean_platform(chain, {"name": name, "kind": kind, "node": node, "enterprise": enterprise})
    platform = InnovationPlatform.objects.create(chain=chain, **data)
    audit.record(actor=actor, action="chain.platform_create", obj=platform, details={"chain": chain.pk})
    return platform


def _platform_value(platform: InnovationPlatform, field: str) -> tuple:
    """(what is stored, what the audit shows): a node or an enterprise is compared by id, shown by name."""
    value = getattr(platform, field)
    stored = platform.serializable_value(field)
    return stored, "" if value is None else str(value)


@transaction.atomic
def platform_update(*, actor, platform: InnovationPlatform, **changes) -> InnovationPlatform:
    """Renames a platform, changes its kind, its node (None: none) or its host enterprise (None: none)."""
    _check_chain_manage(actor, platform.chain)
    unknown = set(changes) - PLATFORM_EDITABLE
    if unknown:
        raise DomainError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    data = _clean_platform(platform.chain, changes)
    before = {k: _platform_value(platform, k) for k in data}
    for k, v in data.items():
        setattr(platform, k, v)
    after = {k: _platform_value(platform, k) for k in data}
    changed = {k: [before[k][1], after[k][1]] for k in data if before[k][0] != after[k][0]}
    if not changed:
        return platform
    platform.save(update_fields=list(changed))
    audit.record(actor=actor, action="chain.platform_update", obj=platform, details=changed)
    return platform


@transaction.atomic
def platform_delete(*, actor, platform: InnovationPlatform) -> None:
    _check_chain_manage(actor, platform.chain)
    audit.record(
        actor=actor,
        action="chain.platform_delete",
        obj=platform,
        details={"chain": platform.chain_id, "name": platform.name, "kind": platform.kind},
    )
    platform.delete()


# --- incubation -------------------------------------------------------------------------------------------------


@transaction.atomic
def incubation_base_create(*, actor, name: str, kind: str, building: Building | None = None) -> IncubationBase:
    _check_manage(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写孵化载体名称。"), field="name")
    if IncubationBase.objects.filter(name=name).exists():
        raise DomainError(_("孵化载体“%(n)s”已存在。") % {"n": name}, field="name")
    base = IncubationBase.objects.create(name=name, kind=kind, building=building)
    audit.record(actor=actor, action="incubation.base_create", obj=base)
    return base


@transaction.atomic
def incubation_add(
    *, actor, enterprise: Enterprise, base: IncubationBase, entered_on: date, graduated_on: date | None = None
) -> Incubation:
    _check_manage(actor, enterprise)
    if entered_on is None:
        raise DomainError(_("请填写入驻日期。"), field="entered_on")
    if graduated_on is not None and graduated_on < entered_on:
        raise DomainError(_("毕业日期不能早于入驻日期。"), field="graduated_on")
    if Incubation.objects.filter(enterprise=enterprise, graduated_on__isnull=True).exists():
        raise DomainError(_("该企业尚在孵化载体中，请先登记毕业日期。"), field="base")
    stay = Incubation.objects.create(enterprise=enterprise, base=base, entered_on=entered_on, graduated_on=graduated_on)
    audit.record(actor=actor, action="incubation.add", obj=enterprise, details={"base": base.name})
    return stay


@transaction.atomic
def incubation_graduate(*, actor, stay: Incubation, graduated_on: date | None) -> Incubation:
    stay = Incubation.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=stay.pk)
    _check_manage(actor, stay.enterprise)
    if graduated_on is None:
        raise DomainError(_("请填写毕业日期。"), field="graduated_on")
    if stay.graduated_on is not None:
        raise DomainError(
            _("该入孵记录已于 %(d)s 登记毕业。") % {"d": stay.graduated_on.isoformat()}, field="graduated_on"
        )
    if graduated_on < stay.entered_on:
        raise DomainError(_("毕业日期不能早于入驻日期。"), field="graduated_on")
    if graduated_on > date.today():
        raise DomainError(_("毕业日期不能晚于今天。"), field="graduated_on")
    stay.graduated_on = graduated_on
    stay.save(update_fields=["graduated_on"])
    audit.record(
        actor=actor,
        action="incubation.graduate",
        obj=stay.enterprise,
        details={"base": stay.base_id, "graduated_on": graduated_on},
    )
    return stay
