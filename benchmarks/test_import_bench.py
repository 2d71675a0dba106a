"""The yearly import at full size, on PostgreSQL: reading (the worker's task body), preview
and confirm at 5,000 and 20,000 rows, CSV and XLSX; the crafted files of issue 17; and the
accent-free student search over 150,000 students.

Prints what each step takes; asserts only what must hold whatever the speed.
"""

from __future__ import annotations

import contextlib
import io
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from benchmarks.reporting import best_of, timed
from kwint.lib.spreadsheet_read import UploadError, read_table
from kwint.lib.text import fold
from students import import_confirm as confirming
from students import importing
from students.models import ImportBatch, Student, TimelineEvent
from tests.lib import crafted
from tests.students.factories import csv_bytes

pytestmark = pytest.mark.django_db

ROWS = 5_000


def _file(rows: int = ROWS, phone_prefix: str = "06-1") -> bytes:
    lines = [
        f"{100000 + i};Voornaam{i};{'van' if i % 7 == 0 else ''};Achternaam{i % 900};{1 + i % 28}-{1 + i % 12}-2006;"
        f"{phone_prefix}{i:07d};{1000 + i % 8999} AB;Zwolle;Medewerker logistiek;25453;{1 + i % 4};L{i % 40};2026"
        for i in range(rows)
    ]
    return csv_bytes(*lines, encoding="cp1252")


def _xlsx(table) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(table.headers)
    for row in table.rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _read(school, user, data: bytes, name: str = "export.csv") -> tuple[ImportBatch, float]:
    batch = importing.import_receive(school=school, user=user, filename=name, data=data)
    with timed() as t:
        state = importing.import_parse(batch_id=batch.pk)
    assert state == ImportBatch.State.UPLOADED
    batch.refresh_from_db()
    return batch, t["seconds"]


@pytest.mark.parametrize("rows", [ROWS, 20_000])
def test_import(cast, report, login, rows):
    user, school = cast.zorg.user, cast.zorg.organisation
    # Counted before: on the national bench database 150,000 young people are already there.
    students_before, events_before = Student.objects.count(), TimelineEvent.objects.count()
    batch, seconds = _read(school, user, _file(rows))
    report(f"import read {rows} rows (csv cp1252, worker)", seconds, rows=len(batch.rows))

    with CaptureQueriesContext(connection) as q, timed() as t:
        importing.import_preview(batch=batch, mapping=batch.mapping, user=user)
    counts = importing.preview_counts(batch.preview)
    report(f"import preview {rows} new rows", t["seconds"], queries=len(q), created=counts["created"])
    assert counts["created"] == rows

    client = login(cast.zorg)
    with timed() as t:
        response = client.get(reverse("students:import_preview", args=[batch.code]))
    report("import preview page (500 rows shown)", t["seconds"], status=response.status_code)

    with CaptureQueriesContext(connection) as q, timed() as t:
        result = confirming.import_confirm(batch=batch, user=user)
    report(f"import confirm {rows} creates (web request)", t["seconds"], queries=len(q), created=result["created"])
    assert Student.objects.count() - students_before == rows
    assert TimelineEvent.objects.count() - events_before == rows

    # Next year: the same list again, every phone number changed.
    batch, _ = _read(school, user, _file(rows, "06-2"))
    with CaptureQueriesContext(connection) as q, timed() as t:
        importing.import_preview(batch=batch, mapping=batch.mapping, user=user)
    report(f"import preview {rows} changed rows", t["seconds"], queries=len(q))
    assert importing.preview_counts(batch.preview)["updated"] == rows
    with CaptureQueriesContext(connection) as q, timed() as t:
        result = confirming.import_confirm(batch=batch, user=user)
    report(f"import confirm {rows} updates (web request)", t["seconds"], queries=len(q), updated=result["updated"])

    # The same list as an Excel file (openpyxl, read-only streaming, after the pre-scan).
    xlsx = _xlsx(read_table("export.csv", _file(rows, "06-2")))
    batch, seconds = _read(school, user, xlsx, "export.xlsx")
    report(f"import read {rows} rows (xlsx, worker)", seconds, rows=len(batch.rows), kib=len(xlsx) // 1024)

    # And the same file a third time: nothing changes.
    with timed() as t:
        importing.import_preview(batch=batch, mapping=batch.mapping, user=user)
        result = confirming.import_confirm(batch=batch, user=user)
    report(f"import re-import unchanged {rows} (preview+confirm)", t["seconds"], unchanged=result["unchanged"])
    assert result["unchanged"] == rows


@pytest.mark.parametrize(
    "name,build",
    [
        ("lijst.xlsx", crafted.dimension_bomb),
        ("lijst.xlsx", crafted.far_row),
        ("lijst.xlsx", lambda: crafted.zip_bomb(60)),
        ("lijst.xlsx", crafted.lying_zip_bomb),
        ("lijst.xlsx", crafted.wide_row),
        ("export.csv", crafted.csv_wide_header),
        ("export.csv", crafted.random_text),
        ("export.csv", crafted.png),
    ],
    ids=[
        "dimension-bomb",
        "far-row",
        "zip-bomb",
        "lying-zip-bomb",
        "two-million-cells",
        "million-columns",
        "random-text",
        "png",
    ],
)
def test_crafted_file(report, name, build):
    data = build()

    def read():
        with contextlib.suppress(UploadError):
            read_table(name, data)

    report(f"import crafted file refused/read: {name}", best_of(3, read), kib=len(data) // 1024)


STUDENTS = 150_000


def test_accent_free_search_over_150000_students(cast, report, login):
    names = ["Özdil", "Yılmaz", "de Vries", "Çelik", "Jansen", "IJsselmuiden", "El Amrani", "Bakker", "Smit", "Visser"]
    with timed() as t:
        for start in range(0, STUDENTS, 5000):
            batch = []
            for i in range(start, min(start + 5000, STUDENTS)):
                student = Student(
                    code=uuid.uuid4(),
                    first_name=f"Voornaam{i}",
                    last_name=names[i % len(names)] + ("" if i % 3 else f"-{i}"),
                    school=cast.school,
                    region=cast.region,
                    student_number=f"N{i:07d}",
                )
                student.normalize()
                batch.append(student)
            Student.objects.bulk_create(batch, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE students_student")
    report("search seed 150000 students + ANALYZE", t["seconds"])
    visible = Student.objects.filter(school=cast.school)
    for query in ("ozdil", "n0123456", "voornaam12345 celik"):
        qs = visible.search(query).order_by("last_name", "first_name", "pk")
        with timed() as first:
            list(qs[:50])
        warm = best_of(5, lambda qs=qs: list(qs[:50]))
        report(f"search '{query}' first 50 of 150000 (first run)", first["seconds"], warm_ms=round(warm * 1000, 1))
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT id FROM students_student WHERE search_text LIKE %s", ["%" + fold("n0123456") + "%"]
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    report("search plan uses the trigram index", 0, plan="student_search_trgm_idx" in plan)
    client = login(cast.zorg)
    with CaptureQueriesContext(connection) as q, timed() as t:
        response = client.get(reverse("students:list"), {"q": "ozdil"})
    report("student list page q=ozdil (150000 at the school)", t["seconds"], queries=len(q))
    assert response.status_code == 200
