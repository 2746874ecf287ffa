"""The bench harness (BENCH.md): a cached data set per scale, every benchmark module imported, rows out.

The data set for a scale lives in `var/bench/<scale>.sqlite3`, or in the PostgreSQL database
`hongyin_bench_<scale>` when DATABASE_URL points at PostgreSQL. It is built once with
`hongyin.devtools.demo.build_zone(scale=...)` and reused while its version marker (a hash of the
generator's source and of the migrations) matches; a changed generator rebuilds it.
"""

import hashlib
import importlib
import importlib.util
import json
import multiprocessing
import os
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction

from hongyin.common.manifests import manifests, seed_steps

from . import registry
from .registry import BenchContext, Benchmark, Result, Row, Skip

SCALES = ("demo", "zone", "province")
SEED = 2024
META_TABLE = "hongyin_bench_meta"


class HarnessError(Exception):
    """The harness itself broke (cannot prepare the data set): the command exits non-zero."""


# ---------------------------------------------------------------- discovery


def load_benchmarks() -> tuple[list[Benchmark], list[Row]]:
    """Import the bench module every app's manifest names, so their @benchmark decorators register.

    A module that fails to import gives a row `<module>_import` with value null and the error as note.
    """
    broken = []
    for manifest in manifests():
        name = manifest.module(manifest.bench)
        if not name:
            continue
        try:
            importlib.import_module(name)
        except Exception as exc:
            short = name.rpartition(".")[2]
            broken.append(Row(f"{short}_import", None, "", "lower", note=f"import failed: {exc!r}"[:300]))
    return sorted(registry.BENCHMARKS, key=lambda b: (b.order, b.name)), broken


def select(benchmarks: list[Benchmark], only: str | None) -> list[Benchmark]:
    if not only:
        return benchmarks
    wanted = [n.strip() for n in only.split(",") if n.strip()]
    known = {b.name for b in benchmarks}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise HarnessError(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return [b for b in benchmarks if b.name in wanted]


# ---------------------------------------------------------------- the data set


def data_set_version(scale: str) -> str:
    """Changes when the generator (demo.py, seed_*.py, each app's seed module) or any migration changes."""
    root = Path(settings.BASE_DIR) / "hongyin"
    files = [root / "devtools" / "demo.py", *sorted((root / "devtools").glob("seed_*.py"))]
    modules = {dotted.rpartition(".")[0] for _app, dotted in seed_steps()}
    files += sorted({Path(importlib.util.find_spec(m).origin) for m in modules} - set(files))
    files += sorted(root.glob("*/migrations/0*.py"))
    digest = hashlib.sha256(f"{scale}:{SEED}".encode())
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def bench_dir() -> Path:
    return Path(os.environ.get("HONGYIN_BENCH_DIR") or Path(settings.VAR_DIR) / "bench")


def _reconnect(**changes) -> None:
    """Point the default connection elsewhere. Must happen before anything queries."""
    conn = connections["default"]
    conn.close()
    settings.DATABASES["default"].update(changes)
    conn.settings_dict.update(changes)


def use_data_set(scale: str) -> str:
    """Switch the default database to the scale's data set; returns 'sqlite' or 'postgresql'."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3"):
        directory = bench_dir()
        directory.mkdir(parents=True, exist_ok=True)
        _reconnect(NAME=str(directory / f"{scale}.sqlite3"))
        return "sqlite"
    if engine.endswith("postgresql"):
        name = f"hongyin_bench_{scale}"
        _ensure_pg_database(name)
        _reconnect(NAME=name)
        return "postgresql"
    raise HarnessError(f"unsupported database engine {engine}")


def _pg_admin_connection():
    import psycopg

    s = settings.DATABASES["default"]
    params = {
        "dbname": "postgres",
        "user": s.get("USER") or None,
        "password": s.get("PASSWORD") or None,
        "host": s.get("HOST") or None,
        "port": s.get("PORT") or None,
    }
    return psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True)


def _ensure_pg_database(name: str) -> None:
    with _pg_admin_connection() as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _drop_data_set(scale: str, db: str) -> None:
    conn = connections["default"]
    conn.close()
    if db == "sqlite":
        path = Path(conn.settings_dict["NAME"])
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        name = conn.settings_dict["NAME"]
        with _pg_admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')


def _stored_version() -> str | None:
    conn = connections["default"]
    if META_TABLE not in conn.introspection.table_names():
        return None
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {META_TABLE} WHERE key = %s", ["version"])
        row = cursor.fetchone()
    return row[0] if row else None


def _store_version(version: str) -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key varchar(40) PRIMARY KEY, value varchar(200))")
        cursor.execute(f"DELETE FROM {META_TABLE} WHERE key = %s", ["version"])
        cursor.execute(f"INSERT INTO {META_TABLE} (key, value) VALUES (%s, %s)", ["version", version])


def prepare(scale: str, db: str, *, rebuild: bool = False, log=print) -> bool:
    """Make sure the data set exists and is current. Returns True when it was (re)built."""
    version = data_set_version(scale)
    try:
        current = _stored_version()
    except Exception:  # a half-written or foreign file: rebuild
        current = None
    if current == version and not rebuild:
        _analyze(db)
        return False
    if current is not None or rebuild:
        log(f"data set {scale} is out of date (version {current} -> {version}): rebuilding")
    _drop_data_set(scale, db)
    started = time.perf_counter()
    log(f"building the {scale} data set ({db}); this happens once per generator version ...")
    error = _build_in_child(scale)
    if error:
        raise HarnessError(f"building the {scale} data set failed: {error}")
    _store_version(version)
    _analyze(db)
    log(f"built in {time.perf_counter() - started:.1f} s")
    return True


def _analyze(db: str) -> None:
    """Planner statistics on PostgreSQL, as autovacuum keeps them in production: without them (autovacuum off,
    or a data set just built) a cursor over 50,000 members picks a plan that takes a second per batch."""
    if db == "postgresql":
        with connections["default"].cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _vacuum(db: str) -> None:
    """Benchmarks that write are rolled back; on PostgreSQL their rows stay behind as dead tuples until a vacuum
    (this machine runs with autovacuum off). Without this, the 50,000 members of the import benchmark slow every
    later scan of the member table, and more with every run."""
    if db == "postgresql":
        with connections["default"].cursor() as cursor:
            cursor.execute("VACUUM")


def _build(scale: str) -> None:
    from django.core.management import call_command

    from hongyin.devtools.demo import build_zone

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    build_zone(scale=scale, seed=SEED)


def _build_in_child(scale: str) -> str | None:
    """Build in a forked process, so that the memory the build used is not counted against the benchmarks that
    measure peak memory (Python keeps freed memory). Returns the error, or None. Without fork, builds here."""
    if "fork" not in multiprocessing.get_all_start_methods():
        try:
            _build(scale)
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"
        return None
    connections.close_all()  # the child opens its own
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_build_child, args=(scale, send))
    child.start()
    send.close()
    try:
        error = receive.recv()
    except EOFError:  # the child died without a word
        error = "the build process ended unexpectedly"
    child.join()
    return error or (f"the build process exited with {child.exitcode}" if child.exitcode else None)


def _build_child(scale: str, send) -> None:
    try:
        _build(scale)
    except Exception as exc:
        send.send(f"{type(exc).__name__}: {exc}")
    else:
        send.send(None)
    finally:
        connections.close_all()


# ---------------------------------------------------------------- running


def run_one(bench: Benchmark, ctx: BenchContext) -> list[Row]:
    """Run a benchmark inside a transaction that is rolled back, so the data set stays as built."""
    base = Row(bench.name, None, bench.unit, bench.better, bench.target)
    try:
        with transaction.atomic():
            try:
                value = bench.func(ctx)
            finally:
                transaction.set_rollback(True)
                ctx._clients.clear()  # their sessions were rolled back
    except Skip as exc:
        base.note = str(exc) or "skipped"
        return [base]
    except Exception as exc:
        base.note = f"error: {type(exc).__name__}: {exc}"[:300]
        return [base]
    if isinstance(value, Result):
        base.value = value.value
        base.note = value.note
        return [base, *value.extra]
    if value is None:
        base.note = "no value"
        return [base]
    base.value = round(float(value), 3)
    return [base]


def run(benchmarks: Iterable[Benchmark], scale: str, db: str, on_row=None) -> list[Row]:
    ctx = BenchContext(scale, db)
    rows: list[Row] = []
    for bench in benchmarks:
        for row in run_one(bench, ctx):
            rows.append(row)
            if on_row:
                on_row(row)
        _vacuum(db)
    return rows


def ok(row: Row) -> str:
    if row.value is None:
        return "skip"
    if row.target is None:
        return ""
    good = row.value <= row.target if row.better == "lower" else row.value >= row.target
    return "ok" if good else "MISS"


def as_json(rows: list[Row], scale: str, db: str) -> list[dict]:
    out = []
    for row in rows:
        item = {
            "name": row.name,
            "value": row.value,
            "unit": row.unit,
            "better": row.better,
            "target": row.target,
            "scale": scale,
            "db": db,
        }
        if row.note or row.value is None:
            item["note"] = row.note or "no value"
        out.append(item)
    return out


def write_json(rows: list[Row], scale: str, db: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(as_json(rows, scale, db), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
