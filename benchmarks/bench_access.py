"""How the access door scales: listing the students a role may see, on a region-sized dataset."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Organisation
from benchmarks.reporting import best_of
from consent.models import Purpose
from students.access import students_visible_to
from students.models import Student
from tests.factories import OrganisationFactory, StudentFactory, give_consent

pytestmark = pytest.mark.django_db

STUDENTS = 2_000


def _region_full_of_students(cast) -> None:
    other_school = OrganisationFactory(name="ROC Elders", kind=Organisation.Kind.SCHOOL, region=cast.region)
    StudentFactory.create_batch(STUDENTS // 2, school=cast.school, municipality=cast.municipality)
    StudentFactory.create_batch(STUDENTS // 2, school=other_school, municipality=cast.municipality)
    # Half of them gave consent for sharing with RMC: the coordinator sees those.
    consenting = list(Student.objects.order_by("pk")[: STUDENTS // 2])
    for student in consenting:
        give_consent(student, Purpose.SHARING)
    # A full caseload for the RMC coach.
    caseload = [s.pk for s in consenting[:60]]
    Student.objects.filter(pk__in=caseload).update(guiding_organisation=cast.coach.organisation, coach=cast.coach.user)


@pytest.mark.parametrize("role", ["zorg", "coordinator", "coach"])
def test_students_visible_to(cast, report, role):
    _region_full_of_students(cast)
    membership = getattr(cast, role)

    def first_page():
        return list(students_visible_to(membership).order_by("last_name", "pk")[:50])

    with CaptureQueriesContext(connection) as queries:
        rows = first_page()
    count = students_visible_to(membership).count()
    seconds = best_of(5, first_page)
    report(f"students_visible_to[{role}] first 50", seconds, visible=count, total=STUDENTS, queries=len(queries))
    assert len(queries) == 1
    assert len(rows) == min(50, count)
