"""Seed: the grid's lower levels, the seven buildings of DOMAIN.md (and generic ones at larger scales) with floors,
units, leases and monthly figures, the photonics chain with segments and nodes, incubation bases, and the zone's
enterprises (demo ~600, zone 20,000), some without a party organization so coverage work shows.

Idempotent: a second run finds the chain and does nothing. Bulk inserts keep the zone scale fast.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from hongyin.audit import services as audit
from hongyin.enterprises import services as ent_services
from hongyin.enterprises.models import (
    Building,
    BuildingFigure,
    ChainMembership,
    ChainNode,
    Enterprise,
    Floor,
    Incubation,
    IncubationBase,
    IndustryChain,
    InnovationPlatform,
    Lease,
    SizeClass,
    Unit,
)
from hongyin.enterprises.pinyin import name_pinyin
from hongyin.grid import services as grid_services
from hongyin.grid.models import GridCell

CHAIN_NAME = "光子产业链"
BUILDINGS = [
    # name, floors above, floors below, annual tax (yuan, for the tier), area
    ("第一楼宇", 24, 2, 180_000_000, 62_000),
    ("迈科中心", 30, 3, 65_000_000, 88_000),
    ("嘉昱大厦", 22, 2, 32_000_000, 45_000),
    ("华邦阳光城", 18, 2, 12_500_000, 39_000),
    ("禾盛京广", 28, 3, 240_000_000, 76_000),
    ("万象汇", 12, 2, 8_000_000, 52_000),
    ("绿地中心", 57, 4, 1_250_000_000, 160_000),
]
TOTAL = {"demo": 600, "zone": 20_000, "province": 60_000}
BUILDING_COUNT = {"demo": 7, "zone": 150, "province": 400}
FLOORS_SEEDED = {"demo": 12, "zone": 12, "province": 8}  # floors given units per building (all at demo for the 7)
UNITS_PER_FLOOR = {"demo": 4, "zone": 6, "province": 6}  # demo: 600 enterprises fill ~80% of the seven towers

# segment, top node, children (name, industry code); nodes marked * stay empty (gaps, 补链)
CHAIN = [
    (
        "upstream",
        "光子材料与芯片",
        [
            ("光学晶体与玻璃材料", "3989"),
            ("光子芯片设计", "6520"),
            ("光子芯片制造与封测", "3973"),
            ("*光刻光源", "3976"),
        ],
    ),
    ("upstream", "激光器", [("半导体激光器", "3976"), ("光纤激光器", "3976"), ("超快激光器", "3976")]),
    ("upstream", "光学元件", [("精密光学镜头", "4040"), ("光栅与滤光片", "4040"), ("*量子光学器件", "4040")]),
    ("midstream", "光电器件与模块", [("光通信模块", "3920"), ("光电传感器", "3980"), ("红外探测器", "3976")]),
    ("midstream", "光学系统集成", [("机器视觉系统", "4020"), ("激光雷达", "3940")]),
    ("downstream", "光通信", [("光通信设备", "3920"), ("光纤光缆", "3830")]),
    ("downstream", "激光加工装备", [("激光切割焊接装备", "3420"), ("激光微纳加工装备", "3560")]),
    ("downstream", "光电显示", [("Micro-LED显示", "3974"), ("*激光显示", "3974")]),
    ("downstream", "测试仪器", [("光学测试仪器", "4014"), ("光谱分析仪器", "4021")]),
    ("downstream", "激光医疗", [("激光医疗设备", "3584")]),
]
FIRM_WORDS = {
    "光学晶体与玻璃材料": ["晶体", "光学材料", "特种玻璃"],
    "光子芯片设计": ["光芯", "硅光", "光子集成"],
    "光子芯片制造与封测": ["光电封测", "芯片封装", "光子制造"],
    "半导体激光器": ["炬光", "半导体激光", "激光芯片"],
    "光纤激光器": ["光纤激光", "锐光", "光纤器件"],
    "超快激光器": ["超快激光", "飞秒光电", "皮秒激光"],
    "精密光学镜头": ["精密光学", "镜头", "光学仪器"],
    "光栅与滤光片": ["光栅", "薄膜光学", "滤光"],
    "光通信模块": ["光模块", "光互连", "光通信"],
    "光电传感器": ["光电传感", "传感", "感知"],
    "红外探测器": ["红外", "热成像", "红外探测"],
    "机器视觉系统": ["机器视觉", "视觉智能", "智能检测"],
    "激光雷达": ["激光雷达", "光测距", "智能感知"],
    "光通信设备": ["光网络", "通信设备", "光传输"],
    "光纤光缆": ["光纤", "光缆", "线缆"],
    "激光切割焊接装备": ["激光装备", "激光智能装备", "焊接科技"],
    "激光微纳加工装备": ["微纳加工", "精密激光", "微纳制造"],
    "Micro-LED显示": ["显示技术", "光显", "微显示"],
    "光学测试仪器": ["光学测试", "测量仪器", "检测仪器"],
    "光谱分析仪器": ["光谱", "分析仪器", "光谱科技"],
    "激光医疗设备": ["激光医疗", "医疗光电", "光医疗"],
}
PLACES = [
    "西安",
    "秦川",
    "丝路",
    "长安",
    "曲江",
    "雁塔",
    "高新",
    "关中",
    "华清",
    "终南",
    "大唐",
    "汉唐",
    "渭水",
    "锦业",
]
PLACES2 = ["中科", "光谷", "瑞", "博", "天", "星", "源", "创", "卓", "智", "恒", "宏", "嘉", "远", "航", "鼎"]
OTHER_TRADES = [
    ("软件", "6510"),
    ("集成电路设计", "6520"),
    ("信息技术", "6530"),
    ("数据科技", "6450"),
    ("检测认证", "7450"),
    ("工程设计", "7480"),
    ("知识产权", "7520"),
    ("人力资源", "7260"),
    ("生物医药", "2760"),
    ("医疗器械", "3580"),
    ("新能源", "3840"),
    ("电子元件", "3980"),
    ("智能装备", "3490"),
    ("商贸", "5170"),
    ("咨询", "7240"),
]
SUFFIXES = ["科技有限公司", "技术有限公司", "股份有限公司", "光电科技有限公司", "智能科技有限公司"]
TAGS = ["高新技术企业", "科技型中小企业", "专精特新", "瞪羚企业", "独角兽企业", "雏鹰企业"]
BASES = [
    ("创业园众创苗圃", "nursery"),
    ("创业园孵化器", "incubator"),
    ("光子产业加速器", "accelerator"),
    ("西安光电产业园", "park"),
    ("硬科技企业孵化器", "incubator"),
]
PLATFORMS = [  # (name, kind): the innovation platforms and new R&D institutions of a photonics chain
    ("陕西光子集成创新中心", "platform"),
    ("先进光子器件工程技术研究中心", "platform"),
    ("超快激光技术创新平台", "platform"),
    ("光电子集成先导技术研究院", "institute"),
    ("激光智能制造协同创新中心", "platform"),
    ("光学精密测量公共技术服务平台", "platform"),
    ("硅光芯片中试平台", "platform"),
    ("红外光电工程研究中心", "platform"),
    ("光通信器件检测平台", "platform"),
    ("微纳光学制造联合实验室", "platform"),
    ("先进光电材料研究院", "institute"),
    ("半导体激光器产业技术研究院", "institute"),
    ("光电显示技术研究所", "institute"),
    ("光子芯片封装测试公共服务平台", "platform"),
]


def _code(value: str) -> str:
    # the table holds groups (3 digits); a 4-digit class falls back to its group
    return value[:3]


def _uscc(rng: random.Random, used: set[str]) -> str:
    from stdnum.cn import uscc as uscc_std

    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    while True:
        body = "91" + "610131" + "".join(rng.choice(chars) for _ in range(9))
        code = body + uscc_std.calc_check_digit(body)
        if code not in used:
            used.add(code)
            return code


def _cells(zone, scale: str) -> dict:
    """Level 3 (park/community) under each area, level 4 per building, level 5 micro-grids for some floors."""
    areas = [c for c in GridCell.objects.filter(level=2).order_by("path")]
    level3 = {}
    names = ["创业园", "软件新城社区", "丈八社区"]
    for area, name in zip(areas, names, strict=False):
        existing = GridCell.objects.get_children(area).filter(name=name).first()
        level3[area.pk] = existing or grid_services.grid_cell_create(actor=None, parent=area, name=name)
    return {"areas": areas, "level3": list(level3.values())}


def _buildings(zone, scale: str, rng: random.Random, cells: dict) -> list[Building]:
    buildings = []
    count = BUILDING_COUNT[scale]
    for i in range(count):
        if i < len(BUILDINGS):
            name, above, below, _tax, area = BUILDINGS[i]
            committee = zone.buildings[i] if i < len(zone.buildings) else None
        else:
            kind = ["科技园", "创新港", "国际中心", "金融大厦", "智慧谷"][i % 5]
            name = f"{PLACES[i % len(PLACES)]}{kind}{i // 70 + 1}号楼"
            above, below, area, committee = rng.randint(8, 30), rng.randint(1, 3), rng.randint(15_000, 80_000), None
        parent = cells["level3"][i % len(cells["level3"])]
        building = Building.objects.filter(name=name).first()
        if building is None:
            cell = grid_services.grid_cell_create(actor=None, parent=parent, name=name)
            building = ent_services.building_create(
                actor=None,
                name=name,
                floors_above=above,
                floors_below=below,
                address=f"西安市高新区{PLACES[i % len(PLACES)]}路{10 + i}号",
                gross_area=area,
                party_committee=committee,
                grid_cell=cell,
            )
        buildings.append(building)
    # floors and units in bulk (the services validate single edits; the layout here is generated within range)
    floors, units = [], []
    for b_index, building in enumerate(buildings):
        n_floors = building.floors_above if b_index < len(BUILDINGS) and scale == "demo" else FLOORS_SEEDED[scale]
        n_floors = min(n_floors, building.floors_above)
        for number in range(1, n_floors + 1):
            floors.append(Floor(building=building, number=number))
    Floor.objects.bulk_create(floors, batch_size=500)
    floors = list(Floor.objects.filter(building__in=buildings).select_related("building").order_by("id"))
    for floor in floors:
        per_floor = UNITS_PER_FLOOR[scale]
        for u in range(1, per_floor + 1):
            area = Decimal(rng.choice([120, 180, 240, 320, 450, 600]))
            units.append(
                Unit(
                    floor=floor,
                    number=f"{floor.number}{u:02d}",
                    area=area,
                    leasable=u != per_floor or floor.number > 1,
                )
            )
    Unit.objects.bulk_create(units, batch_size=500)
    # level-5 micro-grids: first three floors of the first building
    first = buildings[0]
    for floor in [f for f in floors if f.building_id == first.pk][:3]:
        cell = grid_services.grid_cell_create(actor=None, parent=first.grid_cell, name=f"{first.name}{floor.label}")
        floor.grid_cell = cell
        floor.save(update_fields=["grid_cell"])
    # monthly figures: 24 months
    today = date.today().replace(day=1)
    months = []
    m = today
    for _ in range(24):
        m = (m - timedelta(days=1)).replace(day=1)
        months.append(m)
    figures = []
    for b_index, building in enumerate(buildings):
        annual = BUILDINGS[b_index][3] if b_index < len(BUILDINGS) else rng.choice([3e6, 15e6, 40e6, 120e6])
        employees = int(building.gross_area / 25)
        for k, month in enumerate(sorted(months)):
            growth = 0.85 + 0.15 * k / 23
            tax = Decimal(round(annual / 12 * growth * rng.uniform(0.85, 1.15), 2))
            figures.append(
                BuildingFigure(
                    building=building,
                    month=month,
                    tax_paid=tax,
                    output_value=tax * Decimal(rng.randint(8, 15)),
                    employees=int(employees * growth),
                )
            )
    BuildingFigure.objects.bulk_create(figures, batch_size=500)
    return buildings


def _chain(zone, rng: random.Random) -> tuple[IndustryChain, list[tuple[ChainNode, str, str]]]:
    chain = ent_services.chain_create(
        actor=None,
        name=CHAIN_NAME,
        description="光子产业链党委（2023年9月成立）：链党委 + 企业党组织 + 新型研发机构；"
        "政策指导、产学研合作、协同创新一站式服务。",
        party_committee=zone.chain,
    )
    leaves = []
    for segment, top, children in CHAIN:
        node = ent_services.chain_node_create(actor=None, chain=chain, name=top, segment=segment)
        for child_name, code in children:
            gap = child_name.startswith("*")
            child = ent_services.chain_node_create(actor=None, chain=chain, name=child_name.lstrip("*"), parent=node)
            leaves.append((child, code, "gap" if gap else "ok"))
    return chain, leaves


def _name(rng: random.Random, words: list[str], used: set[str]) -> str:
    for _ in range(50):
        name = f"{rng.choice(PLACES)}{rng.choice(PLACES2)}{rng.choice(words)}{rng.choice(SUFFIXES)}"
        if name not in used:
            used.add(name)
            return name
    name = f"{rng.choice(PLACES)}{rng.choice(words)}{len(used)}{rng.choice(SUFFIXES)}"
    used.add(name)
    return name


@transaction.atomic
def seed_enterprises(zone, scale: str, rng: random.Random) -> None:
    if IndustryChain.objects.filter(name=CHAIN_NAME).exists():
        zone.enterprises = list(Enterprise.objects.order_by("id")[: max(len(zone.enterprises), 1)]) or zone.enterprises
        return
    rng = random.Random(rng.random())
    cells = _cells(zone, scale)
    buildings = _buildings(zone, scale, rng, cells)
    chain, leaves = _chain(zone, rng)

    # enterprises already made by build_reference get pinyin and an industry
    existing = list(Enterprise.objects.order_by("id"))
    for e in existing:
        e.name_pinyin, e.name_initials = name_pinyin(e.name)
        e.industry_code = _code(rng.choice(OTHER_TRADES)[1])
        e.size_class = rng.choice(SizeClass.values)
        e.employees = rng.randint(5, 800)
        e.founded_on = date(rng.randint(2005, 2023), rng.randint(1, 12), rng.randint(1, 28))
    Enterprise.objects.bulk_update(
        existing, ["name_pinyin", "name_initials", "industry_code", "size_class", "employees", "founded_on"], 500
    )

    used_codes = set(Enterprise.objects.values_list("uscc", flat=True))
    used_names = set(Enterprise.objects.values_list("name", flat=True))
    branches = [b for b in zone.branches]
    target = max(TOTAL[scale] - len(existing), 0)
    photonics = min(240 if scale == "demo" else 2_000, target)
    ok_leaves = [leaf for leaf in leaves if leaf[2] == "ok"]
    rows, leaf_of = [], {}
    for i in range(target):
        if i < photonics:
            node, code, _state = ok_leaves[i % len(ok_leaves)]
            name = _name(rng, FIRM_WORDS.get(node.name, ["光电"]), used_names)
        else:
            trade, code = rng.choice(OTHER_TRADES)
            node = None
            name = _name(rng, [trade], used_names)
        size = rng.choices(SizeClass.values, weights=[2, 8, 40, 50])[0]
        employees = {"large": 1200, "medium": 300, "small": 60, "micro": 8}[size]
        tags = []
        if rng.random() < 0.45:
            tags.append(TAGS[0])
        if rng.random() < 0.35:
            tags.append(TAGS[1])
        if rng.random() < 0.12:
            tags.append(TAGS[2])
        if rng.random() < 0.05:
            tags.append(TAGS[3])
        if i == 3:
            tags.append(TAGS[4])
        # about one in four without a party organization; joint branches cover several small firms
        org = None if rng.random() < 0.27 else rng.choice(branches) if branches else None
        rows.append(
            {
                "uscc": _uscc(rng, used_codes),
                "name": name,
                "legal_representative": rng.choice("王李张刘陈杨赵黄周吴")
                + rng.choice(["伟", "芳", "军", "敏", "强", "磊", "静", "洋"]),
                "registered_capital": Decimal(rng.choice([100, 300, 500, 1000, 2000, 5000, 10000])),
                "founded_on": date(rng.randint(2003, 2024), rng.randint(1, 12), rng.randint(1, 28)),
                "industry_code": _code(code),
                "size_class": size,
                "employees": int(employees * rng.uniform(0.4, 1.6)),
                "listed_board": rng.choice(["star", "chinext", "neeq", "sh_main"]) if rng.random() < 0.02 else "",
                "org": org,
                "tags": tags,
            }
        )
        if node is not None:
            leaf_of[rows[-1]["uscc"]] = node
    ent_services.enterprises_bulk_create(actor=None, rows=rows, source="seed")

    new = list(Enterprise.objects.filter(uscc__in=[r["uscc"] for r in rows]).order_by("id"))
    # chain memberships, a lead enterprise (链主) per top node
    memberships, leads = [], set()
    for e in new:
        node = leaf_of.get(e.uscc)
        if node is None:
            continue
        top = node.path[: ChainNode.steplen]
        lead = top not in leads and e.size_class in ("large", "medium")
        if lead:
            leads.add(top)
        memberships.append(ChainMembership(node=node, enterprise=e, is_lead=lead))
    ChainMembership.objects.bulk_create(memberships, batch_size=500)
    for i, (name, kind) in enumerate(PLATFORMS):
        node = ok_leaves[i % len(ok_leaves)][0]
        InnovationPlatform.objects.create(chain=chain, node=node, name=name, kind=kind)

    # addresses: leases of units (one lease per unit, so no overlap), the enterprise's grid cell follows the floor
    units = list(
        Unit.objects.filter(floor__building__in=buildings, leasable=True)
        .select_related("floor__building", "floor__grid_cell", "floor__building__grid_cell")
        .order_by("id")
    )
    rng.shuffle(units)
    tenants = [e for e in new if rng.random() < 0.9] + existing
    leases, updated = [], []
    for e, unit in zip(tenants, units, strict=False):
        # leases running today (most for five years from 2022-2025), so the vacancy rate is the one of now
        start = date(rng.randint(2022, 2025), rng.randint(1, 12), 1)
        leases.append(Lease(unit=unit, enterprise=e, start_on=start, end_on=start.replace(year=start.year + 5)))
        e.building, e.floor, e.unit = unit.floor.building, unit.floor, unit
        e.address = f"{unit.floor.building.name}{unit.floor.label}{unit.number}室"
        e.grid_cell = ent_services.grid_cell_for_address(unit.floor.building, unit.floor)
        updated.append(e)
    Lease.objects.bulk_create(leases, batch_size=500)
    Enterprise.objects.bulk_update(updated, ["building", "floor", "unit", "address", "grid_cell"], batch_size=500)
    # the rest sit directly in a park/community cell
    placed = {e.pk for e in updated}
    loose = [e for e in new if e.pk not in placed]
    for k, e in enumerate(loose):
        e.grid_cell = cells["level3"][k % len(cells["level3"])]
    Enterprise.objects.bulk_update(loose, ["grid_cell"], batch_size=500)

    # incubation bases and stays
    bases = []
    for name, kind in BASES:
        bases.append(
            IncubationBase.objects.filter(name=name).first()
            or ent_services.incubation_base_create(actor=None, name=name, kind=kind, building=buildings[0])
        )
    stays = []
    for e in new[: max(60, len(new) // 8)]:
        entered = date(rng.randint(2016, 2024), rng.randint(1, 12), 1)
        graduated = entered.replace(year=entered.year + 2) if rng.random() < 0.5 else None
        stays.append(Incubation(enterprise=e, base=rng.choice(bases), entered_on=entered, graduated_on=graduated))
    Incubation.objects.bulk_create(stays, batch_size=500)

    _instructors(zone, new, rng)
    audit.record(action="seed.enterprises", details={"enterprises": len(new), "buildings": len(buildings)})
    zone.enterprises = existing + new


def _instructors(zone, enterprises, rng) -> None:
    """Four more instructors (accounts without a usable password) share about 60% of the enterprises."""
    from hongyin.accounts.models import User

    instructors = []
    for k in range(1, 5):
        user, _created = User.objects.get_or_create(
            username=f"instructor_{k:02d}", defaults={"display_name": f"党建指导员 {k:02d}", "is_demo": True}
        )
        if _created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        instructors.append(user)
    picked = [e for e in enterprises if rng.random() < 0.6]
    for k, user in enumerate(instructors):
        grid_services.instructors_assign(actor=None, instructor=user, enterprises=picked[k :: len(instructors)])
