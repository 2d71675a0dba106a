"""Writes to student records. Every change leaves a timeline event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from kwint.lib.locking import bump, locked_for_update
from students.models import Student, TimelineEvent
from students.signals import student_assigned
from students.timeline import event_kind


def timeline_event(*, student: Student, event: str, data: dict | None = None, actor=None, at=None) -> TimelineEvent:
    """An unsaved timeline event (for bulk inserts); `event` must be registered in an app's
    `timeline.py`, so every entry can be rendered in the reader's language."""
    return TimelineEvent(
        student=student, event=event, kind=event_kind(event), data=data or {}, actor=actor, at=at or timezone.now()
    )


def timeline_add(*, student: Student, event: str, data: dict | None = None, actor=None, at=None) -> TimelineEvent:
    """Append one event to the student's timeline."""
    entry = timeline_event(student=student, event=event, data=data, actor=actor, at=at)
    entry.save()
    return entry


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
    timeline_add(
        student=student,
        event="coach_assigned",
        actor=actor,
        data={
            "organisation": str(organisation.code),
            "organisation_name": organisation.name,
            "coach": str(coach.code) if coach else None,
            "coach_name": coach.full_name if coach else "",
        },
    )
    student_assigned.send(
        sender=Student,
        student=student,
        organisation=organisation,
        coach=coach,
        previous_coach=previous_coach,
        actor=actor,
    )
    return student


# Fields a person edits on the student page; the timeline records which ones changed (never the
# values themselves: the timeline is shown to everyone who sees the record).
EDITABLE_FIELDS = (
    "first_name",
    "roepnaam",
    "tussenvoegsel",
    "last_name",
    "date_of_birth",
    "phone",
    "email",
    "postcode",
    "woonplaats",
    "municipality",
    "location",
    "student_number",
    "programme_name",
    "crebo",
    "level",
    "leerweg",
    "sector",
    "class_name",
    "cohort",
    "expected_diploma_date",
    "outcome",
    "outcome_date",
    "is_vulnerable",
    "support_needs",
)


def _region_for(student: Student):
    # The gemeente decides the region; without one, the school's region.
    return student.municipality.region_id if student.municipality_id else student.school.region_id


@transaction.atomic
def student_create(*, school, actor, data: dict) -> Student:
    """Create a student by hand (the import has its own bulk path)."""
    student = Student(school=school, **{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    student.region_id = _region_for(student)
    student.save()
    timeline_add(student=student, event="student_created", data={"source": "manual"}, actor=actor)
    return student


@transaction.atomic
@transaction.atomic
def student_update(*, student: Student, actor, data: dict, version: int | None = None) -> list[str]:
    """Change a student's fields; returns the names of the fields that changed. With `version`
    (the edit form's), raises kwint.lib.locking.StaleVersion when someone saved in between; only
    the changed columns are written, so no other field is ever overwritten with a stale value."""
    current = locked_for_update(Student, student.pk, version)
    changed = []
    for field, value in data.items():
        if field not in EDITABLE_FIELDS:
            continue
        if getattr(current, field) != value:
            setattr(current, field, value)
            changed.append(field)
    if not changed:
        return []
    current.region_id = _region_for(current)
    bump(current)
    current.save(update_fields=[*changed, "region", "edit_version", "updated_at"])
    for name in [*changed, "region_id", "edit_version"]:
        setattr(student, name, getattr(current, name))
    timeline_add(student=student, event="student_updated", actor=actor, data={"fields": changed})
    return changed
