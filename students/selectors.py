"""Scoped reads of students. Visibility always starts from `students.access`."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Membership
from students.access import students_visible_to
from students.models import Student, TimelineEvent


def student_list(membership: Membership) -> QuerySet[Student]:
    return students_visible_to(membership).select_related("school", "coach", "guiding_organisation", "municipality")


def student_timeline(student: Student) -> QuerySet[TimelineEvent]:
    return student.timeline.select_related("actor")
