"""The yearly import: upload → read (Celery) → map columns → preview → confirm (`import_confirm`).

The web process never reads an uploaded file: `import_receive` stores the bytes and queues
`students.tasks.import_parse`, which reads them within fixed bounds (`kwint.lib.spreadsheet_read`)
under a memory ceiling and a time limit, and keeps the rows on the ImportBatch. The page polls
the batch's state meanwhile.

Performance: a 5,000-row file is read once and kept on an ImportBatch row; the preview looks up
existing students with a handful of `IN` queries (never one per row). See
benchmarks/test_import_bench.py.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Municipality, Organisation
from kwint.lib.limits import memory_ceiling
from kwint.lib.spreadsheet_read import ReadLimits, UploadError, read_table
from kwint.lib.text import fold
from students.import_fields import FIELDS, FIELDS_BY_NAME, mapping_guess
from students.models import ImportBatch, ImportMapping, Student

log = logging.getLogger(__name__)

CHUNK = 2000  # keeps every IN (...) list well inside PostgreSQL's parameter limit
# A reading that crashed its worker is tried once more, never forever (a file that kills a
# worker must not kill the next one, and the next).
MAX_PARSE_ATTEMPTS = 2
PARSE_TASK = "students.import_parse"
STATUSES = ("created", "updated", "unchanged", "duplicate", "double", "error")


class ImportStateError(Exception):
    """The batch is not in a state for this step (already imported, or another tab confirmed)."""


def read_limits() -> ReadLimits:
    return ReadLimits(
        max_rows=settings.KWINT_IMPORT_MAX_ROWS,
        max_unpacked_bytes=settings.KWINT_IMPORT_MAX_UNPACKED_MB * 1024 * 1024,
        seconds=settings.KWINT_IMPORT_PARSE_SECONDS,
    )


# ---------------------------------------------------------------- upload and reading


def import_receive(*, school: Organisation, user, filename: str, data: bytes) -> ImportBatch:
    """Keep the uploaded bytes and queue the reading once the caller's transaction commits."""
    batch = ImportBatch.objects.create(
        school=school, created_by=user, filename=filename[:200], upload=data, state=ImportBatch.State.QUEUED
    )
    # By name: students.tasks imports this module, and the worker resolves the task anyway.
    transaction.on_commit(lambda: current_app.send_task(PARSE_TASK, args=[batch.pk]))
    return batch


def _stale_before() -> dt.datetime:
    # Past the task's hard time limit a READING batch has no living reader any more.
    return timezone.now() - dt.timedelta(seconds=settings.KWINT_IMPORT_PARSE_SECONDS * 2 + 60)


def _claim(batch_id: int) -> bool:
    """Claim a batch for reading: a redelivered message finds it taken; a reading whose worker
    died may be claimed again once its hard time limit has passed, up to MAX_PARSE_ATTEMPTS."""
    return bool(
        ImportBatch.objects.filter(pk=batch_id, parse_attempts__lt=MAX_PARSE_ATTEMPTS)
        .filter(
            Q(state=ImportBatch.State.QUEUED) | Q(state=ImportBatch.State.READING, parse_started_at__lt=_stale_before())
        )
        .update(
            state=ImportBatch.State.READING,
            parse_started_at=timezone.now(),
            parse_attempts=F("parse_attempts") + 1,
        )
    )


def mark_failed(batch_id: int, message: str) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(
        state=ImportBatch.State.FAILED, error=message[:1000], upload=None, finished_at=timezone.now()
    )


def import_parse(*, batch_id: int) -> str:
    """Read a queued upload into headers and rows (the Celery task's body). Returns the new
    state. Safe to run twice: only a claimed batch is read."""
    if not _claim(batch_id):
        batch = ImportBatch.objects.filter(pk=batch_id).only("state", "parse_attempts", "parse_started_at").first()
        if (
            batch is not None
            and batch.state == ImportBatch.State.READING
            and batch.parse_attempts >= MAX_PARSE_ATTEMPTS
            and batch.parse_started_at < _stale_before()
        ):
            # Gave up after MAX_PARSE_ATTEMPTS: this file crashed a worker twice.
            mark_failed(batch_id, _("Dit bestand kon niet worden gelezen. Sla het opnieuw op als .xlsx of CSV."))
            return ImportBatch.State.FAILED
        return batch.state if batch else "gone"
    batch = (
        ImportBatch.objects.select_related("created_by")
        .only("pk", "school", "filename", "upload", "created_by__language")
        .get(pk=batch_id)
    )
    # The reason a file is refused is stored for the page: in the language of whoever uploaded it.
    language = getattr(batch.created_by, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        return _read(batch)


def _read(batch: ImportBatch) -> str:
    batch_id = batch.pk
    data = bytes(batch.upload or b"")

    def progress(rows: int) -> None:
        ImportBatch.objects.filter(pk=batch_id).update(progress=rows)

    try:
        with memory_ceiling(settings.KWINT_IMPORT_MEMORY_MB * 1024 * 1024):
            table = read_table(batch.filename, data, limits=read_limits(), progress=progress)
    except UploadError as exc:
        mark_failed(batch_id, str(exc))
        return ImportBatch.State.FAILED
    except MemoryError:
        log.warning("Import %s: reading ran into the memory ceiling", batch_id)
        mark_failed(batch_id, _("Dit bestand is te groot om te lezen. Splits het op of exporteer minder kolommen."))
        return ImportBatch.State.FAILED
    except Exception:
        # A reader bug must not leave the page saying "being read" forever.
        log.exception("Import %s: reading failed unexpectedly", batch_id)
        mark_failed(batch_id, _("Dit bestand kon niet worden gelezen. Sla het opnieuw op als .xlsx of CSV."))
        return ImportBatch.State.FAILED
    del data
    ImportBatch.objects.filter(pk=batch_id, state=ImportBatch.State.READING).update(
        state=ImportBatch.State.UPLOADED,
        headers=table.headers,
        rows=table.rows,
        row_lines=table.lines,
        progress=len(table.rows),
        mapping=mapping_guess(school=batch.school, headers=table.headers),
        upload=None,
    )
    return ImportBatch.State.UPLOADED


# ---------------------------------------------------------------- preview


def _jsonable(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _name_key(first: str, last: str, dob: str | None) -> tuple[str, str, str | None]:
    return (fold(first), fold(last), dob)


def _max_lengths() -> dict[str, int]:
    return {
        spec.name: Student._meta.get_field(spec.name).max_length
        for spec in FIELDS
        if spec.name != "municipality" and getattr(Student._meta.get_field(spec.name), "max_length", None)
    }


def _clean_rows(batch: ImportBatch, mapping: dict[str, str]) -> list[dict]:
    columns = {field: batch.headers.index(header) for field, header in mapping.items()}
    municipalities = {fold(name): pk for pk, name in Municipality.objects.values_list("pk", "name")}
    max_lengths = _max_lengths()
    cleaned = []
    for index, row in enumerate(batch.rows):
        values, errors = {}, {}
        for field, column in columns.items():
            raw = row[column].strip()
            if not raw:
                # An empty cell never clears what Kwint holds: exports often lack what a coach
                # has since added (a new phone number). New students get the field's default.
                continue
            spec = FIELDS_BY_NAME[field]
            if spec.clean is None:  # gemeente: must be one Kwint knows, it decides the region
                pk = municipalities.get(fold(raw))
                if pk is None:
                    errors[field] = _("Onbekende gemeente '%(value)s'.") % {"value": raw}
                values[field] = pk
                continue
            try:
                value = spec.clean(raw)
            except ValidationError as exc:
                errors[field] = exc.messages[0]
                continue
            if isinstance(value, str) and field in max_lengths and len(value) > max_lengths[field]:
                errors[field] = _("Te lang: hoogstens %(max)s tekens.") % {"max": max_lengths[field]}
                continue
            values[field] = _jsonable(value)
        for spec in FIELDS:
            if spec.required and not values.get(spec.name) and spec.name not in errors:
                if spec.name in mapping:
                    errors[spec.name] = _("%(field)s ontbreekt: de kolom '%(column)s' is leeg in deze regel.") % {
                        "field": spec.label,
                        "column": mapping[spec.name],
                    }
                else:
                    errors[spec.name] = _("%(field)s ontbreekt: kies de kolom waar het in staat.") % {
                        "field": spec.label
                    }
        cleaned.append({"row": index, "values": values, "errors": errors, "status": "error" if errors else ""})
    return cleaned


def line_of(batch: ImportBatch, row: int) -> int:
    """The row's number as the user sees it in Excel or a text editor (the header is line 1)."""
    return batch.row_lines[row] if row < len(batch.row_lines) else row + 2


def _mark_doubles(batch: ImportBatch, rows: list[dict]) -> None:
    """The same student number twice in one file: which row is right is for the school to say,
    unless the rows are the same (an export that repeats a line), then it is imported once."""
    by_number: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        number = r["values"].get("student_number")
        if number:
            by_number[number].append(r)
    for number, group in by_number.items():
        if len(group) < 2:
            continue
        lines = [line_of(batch, r["row"]) for r in group]
        listed = ", ".join(str(n) for n in lines[:-1]) + " " + _("en") + " " + str(lines[-1])
        identical = all(r["values"] == group[0]["values"] and not r["errors"] for r in group)
        for position, r in enumerate(group):
            r["double"] = lines
            if identical and position == 0:
                continue
            r["status"] = "double"
            if identical:
                r["note"] = _("Dubbel in bestand: zelfde als regel %(line)s, één keer geïmporteerd.") % {
                    "line": lines[0]
                }
            else:
                r["errors"]["student_number"] = _(
                    "Studentnummer %(n)s staat dubbel in bestand (regels %(lines)s) met verschillende gegevens. "
                    "Houd één regel over."
                ) % {"n": number, "lines": listed}


_COMPARE_FIELDS = [f.name if f.name != "municipality" else "municipality_id" for f in FIELDS]


def _existing_values(student: dict) -> dict:
    values = {k: _jsonable(v) for k, v in student.items()}
    values["municipality"] = values.pop("municipality_id", None)
    return values


def import_preview(*, batch: ImportBatch, mapping: dict[str, str], user=None) -> ImportBatch:
    """Classify every row (created / updated / unchanged / duplicate / double / error) without
    writing a student. Remembers the mapping for the school."""
    if batch.state not in {ImportBatch.State.UPLOADED, ImportBatch.State.PREVIEWED}:
        raise ImportStateError
    rows = _clean_rows(batch, mapping)
    _mark_doubles(batch, rows)
    school = batch.school
    mapped = [f for f in mapping if f in FIELDS_BY_NAME]

    numbers = sorted({r["values"]["student_number"] for r in rows if r["values"].get("student_number")})
    by_number: dict[str, dict] = {}
    for chunk in chunks(numbers):
        for s in (
            Student.objects.active().filter(school=school, student_number__in=chunk).values("id", *_COMPARE_FIELDS)
        ):
            by_number[s["student_number"]] = s
    dobs = sorted({r["values"]["date_of_birth"] for r in rows if r["values"].get("date_of_birth")})
    by_name: dict[tuple, dict] = {}
    for chunk in chunks(dobs):
        qs = Student.objects.active().filter(school=school, date_of_birth__in=chunk).values("id", *_COMPARE_FIELDS)
        for s in qs:
            by_name.setdefault(_name_key(s["first_name"], s["last_name"], _jsonable(s["date_of_birth"])), s)

    for r in rows:
        if r["status"] in {"error", "double"} or r["errors"]:
            r["status"] = r["status"] or "error"
            continue
        values = r["values"]
        number = values.get("student_number") or ""
        match = by_number.get(number) if number else None
        duplicate = False
        if match is None and values.get("date_of_birth"):
            match = by_name.get(
                _name_key(values.get("first_name", ""), values.get("last_name", ""), values["date_of_birth"])
            )
            # A name + birth-date match might be someone else: the user decides, unless the
            # row is identical to what Kwint holds (then re-importing simply changes nothing).
            duplicate = match is not None
        if match is None:
            r["status"] = "created"
            continue
        existing = _existing_values(match)
        changes = [f for f in mapped if f in values and values[f] != existing.get(f)]
        r["student"] = match["id"]
        r["changes"] = changes
        if not changes:
            r["status"] = "unchanged"
        else:
            r["status"] = "duplicate" if duplicate else "updated"
    batch.mapping = mapping
    batch.preview = rows
    batch.state = ImportBatch.State.PREVIEWED
    batch.save(update_fields=["mapping", "preview", "state"])
    ImportMapping.objects.update_or_create(school=school, defaults={"mapping": mapping, "updated_by": user})
    return batch


def preview_counts(preview: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for r in preview:
        counts[r["status"]] += 1
    return counts


def import_batches_purge(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete uploads (personal data) once they have served their purpose."""
    deleted, _detail = ImportBatch.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
