"""On PostgreSQL the audit table is append-only: a trigger refuses UPDATE and DELETE.

The one exception is `manage.py audit_archive`, which sets `hongyin.audit_archive` for its own transaction
after writing the rows to a file and leaving a checkpoint (never a silent deletion). SQLite has no such
trigger; there the hash chain (audit_verify) is the protection."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('hongyin.audit_archive', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)  # no client-side %-interpolation (TG_OP message)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_checkpoint")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
