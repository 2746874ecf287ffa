"""Backup and restore round trip with identical row counts and checksums; a damaged backup is refused."""

import io
import json
import os
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def test_backup_and_restore_round_trip_on_sqlite(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite round trip (see the PostgreSQL test)")
    from hongyin.accounts.models import User

    target = tmp_path / "hongyin.db"
    out = io.StringIO()
    call_command("backup", output=str(target), stdout=out)
    manifest = json.loads((tmp_path / "hongyin.db.manifest.json").read_text())
    assert manifest["tables"]["accounts_user"]["rows"] == User.objects.count() > 0
    assert manifest["tables"]["audit_auditevent"]["rows"] > 0
    restored = tmp_path / "restored.db"
    out = io.StringIO()
    call_command("restore", str(target), target=str(restored), stdout=out)
    assert "every row count and checksum matches" in out.getvalue()
    tables = len(manifest["tables"])
    print(f"backup/restore: {tables} tables, {sum(t['rows'] for t in manifest['tables'].values())} rows identical")

    # restoring over an existing database is refused
    with pytest.raises(CommandError, match="fresh database"):
        call_command("restore", str(target), target=str(restored), stdout=io.StringIO())

    # a damaged backup file is refused
    damaged = tmp_path / "damaged.db"
    shutil.copy(target, damaged)
    shutil.copy(str(target) + ".manifest.json", str(damaged) + ".manifest.json")
    with open(damaged, "r+b") as fh:
        fh.seek(os.path.getsize(damaged) // 2)
        fh.write(b"\x00garbage\x00")
    with pytest.raises(CommandError, match="digest differs"):
        call_command("restore", str(damaged), target=str(tmp_path / "r2.db"), stdout=io.StringIO())

    # a manifest that disagrees with the data (e.g. rows lost) is reported table by table
    manifest["tables"]["accounts_user"]["rows"] += 1
    (tmp_path / "hongyin.db.manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="accounts_user"):
        call_command("restore", str(target), target=str(tmp_path / "r3.db"), stdout=io.StringIO())


@pytest.mark.postgres
def test_backup_and_restore_round_trip_on_postgresql(tmp_path):
    from hongyin.common.backup import pg_tools_available

    if connection.vendor != "postgresql":
        pytest.skip("needs a PostgreSQL server (DATABASE_URL=postgres://...); the SQLite round trip runs instead")
    if not pg_tools_available():
        pytest.skip("pg_dump/pg_restore are not installed")
    target_url = os.environ.get("HONGYIN_RESTORE_TEST_URL")
    scratch = None
    if not target_url:
        # a fresh, empty database on the same server, dropped afterwards
        import psycopg

        settings_dict = connection.settings_dict
        scratch = f"hongyin_restore_{os.getpid()}"
        admin = psycopg.connect(
            dbname="postgres",
            user=settings_dict["USER"],
            host=settings_dict["HOST"] or None,
            port=settings_dict["PORT"] or None,
            password=settings_dict["PASSWORD"] or None,
            autocommit=True,
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.execute(f'CREATE DATABASE "{scratch}"')
        auth = settings_dict["USER"] + (f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else "")
        target_url = (
            f"postgres://{auth}@{settings_dict['HOST'] or 'localhost'}:{settings_dict['PORT'] or 5432}/{scratch}"
        )
    try:
        call_command("backup", output=str(tmp_path / "pg.dump"), stdout=io.StringIO())
        out = io.StringIO()
        call_command("restore", str(tmp_path / "pg.dump"), target=target_url, stdout=out)
        assert "matches" in out.getvalue()
    finally:
        if scratch:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
            admin.close()
