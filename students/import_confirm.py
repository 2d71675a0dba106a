"""Confirming an import: every valid row written in one transaction, and the file of rows that
could not be imported (`kwint.lib.spreadsheet`: no cell can carry a formula).

The confirm runs in the request, by choice: it reads no file (the worker read it, the preview
cleaned every value), its input is bounded (at most KWINT_IMPORT_MAX_ROWS validated rows) and it
is one transaction. At 5,000 rows it spends about 1 s of Python CPU (benchmarks/test_import_bench.py;
5 s wall on a 2-core machine at load 9, most of it waiting for PostgreSQL), so a task would add
a second polling page for a few seconds' work. At the 20,000-row cap it is several seconds:
still well inside the web server's timeout.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Municipality
from kwint.lib import spreadsheet
from students.import_fields import FIELDS_BY_NAME
from students.importing import ImportStateError, chunks, line_of, preview_counts
from students.models import ImportBatch, Student, TimelineEvent
from students.services import timeline_event


def _apply(student: Student, values: dict) -> None:
    for field, value in values.items():
        if field == "municipality":
            student.municipality_id = value
        elif field in {"date_of_birth", "expected_diploma_date"}:
            setattr(student, field, dt.date.fromisoformat(value) if value else None)
        else:
            setattr(student, field, "" if value is None and field not in {"level", "cohort"} else value)


def import_confirm(*, batch: ImportBatch, user, decisions: dict[int, str] | None = None) -> dict[str, int]:
    """Write all valid rows in one transaction. `decisions` maps a possible-duplicate row to
    'update' (it is the same person), 'create' (someone else) or 'skip' (the default)."""
    decisions = decisions or {}
    with transaction.atomic():
        # Claim the batch: a double click or a second tab cannot import it twice.
        if not ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.PREVIEWED).update(
            state=ImportBatch.State.IMPORTING
        ):
            raise ImportStateError
        school = batch.school
        regions = dict(Municipality.objects.values_list("pk", "region_id"))
        now = timezone.now()
        creates, updates = [], []
        skipped = 0
        for r in batch.preview:
            status = r["status"]
            if status == "duplicate":
                choice = decisions.get(r["row"], "skip")
                status = {"update": "updated", "create": "created"}.get(choice, "skipped")
                skipped += status == "skipped"
            if status == "created":
                creates.append(r)
            elif status == "updated":
                updates.append(r)

        new_students = []
        for r in creates:
            student = Student(school=school, region_id=school.region_id, created_at=now, updated_at=now)
            _apply(student, r["values"])
            if student.municipality_id:
                student.region_id = regions[student.municipality_id]
            student.normalize()  # bulk_create skips save(): the search column is set here
            new_students.append(student)
        Student.objects.bulk_create(new_students, batch_size=1000)

        existing = {}
        for chunk in chunks([r["student"] for r in updates]):
            existing.update(Student.objects.select_for_update().in_bulk(chunk))
        changed, fields = [], {"updated_at", "region"}
        for r in updates:
            student = existing.get(r["student"])
            if student is None:  # erased or removed since the preview: skip rather than resurrect
                skipped += 1
                continue
            values = {f: r["values"][f] for f in r["changes"]}
            _apply(student, values)
            if "municipality" in values:
                student.region_id = regions[student.municipality_id] if student.municipality_id else school.region_id
            student.updated_at = now
            student.normalize()
            fields.update("municipality" if f == "municipality" else f for f in values)
            if set(values) & set(Student.SEARCH_FIELDS):
                fields.add("search_text")
            changed.append((student, r["changes"]))
        _update_students([s for s, _c in changed], sorted(fields))

        source = batch.filename
        events = [
            timeline_event(
                student=s, at=now, event="student_imported", actor=user, data={"batch": str(batch.code), "file": source}
            )
            for s in new_students
        ] + [
            timeline_event(
                student=s,
                at=now,
                event="student_import_updated",
                actor=user,
                data={"batch": str(batch.code), "fields": changes},
            )
            for s, changes in changed
        ]
        TimelineEvent.objects.bulk_create(events, batch_size=1000)

        counts = preview_counts(batch.preview)
        result = {
            "created": len(new_students),
            "updated": len(changed),
            "unchanged": counts["unchanged"],
            "skipped": skipped,
            "double": counts["double"],
            "error": counts["error"],
        }
        # Keep only what the user may still download (the invalid rows); the rest of the
        # personal data in the upload has done its job.
        batch.rows = invalid_rows(batch)
        batch.preview = []
        batch.result = result
        batch.state = ImportBatch.State.DONE
        batch.finished_at = timezone.now()
        batch.save(update_fields=["rows", "preview", "result", "state", "finished_at"])
    return result


def _update_students(students: list[Student], fields: list[str]) -> None:
    """Write changed fields of many students. Django's bulk_update builds a CASE WHEN per row
    and field in Python, which took ~80% of a 5,000-row confirm; on PostgreSQL one
    `UPDATE ... FROM unnest(arrays)` per chunk does the same work in the database."""
    if not students:
        return
    if connection.vendor != "postgresql":
        Student.objects.bulk_update(students, fields, batch_size=500)
        return
    quote = connection.ops.quote_name
    columns = [Student._meta.get_field(name) for name in fields]
    names = [quote(column.column) for column in columns]
    pk = Student._meta.pk
    # Only quoted identifiers from the model's own metadata go into the text; values are parameters.
    sql = (  # noqa: S608
        f"UPDATE {quote(Student._meta.db_table)} AS s SET "  # noqa: S608
        + ", ".join(f"{name} = v.{name}" for name in names)
        + f" FROM unnest(%s::{pk.db_type(connection)}[], "
        + ", ".join(f"%s::{column.db_type(connection)}[]" for column in columns)
        + f") AS v(id, {', '.join(names)}) WHERE s.{quote(pk.column)} = v.id"
    )
    with connection.cursor() as cursor:
        for chunk in chunks(students, 1000):
            params = [[s.pk for s in chunk]] + [
                [column.get_db_prep_value(getattr(s, column.attname), connection) for s in chunk] for column in columns
            ]
            cursor.execute(sql, params)


def invalid_rows(batch: ImportBatch) -> list[list[str]]:
    """The rows that could not be imported, as uploaded, with their line and the reason."""
    if batch.state == ImportBatch.State.DONE:
        return batch.rows
    out = []
    for r in batch.preview:
        if r["errors"]:
            reason = "; ".join(_reason(FIELDS_BY_NAME[f].label, msg) for f, msg in r["errors"].items())
            out.append([*batch.rows[r["row"]], str(line_of(batch, r["row"])), reason])
    return out


def _reason(label, message: str) -> str:
    label = str(label)
    return message if message.startswith(label) else f"{label}: {message}"


def _error_headers(batch: ImportBatch) -> list[str]:
    return [*batch.headers, _("Regel"), _("Fouten")]


def invalid_rows_csv(batch: ImportBatch) -> str:
    return spreadsheet.csv_text(_error_headers(batch), invalid_rows(batch))


def invalid_rows_xlsx(batch: ImportBatch) -> bytes:
    return spreadsheet.xlsx_bytes(_error_headers(batch), invalid_rows(batch), sheet_title=_("Foute regels"))
