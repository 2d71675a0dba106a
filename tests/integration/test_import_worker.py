"""The import's reading in a real worker (issue 17): the web process stores the upload and the
worker reads it; crafted files fail there quickly with a Dutch message, and the worker lives on
to read the next file."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kwint.celery import heartbeat
from students.models import ImportBatch
from tests.lib import crafted
from tests.students.factories import csv_bytes

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ROWS = ("1001;Özlem;;d'Amico;01-02-2006;06-12345678;8011ab;Zwolle;Logistiek;25453;2;L2A;2026",)


def _wait_until_read(client, batch: ImportBatch, timeout: float = 30) -> str:
    """Poll the status page as htmx does; return where it sends the user."""
    url = reverse("students:import_status", args=[batch.code])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(url, headers={"HX-Request": "true"})
        if response.status_code == 204:
            return response.get("HX-Redirect") or "refresh"
        assert response.status_code == 200
        time.sleep(0.2)
    pytest.fail(f"the worker did not read {batch.filename} within {timeout} s")


def _upload(client, name: str, data: bytes) -> ImportBatch:
    response = client.post(reverse("students:import"), {"file": SimpleUploadedFile(name, data)})
    batch = ImportBatch.objects.get(code=response.url.split("/")[-3])
    assert response.url == reverse("students:import_status", args=[batch.code])
    return batch


def test_the_worker_reads_the_upload_and_the_page_moves_on(cast, login, celery_worker_process):
    client = login(cast.zorg)
    batch = _upload(client, "export.csv", csv_bytes(*ROWS, encoding="cp1252"))
    assert _wait_until_read(client, batch) == reverse("students:import_mapping", args=[batch.code])
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.UPLOADED and batch.upload is None
    assert batch.rows[0][:4] == ["1001", "Özlem", "", "d'Amico"]
    assert "students.import_parse[" in celery_worker_process.log()


@pytest.mark.parametrize(
    ("name", "build", "message"),
    [
        ("lijst.xlsx", lambda: crafted.zip_bomb(60), "Uitgepakt is dit Excel-bestand groter dan 50 MB"),
        ("lijst.xlsx", crafted.lying_zip_bomb, "beschadigd"),
        ("lijst.xlsx", crafted.wide_row, "meer cellen dan Excel toestaat"),
        ("export.csv", crafted.csv_wide_header, "De kopregel is te lang"),
        ("export.csv", crafted.png, "PNG-bestand"),
        ("export.csv", crafted.random_text, "klopt het aantal kolommen niet"),
    ],
    ids=["zip-bomb", "lying-zip-bomb", "two-million-cells", "million-columns", "png", "random-text"],
)
def test_crafted_files_fail_in_the_worker_and_it_lives_on(cast, login, celery_worker_process, name, build, message):
    client = login(cast.zorg)
    batch = _upload(client, name, build())
    assert _wait_until_read(client, batch) == "refresh"
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.FAILED and message in batch.error and batch.upload is None
    page = client.get(reverse("students:import_status", args=[batch.code])).content.decode()
    assert "Dit bestand kan Kwint niet importeren" in page and message in page
    assert heartbeat.delay().get(timeout=20) == "ok"  # the same worker, still there


def test_the_dimension_bomb_is_read_by_its_real_content_in_the_worker(cast, login, celery_worker_process):
    client = login(cast.zorg)
    batch = _upload(client, "lijst.xlsx", crafted.dimension_bomb())
    assert _wait_until_read(client, batch) == reverse("students:import_mapping", args=[batch.code])
    batch.refresh_from_db()
    assert batch.headers == ["Studentnummer", "Voornaam", "Achternaam"] and batch.rows == [["1001", "Jan", "Jansen"]]
