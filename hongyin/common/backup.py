"""Backup and restore with verification (SECURITY.md "Bad input and faults").

`manage.py backup` writes the database (SQLite: the online backup API, consistent while the site runs;
PostgreSQL: pg_dump -Fc) and a manifest: for every table its row count and an SM3 checksum of its rows in
primary-key order. `manage.py restore` restores into a FRESH database and checks every count and checksum
against the manifest; any difference fails loudly.
"""

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection
from django.utils import timezone

from .crypto import sm3_hex

MANIFEST_SUFFIX = ".manifest.json"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_figures(dbapi_conn, tables: list[str]) -> dict[str, dict]:
    """{table: {"rows": n, "sm3": hex}} over a DB-API connection (sqlite3 or psycopg)."""
    figures = {}
    cur = dbapi_conn.cursor()
    for table in sorted(tables):
        cur.execute(f"SELECT * FROM {_quote(table)} ORDER BY 1")  # noqa: S608
        digest_input = []
        count = 0
        while True:
            rows = cur.fetchmany(2000)
            if not rows:
                break
            for row in rows:
                digest_input.append(json.dumps([_plain(v) for v in row], ensure_ascii=False, default=str))
                count += 1
        figures[table] = {"rows": count, "sm3": sm3_hex("\n".join(digest_input).encode())}
    cur.close()
    return figures


def _plain(value):
    if isinstance(value, memoryview):
        return bytes(value).hex()
    if isinstance(value, bytes):
        return value.hex()
    return value


def _tables() -> list[str]:
    return [t for t in connection.introspection.table_names() if not t.startswith("sqlite_")]


def backup(output: Path) -> dict:
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    tables = _tables()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(output)
        with target:
            connection.connection.backup(target)
        target.close()
        figures = table_figures(sqlite3.connect(output), tables)  # figures of the copy itself
    elif connection.vendor == "postgresql":
        settings = connection.settings_dict
        env = _pg_env(settings)
        subprocess.run(  # noqa: S603  fixed argv, no shell
            [shutil.which("pg_dump") or "pg_dump", "-Fc", "--no-owner", "-f", str(output), settings["NAME"]],
            check=True,
            env=env,
            timeout=3600,
        )
        # a plain connection, like the one restore verifies with: Django's own adapts types (jsonb arrives as
        # text there, as a dict here) and sees its open transaction, which pg_dump does not
        import psycopg

        with psycopg.connect(
            dbname=settings["NAME"],
            host=settings.get("HOST") or None,
            port=settings.get("PORT") or None,
            user=settings.get("USER") or None,
            password=settings.get("PASSWORD") or None,
        ) as plain:
            figures = table_figures(plain, tables)
    else:
        raise RuntimeError(f"backup does not support {connection.vendor}")
    manifest = {
        "vendor": connection.vendor,
        "created": timezone.now().isoformat(),
        "file_sm3": sm3_hex(output.read_bytes()),
        "tables": figures,
    }
    Path(str(output) + MANIFEST_SUFFIX).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    output.chmod(0o600)
    return manifest


def _pg_env(settings: dict) -> dict:
    import os

    env = dict(os.environ)
    env.update(
        {
            "PGHOST": str(settings.get("HOST") or ""),
            "PGPORT": str(settings.get("PORT") or ""),
            "PGUSER": str(settings.get("USER") or ""),
            "PGPASSWORD": str(settings.get("PASSWORD") or ""),
        }
    )
    return env


def compare(manifest: dict, figures: dict) -> list[str]:
    problems = []
    for table, want in manifest["tables"].items():
        got = figures.get(table)
        if got is None:
            problems.append(f"{table}: missing after restore")
        elif got["rows"] != want["rows"]:
            problems.append(f"{table}: {got['rows']} rows, expected {want['rows']}")
        elif got["sm3"] != want["sm3"]:
            problems.append(f"{table}: checksum differs")
    return problems


def restore_sqlite(backup_file: Path, target: Path) -> list[str]:
    """Restore into a new SQLite file and verify. Returns the problems found (empty = identical)."""
    backup_file, target = Path(backup_file), Path(target)
    manifest = json.loads(Path(str(backup_file) + MANIFEST_SUFFIX).read_text())
    if sm3_hex(backup_file.read_bytes()) != manifest["file_sm3"]:
        return ["backup file digest differs from the manifest (altered or truncated)"]
    if target.exists() and target.stat().st_size > 0:
        raise FileExistsError(f"{target} exists: restore only into a fresh database")
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    dest = sqlite3.connect(target)
    with dest:
        source.backup(dest)
    source.close()
    problems = compare(manifest, table_figures(dest, list(manifest["tables"])))
    dest.close()
    return problems


def restore_postgresql(backup_file: Path, target_settings: dict) -> list[str]:
    import psycopg

    manifest = json.loads(Path(str(backup_file) + MANIFEST_SUFFIX).read_text())
    if sm3_hex(Path(backup_file).read_bytes()) != manifest["file_sm3"]:
        return ["backup file digest differs from the manifest (altered or truncated)"]
    env = _pg_env(target_settings)
    with psycopg.connect(
        dbname=target_settings["NAME"],
        host=target_settings.get("HOST") or None,
        port=target_settings.get("PORT") or None,
        user=target_settings.get("USER") or None,
        password=target_settings.get("PASSWORD") or None,
    ) as conn:
        cur = conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        if cur.fetchone()[0]:
            raise FileExistsError("the target database is not empty: restore only into a fresh database")
        subprocess.run(  # noqa: S603  fixed argv, no shell
            [shutil.which("pg_restore") or "pg_restore", "--no-owner", "-d", target_settings["NAME"], str(backup_file)],
            check=True,
            env=env,
            timeout=3600,
        )
        return compare(manifest, table_figures(conn, list(manifest["tables"])))


def pg_tools_available() -> bool:
    return shutil.which("pg_dump") is not None and shutil.which("pg_restore") is not None
