"""Writes to student records. Every change leaves a timeline event."""

from __future__ import annotations

from django.utils import timezone

from students.models import Student, TimelineEvent


def timeline_add(
    *, student: Student, kind: str, summary: str, actor=None, data: dict | None = None, at=None
) -> TimelineEvent:
    """Append one event to the student's timeline."""
    return TimelineEvent.objects.create(
        student=student, kind=kind, summary=summary[:300], actor=actor, data=data or {}, at=at or timezone.now()
    )
