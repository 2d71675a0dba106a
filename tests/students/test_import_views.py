"""The import pages: upload → columns → preview → confirm → result, per role and method."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from students import importing
from students.models import ImportBatch, Student
from tests.students.factories import csv_bytes

pytestmark = pytest.mark.django_db

ROWS = (
    "1001;Özlem;;d'Amico;01-02-2006;06-12345678;8011ab;Zwolle;Logistiek;25453;2;L2A;2026",
    "1002;Jan;van der;Berg;31-02-2026;;;Zwolle;;;2;L2A;2026",
)


def _upload(client, data, name="export.csv", *, read=True):
    """Upload through the page; then read the file as the worker does (the task's body)."""
    response = client.post(reverse("students:import"), {"file": SimpleUploadedFile(name, data)})
    if read and response.status_code == 302:
        importing.import_parse(batch_id=ImportBatch.objects.latest("created_at").pk)
    return response


def test_the_whole_import_flow(cast, login):
    client = login(cast.zorg)
    assert client.get(reverse("students:import")).status_code == 200
    response = _upload(client, csv_bytes(*ROWS, encoding="cp1252"), read=False)
    batch = ImportBatch.objects.get()
    # The web process only keeps the bytes: reading is the worker's.
    assert batch.state == ImportBatch.State.QUEUED and bytes(batch.upload).startswith(b"Studentnummer")
    assert response.url == reverse("students:import_status", args=[batch.code])
    page = client.get(response.url)
    assert page.status_code == 200 and "wachtrij" in page.content.decode()
    assert 'hx-trigger="every 1s"' in page.content.decode()

    assert importing.import_parse(batch_id=batch.pk) == ImportBatch.State.UPLOADED
    batch.refresh_from_db()
    assert batch.upload is None and batch.progress == 2
    response = client.get(reverse("students:import_status", args=[batch.code]))
    assert response.url == reverse("students:import_mapping", args=[batch.code])
    # The polling fragment tells htmx where to go on.
    polled = client.get(reverse("students:import_status", args=[batch.code]), headers={"HX-Request": "true"})
    assert polled.status_code == 204 and polled["HX-Redirect"] == response.url

    page = client.get(response.url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["last_name"] == "Achternaam" and form.initial["date_of_birth"] == "Geb.datum"
    data = dict(form.initial)
    response = client.post(reverse("students:import_mapping", args=[batch.code]), data)
    assert response.url == reverse("students:import_preview", args=[batch.code])
    assert Student.objects.count() == 0

    preview = client.get(response.url)
    body = preview.content.decode()
    assert "31-02-2026 bestaat niet als datum" in body and "Özlem" in body
    assert preview.context["counts"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "duplicate": 0,
        "double": 0,
        "error": 1,
    }

    errors = client.get(reverse("students:import_errors", args=[batch.code]))
    assert errors["Content-Type"].startswith("text/csv") and "Berg" in errors.content.decode("utf-8-sig")
    excel = client.get(reverse("students:import_errors", args=[batch.code]), {"formaat": "xlsx"})
    assert excel["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(excel.content)).active
    assert [c.value for c in sheet[2]][3] == "Berg" and sheet[1][-1].value == "Fouten"

    response = client.post(reverse("students:import_confirm", args=[batch.code]))
    assert response.url == reverse("students:import_result", args=[batch.code])
    assert client.get(response.url).context["result"]["created"] == 1
    assert Student.objects.get().last_name == "d'Amico"
    # A second confirm (double click, back button) imports nothing twice.
    client.post(reverse("students:import_confirm", args=[batch.code]))
    assert Student.objects.count() == 1


def test_xlsx_upload(cast, login):
    wb = Workbook()
    wb.active.append(["Studentnummer", "Voornaam", "Achternaam"])
    wb.active.append([5, "Kees", "Özdil"])
    buffer = io.BytesIO()
    wb.save(buffer)
    client = login(cast.zorg)
    response = _upload(client, buffer.getvalue(), "lijst.xlsx")
    assert response.status_code == 302
    assert ImportBatch.objects.get().rows == [["5", "Kees", "Özdil"]]


def test_mapping_must_name_the_required_columns_once(cast, login):
    client = login(cast.zorg)
    _upload(client, csv_bytes(*ROWS))
    batch = ImportBatch.objects.get()
    url = reverse("students:import_mapping", args=[batch.code])
    response = client.post(url, {"first_name": "Voornaam"})
    assert response.status_code == 200 and "Kies de kolom voor Achternaam" in response.content.decode()
    response = client.post(url, {"first_name": "Voornaam", "last_name": "Voornaam"})
    assert "al gekozen" in response.content.decode()


def test_an_empty_or_wrong_file_gets_a_dutch_error(cast, login):
    client = login(cast.zorg)
    response = _upload(client, b"\x00\x01\x02" * 100, "foto.png")
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.FAILED and batch.upload is None
    page = client.get(response.url)
    body = page.content.decode()
    assert page.status_code == 200 and "Dit bestand kan Kwint niet importeren" in body
    assert "geen tekst en geen Excel-bestand" in body and "Kwint verwacht een CSV-bestand" in body
    # The polling page reloads itself to show the failure.
    polled = client.get(response.url, headers={"HX-Request": "true"})
    assert polled.status_code == 204 and polled["HX-Refresh"] == "true"
    # Steps further on lead back to the explanation.
    assert client.get(reverse("students:import_mapping", args=[batch.code])).url == response.url


def test_import_pages_per_role(cast, login):
    client = login(cast.zorg)
    _upload(client, csv_bytes(*ROWS))
    batch = ImportBatch.objects.get()
    pages = [
        reverse("students:import_mapping", args=[batch.code]),
        reverse("students:import_status", args=[batch.code]),
        reverse("students:import_preview", args=[batch.code]),
        reverse("students:import_result", args=[batch.code]),
        reverse("students:import_errors", args=[batch.code]),
    ]
    outsider = login(cast.outsider_zorg)
    for url in pages:
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(reverse("students:import_confirm", args=[batch.code])).status_code == 404
    coordinator = login(cast.coordinator)
    assert coordinator.get(reverse("students:import")).status_code == 403
    for url in pages:
        assert coordinator.get(url).status_code == 403, url
    client = login(cast.zorg)
    assert client.get(reverse("students:import_confirm", args=[batch.code])).status_code == 405
    assert client.put(reverse("students:import")).status_code == 405
    assert client.post(pages[1]).status_code == 405
    assert client.post(pages[2]).status_code == 405
    for name in ("students:import_mapping", "students:import_status"):
        unknown = reverse(name, args=["00000000-0000-0000-0000-000000000000"])
        assert client.get(unknown).status_code == 404


def test_preview_shows_the_existing_student_behind_a_possible_duplicate(cast, login):
    import datetime as dt

    from tests.factories import StudentFactory

    existing = StudentFactory(
        school=cast.school,
        student_number="",
        first_name="Özlem",
        last_name="d'Amico",
        date_of_birth=dt.date(2006, 2, 1),
    )
    client = login(cast.zorg)
    _upload(client, csv_bytes(ROWS[0]))
    batch = ImportBatch.objects.get()
    client.post(reverse("students:import_mapping", args=[batch.code]), batch.mapping)
    body = client.get(reverse("students:import_preview", args=[batch.code])).content.decode()
    assert "Mogelijk dubbel" in body and reverse("students:detail", args=[existing.code]) in body
    assert "studentnummer" in body
    response = client.post(reverse("students:import_confirm", args=[batch.code]), {"dup-0": "update"})
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.student_number == "1001"


def test_a_reading_that_takes_minutes_says_whom_to_ask(cast, login):
    import datetime as dt

    from django.utils import timezone

    client = login(cast.zorg)
    _upload(client, csv_bytes(*ROWS), read=False)
    batch = ImportBatch.objects.get()
    url = reverse("students:import_status", args=[batch.code])
    assert "langer dan normaal" not in client.get(url).content.decode()
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - dt.timedelta(minutes=3))
    assert "langer dan normaal" in client.get(url, headers={"HX-Request": "true"}).content.decode()
