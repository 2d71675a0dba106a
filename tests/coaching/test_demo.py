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
