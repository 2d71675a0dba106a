"""What the access log costs: the caseload page of a coach with 100 students, with the access
log as it is and with every access_log call patched to a no-op; plus one bare log insert and
a student page (which always writes exactly one entry). Prints the numbers, asserts no timing."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from unittest import mock

import pytest
from django.urls import reverse

from audit import services as audit_services
from audit.models import AccessLogEntry, Action
from benchmarks.reporting import best_of
from consent.models import Purpose
from students.models import Student
from tests.factories import StudentFactory, give_consent

pytestmark = pytest.mark.django_db

CASELOAD = 100
REQUESTS = 30


def _no_logging() -> ExitStack:
    """Patch access_log to a no-op wherever it was imported by name."""
    real = audit_services.access_log
    stack = ExitStack()
    for module in list(sys.modules.values()):
        if module is not None and getattr(module, "access_log", None) is real:
            stack.enter_context(mock.patch.object(module, "access_log", lambda **kw: None))
    return stack


def _caseload(cast):
    students = StudentFactory.create_batch(
        CASELOAD, school=cast.school, municipality=cast.municipality, region=cast.region
    )
    for s in students:
        give_consent(s, Purpose.SHARING)
    Student.objects.filter(pk__in=[s.pk for s in students]).update(guiding_organisation=cast.rmc, coach=cast.coach.user)
    return students


def _compare(client, url) -> tuple[float, float, float]:
    """Alternate single requests with and without logging (the machine is shared, so noise hits
    both alike); the fastest request of each kind is the least noisy number. Returns
    (best with log, best without, entries written per logged request)."""
    client.get(url)  # warm up templates, caches, connections
    with_log, without_log = [], []
    before = AccessLogEntry.objects.count()
    for _i in range(REQUESTS):
        with_log.append(best_of(1, lambda: client.get(url)))
        with _no_logging():
            without_log.append(best_of(1, lambda: client.get(url)))
    written = (AccessLogEntry.objects.count() - before) / REQUESTS
    return min(with_log), min(without_log), written


def test_caseload_with_and_without_access_logging(cast, login, report):
    students = _caseload(cast)
    client = login(cast.coach)

    url = reverse("coaching:caseload")
    on, off, written = _compare(client, url)
    report(f"caseload {CASELOAD} students, access log on", on, requests=REQUESTS, entries_per_request=written)
    report(f"caseload {CASELOAD} students, access log no-op", off, requests=REQUESTS)
    assert written <= 1  # one insert per request at most

    detail = reverse("students:detail", args=[students[0].code])
    on, off, written = _compare(client, detail)
    report("student page, access log on", on, requests=REQUESTS, entries_per_request=written)
    report("student page, access log no-op", off, requests=REQUESTS)
    assert written == 1


def test_one_access_log_insert(cast, student, report):
    for _i in range(1000):  # a log that is not empty
        audit_services.access_log(membership=cast.coach, actor=cast.coach.user, action=Action.VIEW, student=student)

    seconds = best_of(
        200,
        lambda: audit_services.access_log(
            membership=cast.coach, actor=cast.coach.user, action=Action.VIEW, student=student
        ),
    )
    report("one access_log insert (hash chain, advisory lock)", seconds, log_rows=AccessLogEntry.objects.count())
    assert audit_services.verify_chain().ok
