"""Receivers: coaching follows what the students app announces."""

from __future__ import annotations

from coaching.services import checkins_lapse_after_pause, trajectories_close_after_withdrawal, trajectory_assign
from students.models import Purpose


def on_student_assigned(sender, *, student, organisation, coach, actor=None, **kwargs):
    """A coach was assigned or the student moved: open or move the trajectory and its schedule.
    Runs inside `student_assign`'s transaction, so both happen or neither does."""
    trajectory_assign(student=student, organisation=organisation, coach=coach, actor=actor)


def on_consent_withdrawn(sender, *, student, purposes, actor=None, **kwargs):
    """Consent withdrawn: an organisation that relied on it may no longer guide the student,
    so its open trajectory closes at once ("toestemming ingetrokken") and its planned
    check-ins lapse. The school's own trajectory needs no consent and stays."""
    trajectories_close_after_withdrawal(student=student, actor=actor)


def on_consent_given(sender, *, student, restored, actor=None, **kwargs):
    """Consent given again after a refusal or withdrawal. For contact: what fell due during
    the pause lapses, so the caseload shows the next real moment, not a pile of "te laat"."""
    since = restored.get(Purpose.CONTACT)
    if since is not None:
        checkins_lapse_after_pause(student=student, since=since, actor=actor)
