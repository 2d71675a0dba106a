"""Append-only tables in PostgreSQL: a trigger that refuses DELETE and UPDATE, not only the
model's `save()` guard, so no code path (a raw query, a shell, a bug) can rewrite history.

One exception per table is allowed: the update that clears named columns with everything else
unchanged. Deleting a user sets the access log's `actor_id` to NULL; the AVG erasure blanks a
consent answer's free text. Used from migrations, so the generated SQL must never change for
an existing table: a new rule is a new migration with a new function name.

SQLite (the demo) has no such trigger and relies on the model's guards. TRUNCATE is not
covered: it needs table ownership, which the application role should not have in production.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import migrations


def _sql(table: str, function: str, *, nullable: Sequence[str], blankable: Sequence[str]) -> tuple[str, str]:
    cleared = [*nullable, *blankable]
    conditions = [f"NEW.{column} IS NULL" for column in nullable] + [f"NEW.{column} = ''" for column in blankable]
    minus = "".join(f" - '{column}'" for column in cleared)
    allowed = ""
    if cleared:
        allowed = f"""
    IF {" AND ".join(conditions)}
       AND (to_jsonb(NEW){minus}) = (to_jsonb(OLD){minus}) THEN
        RETURN NEW;
    END IF;"""
    create = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '{table} is append-only: DELETE refused'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;{allowed}
    RAISE EXCEPTION '{table} is append-only: UPDATE refused'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS {function} ON {table};
CREATE TRIGGER {function}
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    drop = f"""
DROP TRIGGER IF EXISTS {function} ON {table};
DROP FUNCTION IF EXISTS {function}();
"""
    return create, drop


def append_only_trigger(
    table: str, function: str, *, nullable: Sequence[str] = (), blankable: Sequence[str] = ()
) -> migrations.RunPython:
    """A migration operation making `table` append-only on PostgreSQL. `nullable` columns may
    be set to NULL and `blankable` text columns to '' (together, nothing else changing)."""
    create, drop = _sql(table, function, nullable=nullable, blankable=blankable)

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(create)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop)

    return migrations.RunPython(forwards, backwards)
