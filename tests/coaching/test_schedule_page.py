"""The student's schedule on the student page (issue 11): the whole two-year plan, done and
missed moments included, folded when long, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from coaching.models import CheckIn
from coaching.services import contact_log
from tests.coaching.factories import guided_student

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


@pytest.fixture
def guided(cast):
    """Four months into the plan: one moment done, older ones missed, the rest planned."""
    with time_machine.travel(dt.datetime.now().astimezone() - dt.timedelta(days=120)):
        student = guided_student(cast, diploma=dt.date.today() - dt.timedelta(days=120))
    contact_log(student=student, author=cast.coach.user, channel="telefoon", reached=True)
    return student


def _page(client, student) -> str:
    return client.get(reverse("students:detail", args=[student.code])).content.decode()


def test_the_page_lists_every_moment_of_the_plan_done_and_missed_included(cast, login, guided):
    checkins = CheckIn.objects.filter(trajectory__student=guided)
    statuses = set(checkins.values_list("status", flat=True))
    assert {CheckIn.Status.DONE, CheckIn.Status.MISSED, CheckIn.Status.PLANNED} <= statuses
    html = _page(login(cast.coach), guided)
    shown = re.findall(r'data-schedule="([0-9a-f-]+)" data-status="(\w+)"', html)
    assert sorted(shown) == sorted((str(c.code), c.status) for c in checkins)
    last = checkins.order_by("due_date").last().due_date
    assert last >= dt.date.today() + dt.timedelta(days=365)  # the plan runs to its end, not six moments
    assert f"Het hele schema: {checkins.count()} contactmomenten" in html
    counts = {s: checkins.filter(status=s).count() for s in ("done", "missed", "planned")}
    assert f"({counts['done']} gedaan, {counts['missed']} gemist, {counts['planned']} gepland)" in html
    assert "gedaan" in html and "gemist" in html


def test_a_long_plan_is_folded_a_short_one_open(cast, login, guided):
    client = login(cast.coach)
    assert CheckIn.objects.filter(trajectory__student=guided).count() > 8
    assert '<details class="mb-3 schedule">' in _page(client, guided)
    trajectory = guided.trajectories.get()
    keep = list(trajectory.checkins.order_by("due_date").values_list("pk", flat=True)[:5])
    trajectory.checkins.exclude(pk__in=keep).delete()
    assert '<details class="mb-3 schedule" open>' in _page(client, guided)


def test_the_page_runs_the_same_queries_for_a_short_and_a_long_plan(cast, login, guided):
    client = login(cast.coach)
    trajectory = guided.trajectories.get()
    _page(client, guided)  # warm: session, membership
    with CaptureQueriesContext(connection) as short:
        _page(client, guided)
    CheckIn.objects.bulk_create(
        CheckIn(trajectory=trajectory, coach=cast.coach.user, due_date=dt.date.today() + dt.timedelta(days=d))
        for d in range(3, 300, 3)
    )
    with CaptureQueriesContext(connection) as long:
        html = _page(client, guided)
    assert len(long) == len(short)
    assert len(re.findall(r"data-schedule=", html)) == trajectory.checkins.count()
