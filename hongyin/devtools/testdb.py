"""The test database: the demo zone built once, kept as a template, cloned for each test process (as Zulip does).

The first pytest-xdist worker to take the lock migrates a fresh database and builds the demo zone into the template;
the others wait for the lock, then clone it: SQLite copies the template file into the worker's in-memory database
(the backup API), PostgreSQL runs `CREATE DATABASE test_x_gwN TEMPLATE test_x_tpl_<key>`. The template is kept
between runs, keyed by a hash of the sources that shape it (migrations, the demo builder, the services it calls),
so a changed migration or seed step builds a new one; templates of other keys are removed.
"""

import fcntl
import hashlib
import os
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections

ALIAS = "default"
SEED = 1
TEMPLATE_PREFIX = "demo-"
# what may change the rows of the template (tests, templates and static files may not)
SOURCE_SUFFIXES = (".py", ".json", ".csv", ".txt")


def template_key() -> str:
    """A hash of every source under hongyin/ except the tests, and of the test settings and the seed."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256(f"seed={SEED}:{connections[ALIAS].vendor}".encode())
    files = [base / "config" / "settings" / "base.py", base / "config" / "settings" / "test.py"]
    for path in sorted((base / "hongyin").rglob("*")):
        parts = path.relative_to(base).parts
        if path.suffix not in SOURCE_SUFFIXES or "tests" in parts or "templates" in parts or "static" in parts:
            continue
        if "__pycache__" in parts or "locale" in parts:
            continue
        files.append(path)
    for path in files:
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def template_dir() -> Path:
    return Path(os.environ.get("HONGYIN_TEST_TEMPLATE_DIR") or Path(settings.VAR_DIR) / "test-templates")


@contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build_demo(log) -> None:
    from hongyin.devtools.demo import build_zone

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    build_zone(scale="demo", seed=SEED)
    log(f"test template: demo zone built in {time.perf_counter() - started:.1f} s")


def _point_at(name: str) -> None:
    connection = connections[ALIAS]
    connection.close()
    settings.DATABASES[ALIAS]["NAME"] = name
    connection.settings_dict["NAME"] = name


# ---------------------------------------------------------------- SQLite


def _sqlite_setup(log) -> None:
    """Built in the worker's in-memory database and saved to the template file; cloned from it by the backup API."""
    connection = connections[ALIAS]
    directory = template_dir()
    template = directory / f"{TEMPLATE_PREFIX}{template_key()}.sqlite3"
    _point_at(connection.creation._get_test_db_name())
    with _locked(directory / "sqlite.lock"):
        connection.ensure_connection()
        if template.exists():
            source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
            return
        _build_demo(log)
        building = template.with_suffix(".building")
        building.unlink(missing_ok=True)
        target = sqlite3.connect(building)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        building.rename(template)
        for stale in directory.glob(f"{TEMPLATE_PREFIX}*.sqlite3"):
            if stale != template:
                stale.unlink(missing_ok=True)


# ---------------------------------------------------------------- PostgreSQL


def _pg_databases(cursor, like: str) -> list[str]:
    cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [like])
    return [row[0] for row in cursor.fetchall()]


def _pg_setup(log) -> None:
    connection = connections[ALIAS]
    key = template_key()
    base_name = settings.DATABASES[ALIAS]["NAME"]
    prefix = f"test_{base_name}_tpl_"
    template = f"{prefix}{key}"
    test_name = connection.creation._get_test_db_name()
    quote = connection.ops.quote_name
    with _locked(template_dir() / f"pg-{base_name}.lock"):
        with connection._nodb_cursor() as cursor:
            exists = template in _pg_databases(cursor, template)
        if not exists:
            building = f"{template}_building"
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(building)}")
                cursor.execute(f"CREATE DATABASE {quote(building)}")
            _point_at(building)
            _build_demo(log)
            _point_at(base_name)
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(template)}")
                for stale in _pg_databases(cursor, prefix.replace("_", r"\_") + "%"):
                    if stale != template:
                        try:
                            cursor.execute(f"DROP DATABASE IF EXISTS {quote(stale)}")
                        except Exception as exc:  # in use by another run: left for the next one
                            log(f"test template: {stale} not removed ({exc})")
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)}")
            cursor.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")
    _point_at(test_name)
    connection.ensure_connection()


def teardown_test_database(old_config: list) -> None:
    """Drop this process's test database. On PostgreSQL, first end the sessions a thread of this process may still
    hold on it (a live server's, a worker pool's): DROP DATABASE refuses while any is connected."""
    from django.test.utils import teardown_databases

    connection = connections[ALIAS]
    if connection.vendor == "postgresql":
        test_name = connection.settings_dict["NAME"]
        connections.close_all()
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [test_name],
            )
    teardown_databases(old_config, verbosity=0)


def setup_test_database(log=print) -> list:
    """Create this process's test database from the demo template; returns the old config for Django's
    `teardown_databases` (which drops the worker's database and points the connection back)."""
    connection = connections[ALIAS]
    old_name = settings.DATABASES[ALIAS]["NAME"]
    if connection.vendor == "sqlite":
        _sqlite_setup(log)
    elif connection.vendor == "postgresql":
        _pg_setup(log)
    else:
        raise RuntimeError(f"no test template for the {connection.vendor} backend")
    return [(connection, old_name, True)]
