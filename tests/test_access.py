"""The access module: which students each role sees, per consent state."""

from __future__ import annotations

import pytest

from consent.models import Purpose, Status
from students.access import Perm, has_perm, students_visible_to
from students.models import Handover, StudentShare
from tests.factories import HandoverFactory, StudentFactory, give_consent


@pytest.fixture
def world(cast):
    def make(**kw):
        return StudentFactory(school=cast.school, municipality=cast.municipality, region=cast.region, **kw)

    s = {
        "no_consent": make(),
        "consent_unassigned": make(),
        "consent_coached": make(guiding_organisation=cast.rmc, coach=cast.coach.user),
        "refused_coached": make(guiding_organisation=cast.rmc, coach=cast.coach.user),
        "withdrawn_coached": make(guiding_organisation=cast.rmc, coach=cast.coach.user),
        "school_coached": make(coach=cast.school_coach.user),
        "elsewhere": StudentFactory(school=cast.other_school, region=cast.other_school.region),
    }
    give_consent(s["consent_unassigned"])
    give_consent(s["consent_coached"])
    give_consent(s["refused_coached"], status=Status.REFUSED)
    give_consent(s["withdrawn_coached"])
    give_consent(s["withdrawn_coached"], status=Status.WITHDRAWN)
    return s


VISIBLE = {
    "zorg": {
        "no_consent",
        "consent_unassigned",
        "consent_coached",
        "refused_coached",
        "withdrawn_coached",
        "school_coached",
    },
    "school_coach": {"school_coached"},
    "coach": {"consent_coached"},
    "stagiair": set(),
    "coordinator": {"consent_unassigned", "consent_coached"},
    "gemeente_coordinator": {"consent_unassigned", "consent_coached"},
    "matchtafel": set(),
    "beheerder": set(),
    "outsider_zorg": {"elsewhere"},
    "outsider_coach": set(),
    "outsider_coordinator": set(),
}


@pytest.mark.parametrize("role", VISIBLE)
def test_each_role_sees_exactly_its_students(cast, world, role):
    seen = set(students_visible_to(getattr(cast, role)).values_list("pk", flat=True))
    expected = {world[name].pk for name in VISIBLE[role]}
    assert seen == expected


def test_a_stagiair_sees_only_students_shared_with_them(cast, world):
    StudentShare.objects.create(student=world["consent_coached"], user=cast.stagiair.user)
    assert list(students_visible_to(cast.stagiair)) == [world["consent_coached"]]


def test_a_coach_sees_a_handover_offered_to_them_only_with_consent(cast, world):
    HandoverFactory(student=world["no_consent"], to_coach=cast.coach.user, status=Handover.Status.OFFERED)
    assert world["no_consent"] not in students_visible_to(cast.coach)
    give_consent(world["no_consent"])
    assert world["no_consent"] in students_visible_to(cast.coach)


def test_withdrawal_removes_the_student_from_the_rmc_at_once(cast, world):
    student = world["consent_coached"]
    give_consent(student, status=Status.WITHDRAWN)
    assert student not in students_visible_to(cast.coach)
    assert student not in students_visible_to(cast.coordinator)
    assert student in students_visible_to(cast.zorg)


def test_matchtafel_consent_alone_does_not_open_records_to_rmc(cast, world):
    give_consent(world["no_consent"], purpose=Purpose.MATCHTAFEL)
    assert world["no_consent"] not in students_visible_to(cast.coordinator)


def test_the_rmc_coordinator_can_see_but_not_edit_school_data(cast, world):
    student = world["consent_coached"]
    assert has_perm(cast.coordinator, student, Perm.VIEW)
    assert not has_perm(cast.coordinator, student, Perm.EDIT)
    assert has_perm(cast.coordinator, student, Perm.ASSIGN)
    assert has_perm(cast.zorg, student, Perm.EDIT)
    assert has_perm(cast.coach, student, Perm.LOG_CONTACT)
    assert not has_perm(cast.coach, student, Perm.ASSIGN)


def test_erased_records_are_invisible_to_everyone(cast, world):
    from django.utils import timezone

    student = world["consent_coached"]
    student.erased_at = timezone.now()
    student.save()
    for membership in cast.all().values():
        assert student not in students_visible_to(membership)


def test_the_school_cannot_reassign_a_student_the_rmc_now_guides(cast, world):
    rmc_guided = world["consent_coached"]
    assert not has_perm(cast.zorg, rmc_guided, Perm.ASSIGN)
    assert has_perm(cast.zorg, world["no_consent"], Perm.ASSIGN)
