"""The demo zone, built through the services (ARCHITECTURE.md rule 10). The same code builds the bench data sets.

`build_zone(scale=..., seed=...)` is idempotent: what exists is found by name and kept.
Later issues extend it with their own `seed_*` steps (members, enterprises, appeals...).
"""

import os
import random
import secrets
import string
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from stdnum.cn import uscc as uscc_std

from hongyin.accounts import services as account_services
from hongyin.accounts.models import User
from hongyin.common.manifests import resolve
from hongyin.common.manifests import seed_steps as manifest_seed_steps
from hongyin.common.roles import TWO_FACTOR_ROLES, Role
from hongyin.directory.models import AllianceMember, Department, FinancialInstitution, Partner
from hongyin.enterprises import services as ent_services
from hongyin.enterprises.models import Enterprise
from hongyin.grid import services as grid_services
from hongyin.grid.models import GridCell
from hongyin.orgs import services as org_services
from hongyin.orgs.models import Organization, OrgCategory, OrgKind

ZONE = "西安高新区党工委"
PARK = "创业园党委"
CHAIN = "光子产业链党委"
BUILDINGS = [
    "第一楼宇党委",
    "迈科中心楼宇党委",
    "嘉昱大厦楼宇党委",
    "华邦阳光城楼宇党委",
    "禾盛京广楼宇党委",
    "万象汇楼宇党委",
    "绿地中心楼宇党委",
]
DEPARTMENTS = [
    ("工业和信息化局", "industry"),
    ("科技局", "science"),
    ("财政局", "finance"),
    ("人社局", "hr"),
    ("市场监管局", "market"),
    ("金融服务局", "banking"),
    ("法务服务中心", "legal"),
    ("规划和自然资源局", "land"),
    ("行政审批服务局", "approvals"),
]
FIRMS = ["光电", "激光", "光子芯片", "光通信", "精密光学", "光电显示", "测试仪器", "半导体", "智能装备", "软件"]
SUFFIXES = ["科技有限公司", "技术有限公司", "股份有限公司", "信息技术有限公司"]
PLACES = ["西安", "秦川", "丝路", "长安", "曲江", "雁塔", "高新", "关中", "华清", "终南"]

SCALES = {
    # branches per building committee, park branches, chain branches, extra committees (to reach the org count)
    "demo": {
        "building_branches": 6,
        "park_branches": 30,
        "chain_branches": 20,
        "extra_committees": 0,
        "extra_branches": 0,
        "enterprises": 60,
    },
    "zone": {
        "building_branches": 40,
        "park_branches": 120,
        "chain_branches": 200,
        "extra_committees": 60,
        "extra_branches": 22,
        "enterprises": 600,
    },
    "province": {
        "building_branches": 300,
        "park_branches": 1000,
        "chain_branches": 3000,
        "extra_committees": 1000,
        "extra_branches": 33,
        "enterprises": 5000,
    },
}

DEMO_USERS = [
    ("zone_admin", "组织部 王明", Role.ZONE_ADMIN),
    ("chain_admin", "光子产业链党委 李华", Role.COMMITTEE_ADMIN),
    ("building_admin", "第一楼宇党委 张丽", Role.COMMITTEE_ADMIN),
    ("branch_secretary", "支部书记 赵强", Role.BRANCH_SECRETARY),
    ("member", "党员 陈静", Role.MEMBER),
    ("grid_officer", "网格员 刘洋", Role.GRID_OFFICER),
    ("instructor", "党建指导员 杨帆", Role.INSTRUCTOR),
    ("enterprise_contact", "企业联络员 周敏", Role.ENTERPRISE_CONTACT),
    ("dept_handler", "科技局 吴涛", Role.DEPT_HANDLER),
    ("bank_reviewer", "建设银行高新支行 孙悦", Role.BANK_REVIEWER),
    ("partner_contact", "海康威视 韩磊", Role.PARTNER_CONTACT),
    ("system_admin", "系统管理员", Role.SYSTEM_ADMIN),
    ("security_admin", "安全管理员", Role.SECURITY_ADMIN),
    ("audit_admin", "审计管理员", Role.AUDIT_ADMIN),
]

DEMO_USERNAMES = [username for username, _name, _role in DEMO_USERS]


@dataclass
class Zone:
    root: Organization
    park: Organization
    chain: Organization
    buildings: list[Organization]
    branches: list[Organization] = field(default_factory=list)
    enterprises: list[Enterprise] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    grid_cells: list[GridCell] = field(default_factory=list)


def demo_password() -> str:
    """HONGYIN_DEMO_PASSWORD, or one generated once and kept in var/ so a second run prints the same."""
    from_env = os.environ.get("HONGYIN_DEMO_PASSWORD")
    if from_env:
        return from_env
    path = Path(settings.VAR_DIR if hasattr(settings, "VAR_DIR") else "var") / "demo-password.txt"
    if path.exists():
        return path.read_text().strip()
    alphabet = string.ascii_letters + string.digits
    password = "Hy-" + "".join(secrets.choice(alphabet) for _ in range(10)) + "7a"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(password)
    path.chmod(0o600)
    return password


def totp_key_for(username: str) -> str:
    """A fixed TOTP key per demo account (hex), derived from the secret key, so testers can enroll once."""
    from hongyin.common.crypto import sm3_hex

    return sm3_hex(f"{settings.SECRET_KEY}:demo-totp:{username}".encode())[:40]


def make_uscc(rng: random.Random) -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + "610131" + "".join(rng.choice(chars) for _ in range(9))
    return body + uscc_std.calc_check_digit(body)


def joint(kind: str) -> str:
    return "联合" if kind == OrgKind.JOINT_BRANCH else ""


def _org(parent, name, kind, category, founded=None) -> Organization:
    existing = (
        (Organization.objects.get_children(parent) if parent else Organization.objects.get_root_nodes())
        .filter(name=name)
        .first()
    )
    if existing:
        return existing
    return org_services.org_create(
        actor=None, parent=parent, name=name, kind=kind, category=category, founded_on=founded
    )


def build_orgs(scale: str, rng: random.Random) -> Zone:
    s = SCALES[scale]
    root = _org(None, ZONE, OrgKind.WORKING_COMMITTEE, OrgCategory.GOVERNMENT, date(2016, 3, 1))
    park = _org(root, PARK, OrgKind.COMMITTEE, OrgCategory.PARK, date(2018, 6, 1))
    chain = _org(root, CHAIN, OrgKind.COMMITTEE, OrgCategory.CHAIN, date(2023, 9, 15))
    buildings = [_org(root, name, OrgKind.COMMITTEE, OrgCategory.BUILDING, date(2021, 2, 1)) for name in BUILDINGS]
    zone = Zone(root=root, park=park, chain=chain, buildings=buildings)
    general = _org(park, "创业园综合党总支", OrgKind.GENERAL_BRANCH, OrgCategory.PARK, date(2019, 1, 10))
    for i in range(s["park_branches"]):
        parent = general if i < 5 else park
        kind = OrgKind.JOINT_BRANCH if i % 4 == 3 else OrgKind.BRANCH
        name = f"创业园{PLACES[i % len(PLACES)]}{FIRMS[i % len(FIRMS)]}{joint(kind)}党支部{i + 1}"
        zone.branches.append(_org(parent, name, kind, OrgCategory.ENTERPRISE))
    for i in range(s["chain_branches"]):
        kind = OrgKind.BRANCH if i % 5 else OrgKind.JOINT_BRANCH
        category = OrgCategory.INSTITUTE if i % 7 == 0 else OrgCategory.ENTERPRISE
        name = f"{PLACES[i % len(PLACES)]}{FIRMS[i % len(FIRMS)]}{joint(kind)}党支部{i + 1}"
        zone.branches.append(_org(chain, name, kind, category, date(2023, 10, 1)))
    for b_index, building in enumerate(buildings):
        for i in range(s["building_branches"]):
            kind = OrgKind.JOINT_BRANCH if i % 3 == 2 else OrgKind.BRANCH
            short = building.name.removesuffix("楼宇党委").removesuffix("党委")
            name = f"{short}{FIRMS[(i + b_index) % len(FIRMS)]}{joint(kind)}党支部{i + 1}"
            zone.branches.append(_org(building, name, kind, OrgCategory.ENTERPRISE))
    for c in range(s["extra_committees"]):
        committee = _org(root, f"高新区第{c + 1}片区综合党委", OrgKind.COMMITTEE, OrgCategory.SOCIAL)
        for i in range(s["extra_branches"]):
            zone.branches.append(_org(committee, f"第{c + 1}片区党支部{i + 1}", OrgKind.BRANCH, OrgCategory.SOCIAL))
    return zone


FINANCIAL_INSTITUTIONS = [
    ("中国建设银行西安高新技术产业开发区支行", FinancialInstitution.Kind.BANK, "科技金融部 孙经理", "029-88321001"),
    ("西安银行高新科技支行", FinancialInstitution.Kind.BANK, "公司业务部 马经理", "029-88321002"),
    ("长安银行西安高新区支行", FinancialInstitution.Kind.BANK, "普惠金融部 何经理", "029-88321003"),
    ("西安高新金融控股集团有限公司", FinancialInstitution.Kind.GUARANTEE, "红色增信专班 罗主任", "029-88321004"),
    ("西安财金投资管理有限公司", FinancialInstitution.Kind.LEASING, "追光易租项目组 钱经理", "029-88321005"),
    ("中科创星科技投资有限公司", FinancialInstitution.Kind.FUND, "投后服务部 郑经理", "029-88321006"),
]
PARTNERS = [
    (
        "西安海康威视数字技术有限公司",
        Partner.Kind.ENTERPRISE,
        "第一楼宇党委“党建+产业”战略合作：党建联建共建，面向楼宇覆盖企业的共建专属优惠价，产业合作对接平台。",
        "党委办公室 韩主任",
    ),
    (
        "西安西科控股有限公司",
        Partner.Kind.STATE_OWNED,
        "光子产业链党委书记单位：投资孵化硬科技企业，牵头产业链供需对接与路演。",
        "党群工作部 冯部长",
    ),
    (
        "中国科学院西安光学精密机械研究所",
        Partner.Kind.INSTITUTE,
        "光子产业链党委委员单位：产学研合作与关键技术联合攻关。",
        "科技处 郭处长",
    ),
]
ALLIANCE = ["雁塔区", "西安高新区", "曲江新区", "浐灞生态区", "航天基地"]
OWN_ZONE = "西安高新区"


def build_directory() -> None:
    """The zone's reference institutions (the second seed document): banks, the state finance and guarantee
    companies, a fund, partners, and the five members of the party-building alliance (党建共建联席会, 2021)."""
    for name, kind, contact, phone in FINANCIAL_INSTITUTIONS:
        FinancialInstitution.objects.get_or_create(
            name=name, defaults={"kind": kind, "contact": contact, "phone": phone}
        )
    for name, kind, description, contact in PARTNERS:
        Partner.objects.get_or_create(
            name=name, defaults={"kind": kind, "description": description, "contact": contact}
        )
    for order, name in enumerate(ALLIANCE, start=1):
        AllianceMember.objects.get_or_create(name=name, defaults={"is_self": name == OWN_ZONE, "order": order})


def build_reference(zone: Zone, scale: str, rng: random.Random) -> None:
    for name, code in DEPARTMENTS:
        zone.departments.append(Department.objects.get_or_create(code=code, defaults={"name": name})[0])
    build_directory()
    root_cell = GridCell.objects.filter(code="61").first() or GridCell.objects.add_root(
        create_kwargs={"name": "高新区网格", "code": "61", "level": 1}
    )
    cells = [root_cell]
    for i, area in enumerate(["创业园片区", "软件新城片区", "丈八片区"], start=1):
        code = f"61{i:02d}"
        cell = GridCell.objects.filter(code=code).first() or GridCell.objects.add_child(
            root_cell, create_kwargs={"name": area, "code": code, "level": 2}
        )
        cells.append(cell)
    zone.grid_cells = cells
    existing = {e.name: e for e in Enterprise.objects.all()}
    for i in range(SCALES[scale]["enterprises"]):
        name = f"{PLACES[i % len(PLACES)]}{FIRMS[(i // 10) % len(FIRMS)]}{SUFFIXES[i % len(SUFFIXES)]}{i // 40 or ''}"
        if name in existing:
            zone.enterprises.append(existing[name])
            continue
        org = zone.branches[i % len(zone.branches)] if i % 6 else None  # some without a party organization
        enterprise = ent_services.enterprise_create(actor=None, name=name, uscc=make_uscc(rng), org=org)
        # no address yet: placed in an area's cell by hand (seed_enterprises leases it a unit later)
        cell = cells[1 + i % 3]
        zone.enterprises.append(grid_services.grid_assign_enterprise(actor=None, enterprise=enterprise, cell=cell))


def build_users(zone: Zone, password: str) -> list[tuple[str, str, str]]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    first_building = zone.buildings[0]
    branch = next(b for b in zone.branches if b.path.startswith(first_building.path))
    scopes = {
        "zone_admin": {"org": zone.root},
        "chain_admin": {"org": zone.chain},
        "building_admin": {"org": first_building},
        "branch_secretary": {"org": branch},
        "member": {"org": branch},
        "grid_officer": {"grid_cell": zone.grid_cells[1]},
        "instructor": {"enterprise": zone.enterprises[1]},
        "enterprise_contact": {"enterprise": zone.enterprises[1]},
        "dept_handler": {"department": next(d for d in zone.departments if d.code == "science")},
        "bank_reviewer": {"financial_institution": FinancialInstitution.objects.get(name=FINANCIAL_INSTITUTIONS[0][0])},
        "partner_contact": {"partner": Partner.objects.get(name=PARTNERS[0][0])},
    }
    printed = []
    for username, display, role in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = account_services.user_create(
                actor=None,
                username=username,
                password=password,
                display_name=display,
                must_change_password=False,
                is_demo=True,
            )
            account_services.role_grant(actor=None, user=user, role=role, **scopes.get(username, {}))
        otp = ""
        if role in TWO_FACTOR_ROLES:
            key = totp_key_for(username)
            TOTPDevice.objects.get_or_create(user=user, name="demo", defaults={"key": key, "confirmed": True})
            otp = "TOTP"
        printed.append((username, str(Role(role).label), otp))
    _department_handlers(zone, password)
    return printed


def _department_handlers(zone: Zone, password: str) -> None:
    """A handler (承办人) for every department the demo accounts leave without one, so every category's appeals
    are signed for and answered by a person (login handler_<code>, same password)."""
    from hongyin.accounts.models import RoleAssignment

    handled = set(RoleAssignment.objects.filter(role=Role.DEPT_HANDLER).values_list("department_id", flat=True))
    for department in zone.departments:
        if department.pk in handled:
            continue
        user = User.objects.filter(username=f"handler_{department.code}").first() or account_services.user_create(
            actor=None,
            username=f"handler_{department.code}",
            password=password,
            display_name=f"{department.name} 承办人",
            must_change_password=False,
            is_demo=True,
        )
        account_services.role_grant(actor=None, user=user, role=Role.DEPT_HANDLER, department=department)


def seed_steps() -> list:
    """Each app's demo step, `seed(zone, scale, rng)`, as its manifest declares it, in seed order."""
    return [(app.rpartition(".")[2], resolve(path)) for app, path in manifest_seed_steps()]


@transaction.atomic
def build_zone(*, scale: str = "demo", seed: int = 2024, progress=None) -> tuple[Zone, list]:
    """`progress`: a function that takes a line; each step then reports its time and the rows it made."""
    from hongyin.devtools.progress import Steps

    rng = random.Random(seed)
    step = Steps(progress)
    with step("organizations"):
        zone = build_orgs(scale, rng)
    with step("reference"):
        build_reference(zone, scale, rng)
    with step("users"):
        users = build_users(zone, demo_password())
    for name, seed_domain in seed_steps():
        with step(name):
            seed_domain(zone, scale, rng)
    step.done()
    return zone, users


def lookup_zone() -> Zone:
    """The key objects of an existing demo zone (for tests and the bench)."""
    root = Organization.objects.get_root_nodes().get(name=ZONE)
    children = {o.name: o for o in Organization.objects.get_children(root)}
    zone = Zone(root=root, park=children[PARK], chain=children[CHAIN], buildings=[children[n] for n in BUILDINGS])
    zone.departments = list(Department.objects.order_by("id"))
    zone.grid_cells = list(GridCell.objects.order_by("path"))
    return zone
