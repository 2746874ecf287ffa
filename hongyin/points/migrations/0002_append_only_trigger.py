"""The points ledger is append-only: on PostgreSQL a trigger refuses UPDATE and DELETE of a ledger line, on SQLite
two triggers do the same (the ORM also refuses: hongyin.points.models.AppendOnlyQuerySet). A correction is a new
(manual) line."""

from django.db import migrations

PG = """
CREATE OR REPLACE FUNCTION points_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'points_pointentry is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS points_append_only ON points_pointentry;
CREATE TRIGGER points_append_only BEFORE UPDATE OR DELETE ON points_pointentry
    FOR EACH ROW EXECUTE FUNCTION points_append_only();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS points_append_only ON points_pointentry;
DROP FUNCTION IF EXISTS points_append_only();
"""
SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS points_no_update BEFORE UPDATE ON points_pointentry
    BEGIN SELECT RAISE(ABORT, 'points_pointentry is append-only (UPDATE refused)'); END""",
    """CREATE TRIGGER IF NOT EXISTS points_no_delete BEFORE DELETE ON points_pointentry
    BEGIN SELECT RAISE(ABORT, 'points_pointentry is append-only (DELETE refused)'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS points_no_update", "DROP TRIGGER IF EXISTS points_no_delete"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE:
            schema_editor.execute(sql, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REVERSE, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_REVERSE:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
