"""Data-leak matrix for the privacy pages: per role, exactly which access-log entries and which
records due for erasure are shown. Explicit visible sets, everything else hidden."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action
from audit.services import access_log
from consent.models import Purpose
from students.models import Student
from tests.factories import StudentFactory, give_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    guided = StudentFactory(
        school=cast.school,
        municipality=cast.municipality,
        region=cast.region,
        guiding_organisation=cast.rmc,
        coach=cast.coach.user,
        last_name="Begeleid",
    )
    give_consent(guided, Purpose.SHARING)
    no_consent = StudentFactory(
        school=cast.school, municipality=cast.municipality, region=cast.region, last_name="Zondertoestemming"
    )
    elsewhere = StudentFactory(school=cast.other_school, region=cast.other_school.region, last_name="Elders")
    entries = {
        "school_coach@guided": access_log(
            membership=cast.school_coach, actor=cast.school_coach.user, action=Action.VIEW, student=guided
        ),
        "coach@guided": access_log(membership=cast.coach, actor=cast.coach.user, action=Action.VIEW, student=guided),
        "zorg@no_consent": access_log(
            membership=cast.zorg, actor=cast.zorg.user, action=Action.VIEW, student=no_consent
        ),
        "outsider_zorg@elsewhere": access_log(
            membership=cast.outsider_zorg, actor=cast.outsider_zorg.user, action=Action.VIEW, student=elsewhere
        ),
    }
    soon = timezone.localdate() + dt.timedelta(days=7)
    Student.objects.filter(pk__in=[guided.pk, no_consent.pk, elsewhere.pk]).update(erase_after=soon)
    return entries


LOG_VISIBLE = {
    "zorg": {"school_coach@guided", "coach@guided", "zorg@no_consent"},
    "coordinator": {"school_coach@guided", "coach@guided"},
    "gemeente_coordinator": {"school_coach@guided", "coach@guided"},
    "outsider_zorg": {"outsider_zorg@elsewhere"},
    "outsider_coordinator": set(),
}
DUE_VISIBLE = {
    "zorg": {"Begeleid", "Zondertoestemming"},
    "coordinator": {"Begeleid"},
    "gemeente_coordinator": {"Begeleid"},
    "outsider_zorg": {"Elders"},
    "outsider_coordinator": set(),
    # The beheerder of IJssel-Vecht: the records of the region's organisations that carry a date
    # (name, school and date only: the beheerder cannot open them).
    "beheerder": {"Begeleid", "Zondertoestemming"},
}


@pytest.mark.parametrize("role", sorted(LOG_VISIBLE))
def test_the_access_log_shows_exactly_the_roles_window(login, cast, world, role):
    response = login(getattr(cast, role)).get(reverse("privacy:log"))
    shown = {e.pk for e in response.context["page"].object_list}
    # Ignore entries written while building the world or by this request (the login itself).
    known = {name for name, entry in world.items() if entry.pk in shown}
    assert known == LOG_VISIBLE[role]


@pytest.mark.parametrize("role", sorted(DUE_VISIBLE))
def test_the_erasure_preview_shows_exactly_the_roles_students(login, cast, world, role):
    response = login(getattr(cast, role)).get(reverse("privacy:erasure_preview"))
    assert {s.last_name for s in response.context["page"].object_list} == DUE_VISIBLE[role]


@pytest.mark.parametrize("role", ["coach", "school_coach", "stagiair", "matchtafel", "beheerder", "outsider_coach"])
def test_other_roles_see_no_log_and_no_preview(login, cast, world, role):
    client = login(getattr(cast, role))
    assert client.get(reverse("privacy:log")).status_code == 403
    if role != "beheerder":  # the beheerder has the erasure preview (and the legal hold)
        assert client.get(reverse("privacy:erasure_preview")).status_code == 403


def test_the_beheerder_preview_does_not_link_to_the_records(login, cast, world):
    html = login(cast.beheerder).get(reverse("privacy:erasure_preview")).content.decode()
    for student in Student.objects.filter(last_name__in=["Begeleid", "Zondertoestemming"]):
        assert f'href="{reverse("students:detail", args=[student.code])}"' not in html
        assert reverse("privacy:hold", args=[student.code]) in html
