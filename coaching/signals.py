"""Receivers: coaching follows what the students app announces."""

from __future__ import annotations

from coaching.services import trajectories_close_after_withdrawal, trajectory_assign


def on_student_assigned(sender, *, student, organisation, coach, actor=None, **kwargs):
    """A coach was assigned or the student moved: open or move the trajectory and its schedule.
    Runs inside `student_assign`'s transaction, so both happen or neither does."""
    trajectory_assign(student=student, organisation=organisation, coach=coach, actor=actor)


def on_consent_withdrawn(sender, *, student, purposes, actor=None, **kwargs):
    """Consent withdrawn: an organisation that relied on it may no longer guide the student,
    so its open trajectory closes at once ("toestemming ingetrokken") and its planned
    check-ins lapse. The school's own trajectory needs no consent and stays."""
    trajectories_close_after_withdrawal(student=student, actor=actor)
