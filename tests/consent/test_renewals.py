"""Renewals at 18: the coach sees those due within a month on the caseload, the coordinator a
list of open renewals per school."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consent.models import ConsentRecord, Purpose, Status
from consent.services import consent_record
from students.services import student_assign
from tests.consent.factories import birthday_years_ago, publish_texts
from tests.factories import OrganisationFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def texts(cast):
    return publish_texts(cast.region)


def guided(cast, texts, *, born: dt.date, given_by=ConsentRecord.GivenBy.PARENT, school=None, **kw):
    """A young person guided by the cast's RMC coach, whose consent was given by `given_by`."""
    student = StudentFactory(
        school=school or cast.school, municipality=cast.municipality, region=cast.region, date_of_birth=born, **kw
    )
    for purpose in (Purpose.CONTACT, Purpose.SHARING):
        consent_record(
            student=student,
            purpose=purpose,
            status=Status.GIVEN,
            method=ConsentRecord.Method.PAPER,
            text=texts[purpose],
            given_by=given_by,
            representative_name="" if given_by == ConsentRecord.GivenBy.STUDENT else "Anja de Wit",
        )
    student_assign(student=student, organisation=cast.coach.organisation, coach=cast.coach.user)
    return student


@pytest.fixture
def students(cast, texts):
    return {
        "soon": guided(cast, texts, born=birthday_years_ago(18, days=-20), last_name="Binnenkort"),
        "open": guided(cast, texts, born=birthday_years_ago(18, days=40), last_name="Alachttien"),
        "later": guided(cast, texts, born=birthday_years_ago(18, days=-60), last_name="Later"),
        "own": guided(
            cast, texts, born=birthday_years_ago(19), given_by=ConsentRecord.GivenBy.STUDENT, last_name="Zelf"
        ),
    }


def test_the_caseload_marks_renewals_due_within_a_month(cast, login, students):
    response = login(cast.coach).get(reverse("coaching:caseload"))
    marked = {s.pk for s in response.context["renewals"]}
    assert marked == {students["soon"].pk, students["open"].pk}
    body = response.content.decode()
    assert "Toestemming vernieuwen (18 jaar)" in body
    assert "wordt 18 op" in body and "18 sinds" in body
    # The outsider coach sees none of them.
    assert login(cast.outsider_coach).get(reverse("coaching:caseload")).context["renewals"] == []


def test_the_coordinator_sees_open_renewals_per_school(cast, login, texts, students):
    other_school = OrganisationFactory(
        name="Deltion", kind=cast.school.kind, region=cast.region, municipality=cast.municipality
    )
    elsewhere = guided(cast, texts, born=birthday_years_ago(18, days=5), school=other_school, last_name="Elders")
    response = login(cast.coordinator).get(reverse("consent:renewals"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [s.pk for s in rows] == [elsewhere.pk, students["open"].pk, students["soon"].pk]
    body = response.content.decode()
    assert body.index("Deltion") < body.index("ROC IJsselland")
    assert "nu open" in body
    assert "Contact door een coach na het diploma" in body  # what the parent answered for
    # The school's zorgcoördinator sees their own school's only.
    zorg = login(cast.zorg).get(reverse("consent:renewals")).context["rows"]
    assert {s.pk for s in zorg} == {students["open"].pk, students["soon"].pk}


@pytest.mark.parametrize(
    ("who", "status"),
    [("coach", 403), ("stagiair", 403), ("beheerder", 403), ("matchtafel", 403), ("outsider_coordinator", 200)],
)
def test_who_may_open_the_renewals_page(cast, login, students, who, status):
    response = login(getattr(cast, who)).get(reverse("consent:renewals"))
    assert response.status_code == status
    if status == 200:
        assert response.context["rows"] == []  # another region's coordinator sees none of ours


def test_the_renewals_page_refuses_post(cast, login):
    assert login(cast.coordinator).post(reverse("consent:renewals")).status_code == 405


def test_the_renewals_page_costs_the_same_queries_for_two_or_twelve(cast, login, texts, students):
    client = login(cast.coordinator)
    client.get(reverse("consent:renewals"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("consent:renewals"))
    for n in range(10):
        guided(cast, texts, born=birthday_years_ago(18, days=n), last_name=f"Extra{n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("consent:renewals"))
    assert len(response.context["rows"]) == 12
    assert len(many.captured_queries) == len(few.captured_queries)
