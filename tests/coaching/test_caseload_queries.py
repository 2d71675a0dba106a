"""The caseload page costs the same number of queries for 5 and for 100 young people."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coaching.services import contact_log, situation_record, support_action_add
from tests.coaching.factories import guided_student

pytestmark = pytest.mark.django_db


def _add(cast, n):
    for i in range(n):
        student = guided_student(cast, diploma=dt.date.today() - dt.timedelta(days=30 * (i % 20)))
        contact_log(student=student, author=cast.coach.user, channel="telefoon", reached=bool(i % 2))
        situation_record(student=student, kind="werk", date=dt.date.today(), contract_type="oproep")
        support_action_add(student=student, kind="cv")


def _count(client):
    connection.queries_log.clear()  # a full log (maxlen 9000) would make every count 0
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("coaching:caseload"))
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["rows"])


def test_caseload_query_count_is_the_same_at_5_and_100_students(cast, login):
    client = login(cast.coach)
    _add(cast, 5)
    small, rows = _count(client)
    assert rows == 5
    _add(cast, 95)
    large, rows = _count(client)
    assert rows == 100
    assert large == small
    assert 0 < small <= 12
