"""A refused request (403) is logged once, in one line, with user id, path and reason; the
page is Kwint's own, in Dutch (issue 11)."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def _records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_role_refusal_is_one_line_with_user_path_and_reason(login, cast, caplog):
    caplog.set_level(logging.INFO)
    response = login(cast.coach).get(reverse("accounts:users"))
    assert response.status_code == 403
    records = _records(caplog)
    assert len(records) == 1, [(r.name, r.getMessage()) for r in records]
    record = records[0]
    assert record.name == "kwint.security"
    assert record.exc_info is None
    message = record.getMessage()
    assert "\n" not in message
    assert f"user={cast.coach.user.pk}" in message
    assert "path='/account/beheer/gebruikers/'" in message
    assert "reason='role coach may not open this page'" in message


def test_a_refusal_through_the_student_door_names_the_missing_permission(login, cast, caplog):
    student = StudentFactory(school=cast.school, municipality=cast.municipality, region=cast.region)
    caplog.set_level(logging.INFO)
    # The school's zorgcoördinator sees the student but does not close trajectories.
    response = login(cast.zorg).get(reverse("coaching:close", args=[student.code]))
    assert response.status_code == 403
    (record,) = _records(caplog)
    assert record.name == "kwint.security" and record.exc_info is None
    assert "may see the student but not" in record.getMessage()


def test_the_query_string_never_reaches_the_line(login, cast, caplog):
    caplog.set_level(logging.INFO)
    login(cast.coach).get(reverse("accounts:users") + "?q=Sam+Jansen")
    (record,) = _records(caplog)
    assert "Sam" not in record.getMessage()


def test_a_csrf_failure_gets_a_dutch_page_and_one_line(cast, caplog):
    caplog.set_level(logging.INFO)
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": cast.coach.user.email, "password": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Het formulier is verlopen" in body
    assert "CSRF verification failed" not in body
    (record,) = _records(caplog)
    assert record.name == "kwint.security"
    assert "user=-" in record.getMessage()
    assert "reason='CSRF: " in record.getMessage()


def test_the_403_page_is_kwints_own_in_dutch(login, cast):
    body = login(cast.coach).get(reverse("accounts:users")).content.decode()
    assert '<html lang="nl">' in body
    assert "<h1" in body and "Geen toegang" in body
    assert "functioneel beheerder" in body
    assert "Traceback" not in body and "PermissionDenied" not in body
