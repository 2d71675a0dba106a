"""The demo data gives coached students a history, and running it twice changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from coaching.models import CheckIn, Contact, SituationRecord, Trajectory
from students.models import Student, StudentShare

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_coaching_history_idempotently(settings):
    settings.DEBUG = True
    call_command("seed_demo", students=60, stdout=io.StringIO())
    counts = (Trajectory.objects.count(), CheckIn.objects.count(), Contact.objects.count())
    assert counts[0] == Student.objects.filter(coach__isnull=False).count() > 0
    assert counts[2] > 0 and SituationRecord.objects.exists()
    assert CheckIn.objects.filter(status=CheckIn.Status.DONE, completed_by__isnull=False).exists()
    assert StudentShare.objects.filter(user__email="stagiair@kwint.demo").count() == 3
    call_command("seed_demo", students=60, stdout=io.StringIO())
    assert (Trajectory.objects.count(), CheckIn.objects.count(), Contact.objects.count()) == counts


def test_demo_names_are_whole_and_realistic(settings):
    # The demo once cut names ("Bra van der"): a roepnaam made of the first three letters and
    # a tussenvoegsel drawn apart from the surname ("van der Vries").
    from coaching.management.commands.seed_demo import FIRST_NAMES, LAST_NAMES

    settings.DEBUG = True
    call_command("seed_demo", students=120, stdout=io.StringIO())
    roepnamen = dict(FIRST_NAMES)
    surnames = set(LAST_NAMES)
    students = list(Student.objects.all())
    assert len(students) == 120
    for student in students:
        assert student.roepnaam == roepnamen[student.first_name], student.full_name
        assert (student.tussenvoegsel, student.last_name) in surnames, student.full_name
        assert len(student.display_first_name) >= 2
    assert any(s.roepnaam != s.first_name for s in students)  # "Mo" for Mohammed still occurs
    assert any(s.tussenvoegsel for s in students)
