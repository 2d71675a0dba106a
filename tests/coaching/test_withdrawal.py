"""Withdrawing consent closes the trajectory of the organisation that relied on it."""

from __future__ import annotations

import time_machine

from coaching.models import CheckIn, CloseReason, Trajectory
from consent.models import ConsentRecord, Purpose
from consent.services import consent_withdraw
from tests.coaching.factories import guided_student


@time_machine.travel("2026-09-01 10:00 +02:00", tick=False)
def test_withdrawing_sharing_closes_the_rmc_trajectory_and_its_planned_checkins(cast):
    student = guided_student(cast, coach=cast.coach)
    trajectory = Trajectory.objects.get(student=student)
    assert trajectory.checkins.filter(status=CheckIn.Status.PLANNED).exists()

    consent_withdraw(
        student=student, purposes=[Purpose.SHARING], method=ConsentRecord.Method.PHONE, recorded_by=cast.zorg.user
    )

    trajectory.refresh_from_db()
    assert trajectory.closed_at is not None
    assert trajectory.close_reason == CloseReason.CONSENT_WITHDRAWN
    assert not trajectory.checkins.filter(status=CheckIn.Status.PLANNED).exists()


@time_machine.travel("2026-09-01 10:00 +02:00", tick=False)
def test_withdrawing_research_consent_leaves_the_trajectory_open(cast):
    from tests.factories import give_consent

    student = guided_student(cast, coach=cast.coach)
    give_consent(student, purpose=Purpose.RESEARCH)
    consent_withdraw(student=student, purposes=[Purpose.RESEARCH], method=ConsentRecord.Method.PHONE)
    assert Trajectory.objects.get(student=student).closed_at is None
