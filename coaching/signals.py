"""Receivers: coaching follows what the students app announces."""

from __future__ import annotations

from coaching.services import trajectory_assign


def on_student_assigned(sender, *, student, organisation, coach, actor=None, **kwargs):
    """A coach was assigned or the student moved: open or move the trajectory and its schedule.
    Runs inside `student_assign`'s transaction, so both happen or neither does."""
    trajectory_assign(student=student, organisation=organisation, coach=coach, actor=actor)
