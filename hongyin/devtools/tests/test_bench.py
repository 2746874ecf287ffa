"""The bench harness end to end: a real `manage.py bench` at demo scale, in its own process and database."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from hongyin.devtools.bench import harness
from hongyin.devtools.bench.registry import Row


def test_bench_demo_floor_page_writes_json(tmp_path):
    out = tmp_path / "bench.json"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run(
        [sys.executable, "manage.py", "bench", "--scale", "demo", "--only", "floor_page_ms", "--json", str(out)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "floor_page_ms" in proc.stdout
    rows = json.loads(out.read_text(encoding="utf-8"))
    by_name = {r["name"]: r for r in rows}
    floor = by_name["floor_page_ms"]
    assert set(floor) >= {"name", "value", "unit", "better", "target", "scale", "db"}
    assert floor["scale"] == "demo"
    assert floor["unit"] == "ms" and floor["better"] == "lower"
    assert floor["db"] == ("postgresql" if "postgres" in os.environ.get("DATABASE_URL", "") else "sqlite")
    assert isinstance(floor["value"], (int, float)) and 0 < floor["value"] < 5000
    assert by_name["floor_page_queries"]["value"] > 0
    assert all(r["scale"] == "demo" for r in rows)


def test_failing_benchmark_gives_null_row_with_note(db):
    from hongyin.devtools.bench.registry import BenchContext, Benchmark

    def boom(ctx):
        raise RuntimeError("kaputt")

    rows = harness.run_one(Benchmark("boom_ms", "ms", "lower", 10, boom, 0), BenchContext("demo", "sqlite"))
    assert len(rows) == 1 and rows[0].value is None and "kaputt" in rows[0].note
    item = harness.as_json(rows, "demo", "sqlite")[0]
    assert item["value"] is None and "kaputt" in item["note"]


def test_ok_column_respects_better():
    assert harness.ok(Row("a", 5, "ms", "lower", 10)) == "ok"
    assert harness.ok(Row("a", 50, "ms", "lower", 10)) == "MISS"
    assert harness.ok(Row("a", 50, "rows/s", "higher", 10)) == "ok"
    assert harness.ok(Row("a", None, "ms", "lower", 10)) == "skip"


def test_unknown_only_name_is_refused():
    benchmarks, _ = harness.load_benchmarks()
    assert any(b.name == "floor_page_ms" for b in benchmarks)
    try:
        harness.select(benchmarks, "floor_page_ms,does_not_exist")
    except harness.HarnessError as exc:
        assert "does_not_exist" in str(exc)
    else:
        raise AssertionError("unknown name accepted")


def test_data_set_version_changes_with_scale():
    assert harness.data_set_version("demo") != harness.data_set_version("zone")
    assert len(harness.data_set_version("demo")) == 16
    assert Path(harness.bench_dir()).name in ("bench", os.path.basename(os.environ.get("HONGYIN_BENCH_DIR", "")))
