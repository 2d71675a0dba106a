"""Signals other apps listen to. Students sits below coaching, so it announces instead of
calling up: coaching starts or moves the follow-up schedule when a student is assigned."""

from django.dispatch import Signal

# sender=Student, kwargs: student, organisation, coach, previous_coach, actor
student_assigned = Signal()
