"""Sharing a student with a stagiair: the only way a stagiair sees a record."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation

from students.models import Student, StudentShare
from students.services import timeline_add


@transaction.atomic
def student_share(*, student: Student, user, actor=None) -> StudentShare:
    """Share one student with a stagiair: the only way a stagiair sees a record."""
    share, created = StudentShare.objects.get_or_create(student=student, user=user, defaults={"shared_by": actor})
    if created:
        with translation.override("nl"):  # the timeline is a record: always Dutch
            timeline_add(
                student=student,
                event="shared_with_stagiair",
                data={"name": user.full_name},
                actor=actor,
            )
    return share


@transaction.atomic
def student_unshare(*, student: Student, user, actor=None) -> None:
    deleted, _count = StudentShare.objects.filter(student=student, user=user).delete()
    if deleted:
        with translation.override("nl"):  # the timeline is a record: always Dutch
            timeline_add(
                student=student,
                event="unshared_with_stagiair",
                data={"name": user.full_name},
                actor=actor,
            )
