"""Every consent view per role: allowed, outsider 404, read-only 403, wrong method 405, unknown 404."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from audit.models import AccessLogEntry, Action, Result
from consent.models import Purpose
from tests.consent.factories import make_student, publish_texts
from tests.factories import give_consent

STUDENT_VIEWS = ["consent:record", "consent:withdraw", "consent:link", "consent:print"]


@pytest.fixture
def guided(cast):
    publish_texts(cast.region)
    student = make_student(cast, guiding_organisation=cast.rmc, coach=cast.coach.user)
    give_consent(student, Purpose.SHARING)
    return student


@pytest.mark.parametrize("name", STUDENT_VIEWS)
@pytest.mark.parametrize("role", ["zorg", "coach"])
def test_the_school_and_the_coach_may_record(cast, login, guided, name, role):
    response = login(getattr(cast, role)).get(reverse(name, args=[guided.code]))
    assert response.status_code == 200


@pytest.mark.parametrize("name", [*STUDENT_VIEWS, "consent:history"])
@pytest.mark.parametrize("role", ["outsider_zorg", "outsider_coordinator", "school_coach", "matchtafel", "beheerder"])
def test_outsiders_get_404(cast, login, guided, name, role):
    assert login(getattr(cast, role)).get(reverse(name, args=[guided.code])).status_code == 404


@pytest.mark.parametrize("name", STUDENT_VIEWS)
@pytest.mark.parametrize("role", ["coordinator", "gemeente_coordinator"])
def test_read_only_roles_get_403(cast, login, guided, name, role):
    client = login(getattr(cast, role))
    assert client.get(reverse(name, args=[guided.code])).status_code == 403
    assert client.get(reverse("consent:history", args=[guided.code])).status_code == 200


@pytest.mark.parametrize(
    "name,method",
    [
        ("consent:record", "put"),
        ("consent:withdraw", "delete"),
        ("consent:link", "put"),
        ("consent:print", "post"),
        ("consent:history", "post"),
    ],
)
def test_wrong_method_gets_405(cast, login, guided, name, method):
    assert getattr(login(cast.zorg), method)(reverse(name, args=[guided.code])).status_code == 405


@pytest.mark.parametrize("name", [*STUDENT_VIEWS, "consent:history"])
def test_unknown_code_gets_404(cast, login, name):
    assert login(cast.zorg).get(reverse(name, args=[uuid.uuid4()])).status_code == 404


def test_printing_is_logged_as_a_print(cast, login, guided):
    response = login(cast.zorg).get(reverse("consent:print", args=[guided.code]))
    assert response.status_code == 200
    entry = AccessLogEntry.objects.filter(student_code=guided.code).order_by("-id").first()
    assert (entry.action, entry.result, entry.actor_email) == (Action.PRINT, Result.OK, "zorg@kwint.test")
    login(cast.outsider_zorg).get(reverse("consent:print", args=[guided.code]))
    assert AccessLogEntry.objects.filter(action=Action.PRINT, result=Result.NOT_FOUND).exists()
