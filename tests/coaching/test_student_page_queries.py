"""The student page costs the same number of queries with 1 contact and with 40 (and their
situations, support actions, check-ins, edits and timeline entries), for each role that sees it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.services import contact_edit, contact_log, situation_record, support_action_add
from tests.coaching.factories import guided_student

pytestmark = pytest.mark.django_db


def _count(client, student):
    connection.queries_log.clear()  # a full log (maxlen 9000) would make every count 0
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("students:detail", args=[student.code]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _activity(cast, student, n, start):
    for i in range(start, start + n):
        at = timezone.now() - dt.timedelta(days=i + 1)
        contact = contact_log(
            student=student, author=cast.coach.user, at=at, channel="telefoon", reached=False, discussed=f"Poging {i}"
        )
        contact_edit(
            contact=contact,
            editor=cast.coach.user,
            channel="telefoon",
            reached=False,
            duration_minutes=None,
            discussed=f"Poging {i}, voicemail",
            next_steps="",
        )
        situation_record(
            student=student, kind="werk", date=timezone.localdate() - dt.timedelta(days=i), contract_type="oproep"
        )
        support_action_add(student=student, kind="cv")


@pytest.mark.parametrize("role", ["coach", "coordinator", "zorg"])
def test_student_page_query_count_does_not_grow_with_the_record(cast, login, role):
    student = guided_student(cast, diploma=timezone.localdate() - dt.timedelta(days=400))
    _activity(cast, student, 1, 0)
    client = login(getattr(cast, role))
    _count(client, student)  # first view: caches (session, texts) filled
    small = _count(client, student)
    _activity(cast, student, 39, 1)
    assert _count(client, student) == small
    assert 0 < small <= 40
