"""Helpers for the self check-in tests: a young person who may get check-ins."""

from __future__ import annotations

import datetime as dt

from checkins.services import link_for_checkin
from coaching.models import CheckIn
from consent.models import Purpose
from tests.coaching.factories import guided_student
from tests.factories import give_consent


def checkin_student(cast, *, phone="06-12345678", email="sam@example.nl", **kwargs):
    """Guided by the RMC coach, with consent for contact and sharing, reachable by SMS and mail."""
    student = guided_student(cast, phone=phone, email=email, first_name="Sam", roepnaam="", **kwargs)
    give_consent(student, Purpose.CONTACT)
    return student


def first_checkin(student) -> CheckIn:
    return CheckIn.objects.filter(trajectory__student=student, status=CheckIn.Status.PLANNED).order_by("due_date")[0]


def measurement(student, month=6) -> CheckIn:
    return CheckIn.objects.get(trajectory__student=student, measurement_month=month)


def link_with_token(student, checkin=None):
    return link_for_checkin(student=student, checkin=checkin or first_checkin(student))


def due(checkin, day: dt.date | None = None) -> CheckIn:
    """Move a check-in to today (or `day`) so that it is the one due now."""
    from django.utils import timezone

    checkin.due_date = day or timezone.localdate()
    checkin.save(update_fields=["due_date"])
    return checkin
