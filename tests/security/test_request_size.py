"""A request body over the limit is refused before it is read or written to disk (issue 17)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.urls import reverse

from students.models import ImportBatch

pytestmark = pytest.mark.django_db

CHUNKS_SEEN: list[int] = []


class SpyUploadHandler(FileUploadHandler):
    """Records every chunk Django would stream to memory or a temporary file."""

    def receive_data_chunk(self, raw_data, start):
        CHUNKS_SEEN.append(len(raw_data))
        return raw_data

    def file_complete(self, file_size):
        return None


@pytest.fixture
def spy(settings):
    CHUNKS_SEEN.clear()
    settings.FILE_UPLOAD_HANDLERS = [
        "tests.security.test_request_size.SpyUploadHandler",
        *settings.FILE_UPLOAD_HANDLERS,
    ]
    return CHUNKS_SEEN


def _upload(client, size: int):
    data = io.BytesIO(b"studentnummer;naam\n" + b"x" * size)
    data.name = "lijst.csv"
    return client.post(reverse("students:import"), {"file": data})


def test_an_upload_over_the_limit_is_refused_unread_with_a_dutch_page(login, cast, spy, settings):
    settings.KWINT_MAX_UPLOAD_BYTES = 1024 * 1024
    settings.KWINT_MAX_REQUEST_BYTES = 1024 * 1024 + 64 * 1024
    response = _upload(login(cast.zorg), 3 * 1024 * 1024)
    assert response.status_code == 413
    body = response.content.decode()
    assert "Het bestand is te groot" in body and "hoogstens 1 MB" in body
    assert spy == []  # not one byte of the file was streamed anywhere
    assert ImportBatch.objects.count() == 0


def test_an_upload_under_the_limit_reaches_the_import(login, cast, spy, settings):
    settings.KWINT_MAX_UPLOAD_BYTES = 1024 * 1024
    settings.KWINT_MAX_REQUEST_BYTES = 1024 * 1024 + 64 * 1024
    response = _upload(login(cast.zorg), 10 * 1024)
    assert response.status_code != 413
    assert sum(spy) > 10 * 1024


def test_a_visitor_cannot_make_the_server_read_a_large_body_either(client, spy, settings):
    settings.KWINT_MAX_REQUEST_BYTES = 64 * 1024
    response = client.post(reverse("login"), {"username": "x" * (128 * 1024), "password": "y"})
    assert response.status_code == 413


def test_the_default_limits():
    from django.conf import settings

    assert settings.KWINT_MAX_UPLOAD_BYTES == 10 * 1024 * 1024
    assert settings.KWINT_MAX_UPLOAD_BYTES < settings.KWINT_MAX_REQUEST_BYTES <= 11 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * 1024 * 1024
