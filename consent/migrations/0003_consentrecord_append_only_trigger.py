"""The consent history is append-only in the database, not only in Python.

A PostgreSQL trigger refuses every DELETE and every UPDATE of consent_consentrecord, except the
one update the AVG erasure needs: blanking `representative_name` and `note` (both set to '')
with every other column unchanged. SQLite (the demo) relies on the model's guards.
"""

from django.db import migrations

CREATE_SQL = """
CREATE OR REPLACE FUNCTION consent_record_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'consent_consentrecord is append-only: DELETE refused'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.representative_name = '' AND NEW.note = ''
       AND (to_jsonb(NEW) - 'representative_name' - 'note') = (to_jsonb(OLD) - 'representative_name' - 'note') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'consent_consentrecord is append-only: UPDATE refused'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS consent_record_append_only ON consent_consentrecord;
CREATE TRIGGER consent_record_append_only
    BEFORE UPDATE OR DELETE ON consent_consentrecord
    FOR EACH ROW EXECUTE FUNCTION consent_record_append_only();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS consent_record_append_only ON consent_consentrecord;
DROP FUNCTION IF EXISTS consent_record_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0002_links_reminders_protect"),
    ]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger),
    ]
