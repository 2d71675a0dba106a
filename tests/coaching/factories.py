"""Factories and helpers for coaching tests."""

from __future__ import annotations

import datetime as dt

from consent.models import Purpose
from students.services import student_assign
from tests.factories import StudentFactory, give_consent


def guided_student(cast, *, coach=None, diploma=dt.date(2026, 7, 1), consent=True, **kwargs):
    """A student of the cast's school, with sharing consent, assigned to the RMC coach
    through the real assignment path (so the trajectory and schedule exist)."""
    coach = coach or cast.coach
    student = StudentFactory(
        school=cast.school,
        municipality=cast.municipality,
        region=cast.region,
        outcome_date=diploma,
        expected_diploma_date=diploma,
        **kwargs,
    )
    if consent:
        give_consent(student, Purpose.SHARING)
    student_assign(student=student, organisation=coach.organisation, coach=coach.user)
    student.refresh_from_db()
    return student
