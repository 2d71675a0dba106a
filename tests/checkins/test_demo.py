"""The demo has young people who answered, who asked for contact and who did not answer."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from checkins.models import Answer, Link, Message

pytestmark = pytest.mark.django_db


def test_seed_demo_has_answered_unanswered_and_wants_contact_check_ins(settings):
    settings.DEBUG = True
    call_command("seed_demo", students=80, stdout=io.StringIO())
    assert Answer.objects.filter(wants_contact="no").exists()
    assert Answer.objects.exclude(wants_contact="no").count() == 1
    unanswered = Link.objects.filter(answer_count=0)
    assert unanswered.exists() and Message.objects.filter(link__in=unanswered).exists()
    assert all(link.student.coach.email == "coach@kwint.demo" for link in Link.objects.select_related("student__coach"))
    counts = (Link.objects.count(), Answer.objects.count(), Message.objects.count())
    call_command("seed_demo", students=80, stdout=io.StringIO())
    assert (Link.objects.count(), Answer.objects.count(), Message.objects.count()) == counts
