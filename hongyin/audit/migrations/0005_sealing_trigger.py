"""Sealing: events are inserted unsealed inside the business transaction, and sealed afterwards (services.seal_pending).

Existing events were chained in id order when they were written: they take seq = id, and each checkpoint's
last_seq is its last_event_id. The append-only trigger (0003) now lets exactly one UPDATE through: sealing an
unsealed row (seq, prev_hash and hash from empty to set), with every other column unchanged. DELETE stays
refused except for `audit_archive` (hongyin.audit_archive = 'on')."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('hongyin.audit_archive', true) = 'on' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND OLD.hash = '' AND OLD.prev_hash = ''
       AND NEW.seq IS NOT NULL AND NEW.hash <> '' AND NEW.prev_hash <> ''
       AND (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash') = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""

OLD_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('hongyin.audit_archive', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""

NUMBER_EXISTING = "UPDATE audit_auditevent SET seq = id WHERE seq IS NULL AND hash <> ''"
CHECKPOINTS = "UPDATE audit_auditcheckpoint SET last_seq = last_event_id"


def forwards(apps, schema_editor):
    pg = schema_editor.connection.vendor == "postgresql"
    if pg:
        schema_editor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only", params=None)
    schema_editor.execute(NUMBER_EXISTING, params=None)
    schema_editor.execute(CHECKPOINTS, params=None)
    if pg:
        schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only", params=None)
        schema_editor.execute(FUNCTION, params=None)  # no client-side %-interpolation (TG_OP message)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_event_seq_sealing")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
