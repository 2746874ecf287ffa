"""Benchmarks of issue 3: the roster import (ours vs django-import-export vs a raw insert), its peak memory,
the member export, the member list with a filter and a pinyin search, the tree's lazy children and the
statistics of the whole zone."""

import random
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import xlsxwriter
from django.db import transaction
from django.urls import reverse

from .registry import BenchContext, Result, Row, Skip, benchmark

ROSTER_ROWS = {"demo": 10_000, "zone": 50_000, "province": 50_000}
IMPORT_EXPORT_ROWS = 2_000
HEADER = ["姓名", "性别", "民族", "出生日期", "公民身份号码", "手机号码", "学历", "人员类别", "党员状态", "入党日期"]
HEADER += ["转正日期", "所在党支部", "工作单位", "职务"]
_cache: dict = {}


def _rss_mb() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class PeakRSS:
    """Samples the resident set size every 10 ms in a thread; .peak after the block."""

    def __enter__(self):
        self.peak = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, _rss_mb())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())


def make_roster(path: Path, n: int, seed: int = 7) -> Path:
    """A realistic roster: valid IDs (a region code the seed never uses, so no clash with the data set),
    mixed date spellings, a few lower-case x, full-width digits here and there."""
    from hongyin.devtools.seed_members import People
    from hongyin.members.validation import id_check_char
    from hongyin.orgs.models import BRANCH_KINDS, Organization

    rng = random.Random(seed)
    people = People(rng)
    branches = list(
        Organization.objects.filter(kind__in=BRANCH_KINDS, dissolved_on__isnull=True).values_list("name", flat=True)
    )
    counts: dict[str, int] = {}
    for name in branches:
        counts[name] = counts.get(name, 0) + 1
    branches = [b for b in branches if counts[b] == 1]
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    for c, h in enumerate(HEADER):
        sheet.write_string(0, c, h)
    used = set()
    today = date.today()
    for r in range(1, n + 1):
        male = rng.random() < 0.6
        birth = date(1960, 1, 1) + timedelta(days=rng.randint(0, 365 * 42))
        while True:
            body = f"659001{birth:%Y%m%d}{rng.randrange(0, 499) * 2 + (1 if male else 0):03d}"
            number = body + id_check_char(body)
            if number not in used:
                used.add(number)
                break
        joined = birth + timedelta(days=365 * 18 + rng.randint(200, 8000))
        joined = min(joined, today - timedelta(days=400))
        style = r % 4
        joined_text = (
            joined.isoformat()
            if style == 0
            else f"{joined.year}.{joined.month:02d}"
            if style == 1
            else f"{joined.year}年{joined.month}月"
            if style == 2
            else f"{joined.year}-{joined.month}-{joined.day}"
        )
        if style == 1:
            joined = joined.replace(day=1)
        full_on = joined + timedelta(days=366)
        row = [
            people.name(),
            "男" if male else "女",
            "汉族",
            birth.isoformat(),
            number.lower() if r % 10 == 0 else number,
            people.phone(),
            rng.choice(["大学本科", "研究生", "大专", "高中"]),
            "在职",
            "正式党员",
            joined_text,
            full_on.isoformat(),
            rng.choice(branches),
            "西安高新区示例企业有限公司",
            "工程师",
        ]
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    workbook.close()
    return path


def _roster(ctx: BenchContext) -> Path:
    key = (ctx.scale, "roster")
    if key not in _cache:
        folder = Path(tempfile.mkdtemp(prefix="hongyin-bench-"))
        _cache[key] = make_roster(folder / "roster.xlsx", ROSTER_ROWS.get(ctx.scale, 50_000))
    return _cache[key]


def _admin():
    from hongyin.accounts.models import User

    return User.objects.get(username="zone_admin")


@benchmark("import_roster_rows_per_s", unit="rows/s", better="higher", target=5000, order=30)
def import_roster(ctx: BenchContext):
    from hongyin.members.jobs import import_file

    path = _roster(ctx)
    out = Path(tempfile.mkdtemp(prefix="hongyin-bench-out-"))
    with PeakRSS() as rss:
        start = time.perf_counter()
        result, _report = import_file(actor=_admin(), path=path, kind="members", dry_run=False, out_dir=out)
        seconds = time.perf_counter() - start
    if result.error_count or not result.created:
        raise Skip(f"roster import refused: {result.error_count} errors, first: {result.errors[:1]}")
    rate = result.created / seconds
    _cache[(ctx.scale, "ours_rate")] = rate
    _cache[(ctx.scale, "ours_seconds")] = seconds
    return Result(
        round(rate, 1),
        [
            Row("import_roster_peak_mb", round(rss.peak, 1), "MB", "lower", target=400),
            Row("import_roster_rows", result.created, "rows", "higher"),
        ],
    )


def _plain_resource():
    from import_export import fields, resources, widgets

    from hongyin.common.fields import index_of
    from hongyin.members.models import Member
    from hongyin.members.validation import pinyin_of
    from hongyin.orgs.models import Organization

    class MemberResource(resources.ModelResource):
        """What a plain django-import-export setup would be: column -> field, a FK by name, save per row."""

        name = fields.Field(attribute="name", column_name="姓名")
        gender = fields.Field(attribute="gender", column_name="性别")
        ethnicity = fields.Field(attribute="ethnicity", column_name="民族")
        birth_date = fields.Field(attribute="birth_date", column_name="出生日期", widget=widgets.DateWidget("%Y-%m-%d"))
        id_number = fields.Field(attribute="id_number", column_name="公民身份号码")
        phone = fields.Field(attribute="phone", column_name="手机号码")
        joined_on = fields.Field(attribute="joined_on", column_name="入党日期", widget=widgets.DateWidget("%Y-%m-%d"))
        org = fields.Field(
            attribute="org", column_name="所在党支部", widget=widgets.ForeignKeyWidget(Organization, field="name")
        )

        class Meta:
            model = Member
            fields = ("name", "gender", "ethnicity", "birth_date", "id_number", "phone", "joined_on", "org")
            import_id_fields = ()
            use_transactions = True

        def before_save_instance(self, instance, row, **kwargs):
            instance.id_number = instance.id_number.upper()
            instance.id_number_index = index_of(instance.id_number)
            instance.gender = "male" if instance.gender == "男" else "female"
            instance.name_pinyin, instance.name_initials = pinyin_of(instance.name)

    return MemberResource()


def _import_roster_rolled_back(ctx: BenchContext) -> None:
    """Our import, when a comparison runs without it (--only): undone before the same rows go in again."""
    with transaction.atomic():
        import_roster(ctx)
        transaction.set_rollback(True)


@benchmark("import_vs_import_export_x", unit="x", better="higher", target=10, order=31)
def import_vs_import_export(ctx: BenchContext):
    """Our rows/s over a plain django-import-export resource's rows/s, on the same file's first rows
    (ISO dates, since the plain resource cannot read 2019.07 or 2019年7月)."""
    import tablib
    from python_calamine import CalamineWorkbook

    ours = _cache.get((ctx.scale, "ours_rate"))
    if ours is None:
        _import_roster_rolled_back(ctx)
        ours = _cache[(ctx.scale, "ours_rate")]
    rows = CalamineWorkbook.from_path(str(_roster(ctx))).get_sheet_by_index(0).to_python()
    header, body = rows[0], rows[1 : IMPORT_EXPORT_ROWS + 1]
    at = header.index("入党日期")
    full_at = header.index("转正日期")
    data = tablib.Dataset(headers=header)
    for row in body:
        row = list(row)
        row[at] = (date.fromisoformat(row[full_at]) - timedelta(days=366)).isoformat()
        data.append(row)
    resource = _plain_resource()
    start = time.perf_counter()
    result = resource.import_data(data, dry_run=False, raise_errors=False)
    seconds = time.perf_counter() - start
    if result.has_errors() or result.has_validation_errors():
        raise Skip("the plain resource reported errors")
    theirs = len(body) / seconds
    return Result(
        round(ours / theirs, 2),
        [Row("import_export_rows_per_s", round(theirs, 1), "rows/s", "higher")],
    )


@benchmark("import_vs_raw_x", unit="x", better="lower", target=3, order=32)
def import_vs_raw(ctx: BenchContext):
    """Our import time over a raw insert of the same rows: read with calamine, no validation, no header mapping,
    the same one-statement insert (with the SM4 encryption storage needs)."""
    from python_calamine import CalamineWorkbook

    from hongyin.common.excel import parse_date
    from hongyin.common.fields import index_of
    from hongyin.members.services import insert_member_rows
    from hongyin.orgs.models import Organization

    ours = _cache.get((ctx.scale, "ours_seconds"))
    if ours is None:
        _import_roster_rolled_back(ctx)
        ours = _cache[(ctx.scale, "ours_seconds")]
    orgs = dict(Organization.objects.values_list("name", "pk"))
    start = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(_roster(ctx))).get_sheet_by_index(0).to_python()
    objs = [
        {
            "name": r[0],
            "gender": "male" if r[1] == "男" else "female",
            "ethnicity": r[2],
            "birth_date": date.fromisoformat(r[3]),
            "id_number": r[4].upper(),
            "id_number_index": index_of(r[4].upper()),
            "phone": r[5],
            "joined_on": parse_date(r[9]),
            "org_id": orgs[r[11]],
        }
        for r in rows[1:]
    ]
    insert_member_rows(objs)
    raw = time.perf_counter() - start
    return Result(round(ours / raw, 2), [Row("import_raw_rows_per_s", round(len(objs) / raw, 1), "rows/s", "higher")])


@benchmark("export_members_rows_per_s", unit="rows/s", better="higher", target=20000, order=33)
def export_rate(ctx: BenchContext):
    from hongyin.members.exports import export_members
    from hongyin.members.models import Member

    qs = Member.objects.filter(left_on__isnull=True).select_related("org").order_by("org__path", "id")
    with PeakRSS() as rss, tempfile.TemporaryFile() as handle:
        start = time.perf_counter()
        n = export_members(user=_admin(), qs=qs, target=handle)
        seconds = time.perf_counter() - start
    return Result(round(n / seconds, 1), [Row("export_members_peak_mb", round(rss.peak, 1), "MB", "lower")])


@benchmark("member_list_p95_ms", unit="ms", better="lower", target=150, order=34)
def member_list(ctx: BenchContext):
    from hongyin.devtools.demo import lookup_zone

    zone = lookup_zone()
    url = reverse("members:list") + f"?q=zh&status=full&org={zone.root.pk}&sort=name"
    return ctx.time_page(url, "zone_admin", name="member_list_p95_ms")


@benchmark("org_tree_children_p95_ms", unit="ms", better="lower", order=35)
def tree_children(ctx: BenchContext):
    from hongyin.devtools.demo import lookup_zone

    zone = lookup_zone()
    return ctx.time_page(reverse("orgs:children", args=[zone.root.pk]), "zone_admin", name="org_tree_children_p95_ms")


@benchmark("org_stats_zone_ms", unit="ms", better="lower", target=300, order=36)
def stats_zone(ctx: BenchContext):
    """Every figure of §7 for the whole zone (breakdowns + monthly growth since 2016) through the selectors."""
    from hongyin.devtools.demo import lookup_zone
    from hongyin.members.selectors import member_growth, member_stats
    from hongyin.orgs.selectors import org_growth, org_stats

    zone = lookup_zone()
    user = _admin()
    start, end = date(2016, 1, 1), date.today()

    def run():
        member_stats(user, zone.root)
        org_stats(user, zone.root)
        member_growth(user, zone.root, start, end)
        org_growth(user, zone.root, start, end)

    value = ctx.timed(run)
    page = ctx.time_page(
        reverse("orgs:detail", args=[zone.root.pk]) + "?tab=figures", "zone_admin", name="org_figures_page_p95_ms"
    )
    return Result(value, [Row("org_figures_page_p95_ms", page.value, "ms", "lower"), *page.extra])
