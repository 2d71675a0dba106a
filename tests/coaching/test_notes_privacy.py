"""Conversation notes stay with the organisation that guides the young person."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from coaching.models import Channel
from coaching.services import contact_log
from tests.coaching.factories import guided_student


@time_machine.travel("2026-09-01 10:00 +02:00", tick=False)
def test_the_school_sees_that_rmc_had_contact_but_not_what_was_discussed(cast, login):
    student = guided_student(cast, coach=cast.coach)
    contact_log(
        student=student,
        author=cast.coach.user,
        channel=Channel.PHONE,
        reached=True,
        discussed="Schulden bij de zorgverzekeraar besproken",
        next_steps="Samen naar schuldhulp",
    )
    url = reverse("students:detail", args=[student.code])

    school_page = login(cast.zorg).get(url).content.decode()
    assert "Schulden bij de zorgverzekeraar" not in school_page
    assert "blijven bij de begeleidende organisatie" in school_page

    coach_page = login(cast.coach).get(url).content.decode()
    assert "Schulden bij de zorgverzekeraar" in coach_page
    assert "Samen naar schuldhulp" in coach_page
