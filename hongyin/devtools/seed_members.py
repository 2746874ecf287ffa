"""Members and committees for the demo zone (issue 3, §9), through the bulk services.

- realistic people: Chinese names, valid ID numbers (GB 11643 check digit), mobile numbers, plausible dates;
- the first building committee grows from 21 organizations and 200 members (2021-02) to 65 and 1,000+
  (2025-06), as in the source documents: founding dates and registered_on are seeded to draw that curve;
- committees: a secretary in every branch, a committee of 3-5 where there are >= 7 full members;
- the demo user `member` is linked to a Member; `branch_secretary` is the secretary of its branch.

Idempotent: a zone that already has members only gets the missing links.
"""

import random
from datetime import date, timedelta

from hongyin.accounts.models import User
from hongyin.members import services as member_services
from hongyin.members.choices import ETHNICITIES
from hongyin.members.models import Member
from hongyin.members.validation import id_check_char
from hongyin.orgs import services as org_services
from hongyin.orgs.models import BRANCH_KINDS, CommitteePost, Organization, OrgCategory, OrgKind, Post

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞斌波宇浩凯晨欣怡佳琪雪梅婷颖辉建国志文博"
    "思远晓峰海燕丹阳春梅立新泽宏亮倩瑶楠琳慧颖子涵一鸣宁健永成荣光毅俊卫东"
)
REGIONS = ["610102", "610103", "610104", "610111", "610112", "610113", "610114", "610115", "610116", "610122"]
REGIONS += ["610402", "610502", "610602", "610302", "140105", "410105", "510107", "620102", "110105", "310104"]
PHONE_PREFIXES = ["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156"]
PHONE_PREFIXES += ["158", "159", "166", "177", "180", "181", "185", "186", "187", "188", "189", "199"]
JOBS = ["工程师", "项目经理", "研发主管", "行政专员", "财务经理", "销售经理", "技术总监", "产品经理", "人事主管"]
EDUCATION = [("postgraduate", 18), ("university", 52), ("college", 18), ("secondary", 5), ("high_school", 5)]
EDUCATION += [("junior", 2)]
CATEGORY = [("employed", 90), ("retired", 3), ("student", 2), ("unemployed", 2), ("farmer", 3)]

FIRST_BUILDING_START = date(2021, 2, 1)
FIRST_BUILDING_END = date(2025, 6, 30)
FIRST_BUILDING_ORGS = (21, 65)
FIRST_BUILDING_MEMBERS = (200, 1050)
MEMBERS_PER_SCALE = {"demo": 700, "zone": 50_000, "province": 1_000_000}


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


class People:
    """Generates unique, valid identities."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.ids: set[str] = set()
        self.phones: set[str] = set()

    def name(self) -> str:
        rng = self.rng
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        return rng.choice(SURNAMES) + given

    def id_number(self, birth: date, male: bool) -> str:
        while True:
            order = self.rng.randrange(0, 499) * 2 + (1 if male else 0)
            body = f"{self.rng.choice(REGIONS)}{birth:%Y%m%d}{order:03d}"
            number = body + id_check_char(body)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self) -> str:
        while True:
            phone = self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def person(self, *, registered_on: date, today: date) -> dict:
        rng = self.rng
        male = rng.random() < 0.58
        age_at_join = rng.randint(19, 38)
        joined = registered_on - timedelta(days=rng.randint(0, 365 * 12))
        birth = joined - timedelta(days=365 * age_at_join + rng.randint(0, 364))
        if (today - birth).days < 19 * 365:
            birth = today - timedelta(days=19 * 365 + rng.randint(0, 3000))
            joined = max(joined, birth + timedelta(days=366 * 18 + 10))
        joined = min(joined, registered_on)
        probationary = (today - joined).days < 365
        category = _weighted(rng, CATEGORY)
        return {
            "name": self.name(),
            "gender": "male" if male else "female",
            "birth_date": birth,
            "id_number": self.id_number(birth, male),
            "joined_on": joined,
            "registered_on": registered_on,
            "status": "probationary" if probationary else "full",
            "full_member_on": None if probationary else joined + timedelta(days=365),
            "ethnicity": "汉族" if rng.random() < 0.94 else rng.choice(ETHNICITIES[1:12]),
            "phone": self.phone(),
            "education": _weighted(rng, EDUCATION),
            "category": category,
            "job_title": rng.choice(JOBS) if category == "employed" else "",
            "is_floating": rng.random() < 0.03,
        }


def _spread(rng, n: int, start: date, end: date) -> list[date]:
    span = (end - start).days
    return sorted(start + timedelta(days=rng.randint(0, span)) for _ in range(n))


def _grow_first_building(zone, rng) -> list[tuple[Organization, date]]:
    """65 organizations under the first building committee, with founding dates drawing the growth."""
    building = zone.buildings[0]
    start_n, end_n = FIRST_BUILDING_ORGS
    existing = list(Organization.objects.filter(path__startswith=building.path).exclude(pk=building.pk))
    short = building.name.removesuffix("楼宇党委").removesuffix("党委")
    firms = ["电子", "光电", "软件", "咨询", "设计", "金融", "检测", "传媒", "物业", "教育", "医药", "物流"]
    i = len(existing)
    while len(existing) + 1 < end_n:
        kind = OrgKind.JOINT_BRANCH if i % 4 == 3 else OrgKind.BRANCH
        name = f"{short}{firms[i % len(firms)]}{'联合' if kind == OrgKind.JOINT_BRANCH else ''}党支部{i + 1}"
        units = [f"{short}{firms[(i + k) % len(firms)]}企业{i}-{k}" for k in range(3)] if kind == "joint_branch" else []
        existing.append(
            org_services.org_create(
                actor=None,
                parent=building,
                name=name,
                kind=kind,
                category=OrgCategory.ENTERPRISE,
                covered_units=units,
            )
        )
        i += 1
    existing.sort(key=lambda o: o.path)
    early = existing[: start_n - 1]
    later = existing[start_n - 1 :]
    dates = {building.pk: {"founded_on": FIRST_BUILDING_START - timedelta(days=10)}}
    founded = []
    for org in early:
        d = FIRST_BUILDING_START - timedelta(days=rng.randint(15, 900))
        founded.append((org, d))
    for org, d in zip(
        later, _spread(rng, len(later), date(2021, 3, 1), FIRST_BUILDING_END - timedelta(days=20)), strict=True
    ):
        founded.append((org, d))
    for org, d in founded:
        dates[org.pk] = {"founded_on": d}
    org_services.orgs_bulk_update_dates(actor=None, dates=dates)
    return [(o, d) for o, d in founded if o.kind in BRANCH_KINDS]


def _ensure_founding_dates(rng, today: date) -> None:
    missing = Organization.objects.filter(founded_on__isnull=True).exclude(depth=1)
    dates = {
        pk: {
            "founded_on": date(2016, 6, 1)
            + timedelta(days=rng.randint(0, (date(2024, 12, 31) - date(2016, 6, 1)).days))
        }
        for pk in missing.values_list("pk", flat=True)
    }
    if dates:
        org_services.orgs_bulk_update_dates(actor=None, dates=dates)


def _rows_for(people, rng, branches_with_dates, n, start, end, today, first_wave=0, first_wave_end=None):
    """n member rows spread over branches; registered dates between start and end (first_wave before it)."""
    regs = _spread(rng, first_wave, start - timedelta(days=700), first_wave_end) if first_wave else []
    regs += _spread(rng, n - first_wave, (first_wave_end or start) + timedelta(days=1), end)
    counts = {o.pk: 0 for o, _d in branches_with_dates}
    rows = []
    for reg in regs:
        eligible = [(o, d) for o, d in branches_with_dates if d <= reg] or branches_with_dates[:1]
        picks = [rng.choice(eligible) for _ in range(3)]
        org = min(picks, key=lambda p: counts[p[0].pk])[0]
        counts[org.pk] += 1
        row = people.person(registered_on=reg, today=today)
        row["org"] = org
        if row["is_floating"]:
            row["floating_place"] = rng.choice(["深圳市南山区", "上海市浦东新区", "北京市海淀区", "成都市高新区"])
        row["employer_name"] = org.name.removesuffix("党支部").rstrip("0123456789").replace("联合", "") + "有限公司"
        rows.append(row)
    return rows


def _committees(today: date, rng) -> None:
    """A secretary everywhere; a committee of 3-5 in branches with >= 7 full members; term dates."""
    taken = set(CommitteePost.objects.values_list("org_id", flat=True))
    posts = []
    term_dates = {}
    members_by_org: dict[int, list[Member]] = {}
    for m in (
        Member.objects.filter(left_on__isnull=True, status="full")
        .select_related("org")
        .only("pk", "org__path", "org_id", "status", "left_on", "joined_on")
        .order_by("org_id", "joined_on")
    ):
        members_by_org.setdefault(m.org_id, []).append(m)
    for org in Organization.objects.filter(kind__in=BRANCH_KINDS, dissolved_on__isnull=True):
        people = members_by_org.get(org.pk, [])
        if org.pk in taken or not people:
            continue
        start = today - timedelta(days=rng.randint(30, 365 * 3 + 60))  # some due, a few overdue
        term_dates[org.pk] = {"term_started_on": start}
        roles = [Post.SECRETARY]
        if len(people) >= 7:
            roles += [Post.DEPUTY, Post.ORGANIZATION, Post.PROPAGANDA, Post.DISCIPLINE][: rng.randint(2, 4)]
        elif len(people) >= 4 and rng.random() < 0.4:
            roles.append(Post.DEPUTY)
        for member, post in zip(people, roles, strict=False):
            member.org = org
            posts.append((org, member, post, max(start, member.joined_on)))
    if posts:
        org_services.posts_bulk_create(actor=None, posts=posts)
    if term_dates:
        org_services.orgs_bulk_update_dates(actor=None, dates=term_dates)


def _link_demo_users(zone, people, today) -> None:
    secretary_user = User.objects.filter(username="branch_secretary").first()
    member_user = User.objects.filter(username="member").first()
    if not secretary_user or not member_user:
        return
    branch = secretary_user.assignments[0].org if secretary_user.assignments else None
    if branch is None:
        return
    for user, name, male in ((secretary_user, "赵强", True), (member_user, "陈静", False)):
        if Member.objects.filter(user=user).exists():
            continue
        birth = date(1985, 4, 12) if male else date(1992, 9, 3)
        member_services.member_create(
            actor=None,
            org=branch,
            name=name,
            gender="male" if male else "female",
            birth_date=birth,
            id_number=people.id_number(birth, male),
            joined_on=date(2010, 6, 30) if male else date(2016, 7, 1),
            full_member_on=date(2011, 6, 30) if male else date(2017, 7, 1),
            registered_on=date(2020, 5, 1),
            phone=people.phone(),
            education="university",
            user=user,
            employer_name="第一楼宇企业服务有限公司",
            job_title="党支部书记" if male else "工程师",
        )
    secretary = Member.objects.get(user=secretary_user)
    current = CommitteePost.objects.filter(org=branch, post=Post.SECRETARY, to_on__isnull=True).first()
    if current is None or current.member_id != secretary.pk:
        since = max(date(2023, 3, 1), current.from_on) if current else date(2023, 3, 1)
        org_services.committee_assign(actor=None, org=branch, member=secretary, post=Post.SECRETARY, from_on=since)


def seed_members(zone, scale: str, rng: random.Random) -> None:
    today = date.today()
    people = People(rng)
    if not Member.objects.exists():
        first_branches = _grow_first_building(zone, rng)
        _ensure_founding_dates(rng, today)
        lo, hi = FIRST_BUILDING_MEMBERS
        rows = _rows_for(
            people,
            rng,
            first_branches,
            hi,
            FIRST_BUILDING_START,
            FIRST_BUILDING_END,
            today,
            first_wave=lo,
            first_wave_end=FIRST_BUILDING_START + timedelta(days=27),
        )
        member_services.members_bulk_create(actor=None, rows=rows, source="seed")
        first = zone.buildings[0]
        others = list(
            Organization.objects.filter(kind__in=BRANCH_KINDS, dissolved_on__isnull=True)
            .exclude(path__startswith=first.path)
            .order_by("path")
        )
        rest = MEMBERS_PER_SCALE.get(scale, 700)
        with_dates = [(o, o.founded_on or date(2018, 1, 1)) for o in others]
        earliest = min(d for _o, d in with_dates)
        batch = 20_000
        for start_at in range(0, rest, batch):
            n = min(batch, rest - start_at)
            rows = _rows_for(people, rng, with_dates, n, earliest, today - timedelta(days=3), today)
            member_services.members_bulk_create(actor=None, rows=rows, source="seed")
        _committees(today, rng)
    _link_demo_users(zone, people, today)
