"""Benchmarks of issue 5: the enterprise list, the coverage report (and the same figures by one SQL statement),
the building page, the chain map and the enterprise import."""

import random
import tempfile
import time
from pathlib import Path

from django.db import transaction
from django.urls import reverse

from .registry import BenchContext, Result, Row, Skip, benchmark


@benchmark("enterprise_list_p95_ms", unit="ms", better="lower", target=150, order=50)
def enterprise_list(ctx: BenchContext):
    url = (
        reverse("enterprises:list")
        + "?party=none&size=small&tag=%E9%AB%98%E6%96%B0%E6%8A%80%E6%9C%AF%E4%BC%81%E4%B8%9A"
    )
    return ctx.time_page(url, "zone_admin", name="enterprise_list_p95_ms")


@benchmark("coverage_report_zone_ms", unit="ms", better="lower", target=300, order=51)
def coverage_report(ctx: BenchContext):
    from hongyin.grid.models import GridCell
    from hongyin.grid.selectors import coverage, coverage_sql

    root = GridCell.objects.filter(depth=1).order_by("path").first()
    if root is None:
        raise Skip("no grid")
    ours = ctx.timed(lambda: coverage(root))
    sql = ctx.timed(lambda: coverage_sql(root))
    page = ctx.time_page(reverse("grid:coverage"), "zone_admin", name="coverage_page_p95_ms")
    extra = [
        Row("coverage_report_vs_sql_x", round(ours / sql, 2) if sql else None, "x", "lower", target=3),
        Row("coverage_page_p95_ms", page.value, "ms", "lower"),
        *page.extra,
    ]
    return Result(ours, extra)


@benchmark("building_page_p95_ms", unit="ms", better="lower", order=52)
def building_page(ctx: BenchContext):
    from hongyin.enterprises.models import Building

    b = Building.objects.filter(name="第一楼宇").first() or Building.objects.order_by("id").first()
    if b is None:
        raise Skip("no building")
    return ctx.time_page(reverse("enterprises:building_detail", args=[b.pk]), "zone_admin", name="building_page_p95_ms")


@benchmark("chain_map_ms", unit="ms", better="lower", order=53)
def chain_map(ctx: BenchContext):
    from hongyin.enterprises.models import IndustryChain

    chain = IndustryChain.objects.order_by("id").first()
    if chain is None:
        raise Skip("no chain")
    result = ctx.time_page(reverse("enterprises:chain_detail", args=[chain.pk]), "chain_admin", name="chain_map_p95_ms")
    return Result(
        result.extra[0].value if result.extra else result.value,
        [Row("chain_map_p95_ms", result.value, "ms", "lower"), *result.extra],
    )


def _file(n: int, path: Path) -> None:
    import xlsxwriter
    from stdnum.cn import uscc

    rng = random.Random(5)
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(
        0, 0, ["统一社会信用代码", "企业名称", "法定代表人", "成立日期", "行业代码", "企业规模", "从业人数", "标签"]
    )
    for i in range(1, n + 1):
        body = "92" + "610131" + "".join(rng.choice(chars) for _ in range(9))
        sheet.write_row(
            i,
            0,
            [
                body + uscc.calc_check_digit(body),
                f"秦川基准光电第{i}科技有限公司",
                "王伟",
                "2019-05-01",
                "397",
                "小型",
                rng.randint(5, 500),
                "高新技术企业" if i % 3 else "",
            ],
        )
    book.close()


@benchmark("import_enterprises_rows_per_s", unit="rows/s", better="higher", target=5000, order=54)
def import_enterprises(ctx: BenchContext):
    from hongyin.imports.pipeline import import_file
    from hongyin.imports.registry import get_kind

    n = 20_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "enterprises.xlsx"
        _file(n, path)
        start = time.perf_counter()
        with transaction.atomic():  # the import pipeline, as its job runs it
            result, _report = import_file(
                actor=None, kind=get_kind("enterprises"), path=path, dry_run=False, anywhere=True
            )
            elapsed = time.perf_counter() - start
            transaction.set_rollback(True)  # keep the cached data set unchanged
    count = result.created
    if result.error_count or count != n:
        raise Skip(f"imported {count} of {n} ({result.error_count} rows refused)")
    return Result(round(n / elapsed, 1), [Row("import_enterprises_s", round(elapsed, 2), "s", "lower")])
