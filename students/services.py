"""Writes to student records. Every change leaves a timeline event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from students.models import Student, TimelineEvent
from students.signals import student_assigned


def timeline_add(
    *, student: Student, kind: str, summary: str, actor=None, data: dict | None = None, at=None
) -> TimelineEvent:
    """Append one event to the student's timeline."""
    return TimelineEvent.objects.create(
        student=student, kind=kind, summary=summary[:300], actor=actor, data=data or {}, at=at or timezone.now()
    )


@transaction.atomic
def student_assign(*, student: Student, organisation, coach, actor=None) -> Student:
    """Make `organisation` (and `coach`, may be None) the ones guiding the student now.

    The single assignment path: handover acceptance, a coordinator's move and imports all call
    it, so the timeline and the follow-up schedule (via `student_assigned`) always follow.
    """
    previous_coach = student.coach
    student.guiding_organisation = organisation
    student.coach = coach
    student.save(update_fields=["guiding_organisation", "coach", "updated_at"])
    if coach is not None:
        summary = f"Coach toegewezen: {coach.full_name} ({organisation.name})"
    else:
        summary = f"Begeleiding bij {organisation.name}, nog zonder coach"
    timeline_add(
        student=student,
        kind=TimelineEvent.Kind.ASSIGNED,
        summary=summary,
        actor=actor,
        data={"organisation": str(organisation.code), "coach": str(coach.code) if coach else None},
    )
    student_assigned.send(
        sender=Student, student=student, organisation=organisation, coach=coach, previous_coach=previous_coach, actor=actor
    )
    return student
