"""What each caseload filter and sort means, the attention count, and the page past the end."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import CheckIn
from coaching.services import contact_log
from tests.coaching.factories import guided_student

pytestmark = pytest.mark.django_db


def _due(student, day):
    """Every planned check-in of the student on `day` (the first of them is the next)."""
    CheckIn.objects.filter(trajectory__student=student, status=CheckIn.Status.PLANNED).update(due_date=day)


@pytest.fixture
def three(cast):
    today = timezone.localdate()
    late = guided_student(cast, last_name="Aalders")
    _due(late, today - dt.timedelta(days=3))
    soon = guided_student(cast, last_name="Bakker")
    _due(soon, today + dt.timedelta(days=3))
    contact_log(student=soon, author=cast.coach.user, channel="telefoon", reached=False)
    later = guided_student(cast, last_name="Claes")
    _due(later, today + dt.timedelta(days=30))
    return late, soon, later


def _names(client, **params):
    response = client.get(reverse("coaching:caseload"), params)
    assert response.status_code == 200
    return [s.last_name for s in response.context["rows"]], response


def test_filters_pick_by_next_check_in_and_last_contact(cast, login, three):
    client = login(cast.coach)
    assert _names(client, toon="aandacht")[0] == ["Aalders"]
    assert _names(client, toon="week")[0] == ["Aalders", "Bakker"]
    # Never contacted counts as quiet; Bakker was called today.
    assert _names(client, toon="stil", sorteer="naam")[0] == ["Aalders", "Claes"]
    assert _names(client, toon="alle", sorteer="naam")[0] == ["Aalders", "Bakker", "Claes"]


def test_sorts(cast, login, three):
    client = login(cast.coach)
    assert _names(client, sorteer="aandacht")[0] == ["Aalders", "Bakker", "Claes"]
    assert _names(client, sorteer="volgend")[0] == ["Aalders", "Bakker", "Claes"]
    # Longest without contact first: never contacted before today.
    assert _names(client, sorteer="laatste_contact")[0][-1] == "Bakker"


def test_next_check_in_is_the_earliest_planned_one_and_its_measurement_flag(cast, login, three):
    late, _soon, _later = three
    today = timezone.localdate()
    first = CheckIn.objects.filter(trajectory__student=late, status=CheckIn.Status.PLANNED).order_by("id").first()
    first.due_date = today - dt.timedelta(days=10)
    first.is_measurement = True
    first.save()
    rows, _response = _names(login(cast.coach), toon="aandacht")
    row = _response.context["rows"][0]
    assert row.next_due == today - dt.timedelta(days=10) and row.next_is_measurement and row.is_overdue
    # Done check-ins do not count: the next one is the earliest still planned.
    first.status = CheckIn.Status.DONE
    first.save()
    row = _names(login(cast.coach), toon="aandacht")[1].context["rows"][0]
    assert row.next_due == today - dt.timedelta(days=3)


def test_attention_count_is_the_whole_caseloads_whatever_the_filter_or_search(cast, login, three):
    client = login(cast.coach)
    for params in ({}, {"toon": "week"}, {"q": "Claes"}, {"q": "niemand-zo"}, {"toon": "stil", "q": "Bakker"}):
        response = client.get(reverse("coaching:caseload"), params)
        assert response.context["attention_total"] == 1, params
    body = client.get(reverse("coaching:caseload")).content.decode()
    assert "1 jongere heeft vandaag een contactmoment of is te laat." in body
    assert 'href="?toon=aandacht"' in body


def test_closed_trajectory_has_no_next_check_in(cast, login, three):
    late, _soon, _later = three
    late.trajectories.update(closed_at=timezone.now())
    rows, response = _names(login(cast.coach), sorteer="volgend")
    assert rows[-1] == "Aalders" and response.context["rows"][-1].next_due is None
    assert response.context["attention_total"] == 0
