"""The two-year schedule of check-ins: generate, add, move, and which one is due now."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.models import (
    CheckIn,
    Trajectory,
)
from coaching.schedule import generate_schedule
from students.models import Student
from students.selectors import contact_declined
from students.services import timeline_add

# A reached contact completes the earliest open check-in due up to this many days ahead:
# the coach who calls on Friday for Monday's moment has done Monday's moment.
COMPLETE_AHEAD_DAYS = 7


def _today() -> dt.date:
    return timezone.localdate()


def diploma_date_of(student: Student) -> dt.date:
    return student.outcome_date or student.expected_diploma_date or _today()


def schedule_regenerate(*, trajectory: Trajectory, today: dt.date | None = None) -> int:
    """Replace the generated FUTURE planned check-ins; the past, done ones and the coach's own
    (added or moved) check-ins are never touched. Returns the number created."""
    today = today or _today()
    if not trajectory.is_open:
        return 0
    trajectory.checkins.filter(status=CheckIn.Status.PLANNED, is_manual=False, due_date__gte=today).delete()
    kept = trajectory.checkins.exclude(status=CheckIn.Status.CANCELLED)
    taken_months = set(kept.filter(measurement_month__isnull=False).values_list("measurement_month", flat=True))
    taken_dates = set(kept.filter(status=CheckIn.Status.PLANNED).values_list("due_date", flat=True))
    planned = generate_schedule(
        rules=trajectory.plan.rules,
        diploma_date=trajectory.diploma_date,
        start=trajectory.start_date,
        end=trajectory.end_date,
        today=today,
    )
    new = [
        CheckIn(
            trajectory=trajectory,
            coach=trajectory.coach,
            due_date=p.due_date,
            is_measurement=p.measurement_month is not None,
            measurement_month=p.measurement_month,
        )
        for p in planned
        if p.measurement_month not in taken_months and p.due_date not in taken_dates
    ]
    CheckIn.objects.bulk_create(new)
    return len(new)


def _check_future(due_date: dt.date, trajectory: Trajectory) -> None:
    if due_date < _today():
        raise ValidationError({"due_date": _("Kies een datum vandaag of later.")})
    if due_date > trajectory.end_date:
        raise ValidationError(
            {"due_date": _("Kies een datum voor het einde van het traject (%(end)s).") % {"end": trajectory.end_date}}
        )


@transaction.atomic
def checkin_add(*, trajectory: Trajectory, due_date: dt.date, actor=None) -> CheckIn:
    if not trajectory.is_open:
        raise ValidationError(_("Dit traject is afgesloten."))
    _check_future(due_date, trajectory)
    checkin = CheckIn.objects.create(trajectory=trajectory, coach=trajectory.coach, due_date=due_date, is_manual=True)
    timeline_add(student=trajectory.student, event="checkin_added", data={"date": due_date.isoformat()}, actor=actor)
    return checkin


@transaction.atomic
def checkin_move(*, checkin: CheckIn, due_date: dt.date, actor=None) -> CheckIn:
    """Move one planned check-in. It becomes the coach's own: regenerating keeps it."""
    checkin = CheckIn.objects.select_for_update().select_related("trajectory__student").get(pk=checkin.pk)
    if checkin.status != CheckIn.Status.PLANNED:
        raise ValidationError(_("Alleen een gepland contactmoment kan verplaatst worden."))
    _check_future(due_date, checkin.trajectory)
    old = checkin.due_date
    checkin.due_date = due_date
    checkin.is_manual = True
    checkin.save(update_fields=["due_date", "is_manual"])
    timeline_add(
        student=checkin.trajectory.student,
        event="checkin_moved",
        data={"old": old.isoformat(), "new": due_date.isoformat()},
        actor=actor,
    )
    return checkin


def due_checkin(trajectory: Trajectory | None, today: dt.date | None = None) -> CheckIn | None:
    """The check-in a reached contact now would complete. None while the young person wants
    no contact: nothing is due then (the check-ins wait until consent is given again)."""
    if trajectory is None or not trajectory.is_open:
        return None
    horizon = (today or _today()) + dt.timedelta(days=COMPLETE_AHEAD_DAYS)
    return (
        trajectory.checkins.filter(status=CheckIn.Status.PLANNED, due_date__lte=horizon)
        .filter(~contact_declined("trajectory__student"))
        .order_by("due_date")
        .first()
    )


def checkins_lapse_after_pause(*, student: Student, since: dt.datetime, actor=None) -> int:
    """Contact consent given again: the planned check-ins that fell due while the young person
    wanted no contact lapse (cancelled, not "missed": nobody was allowed to call). The coach
    starts again from the next planned moment; nothing is overdue that could not be done."""
    today = _today()
    lapsed = CheckIn.objects.filter(
        trajectory__student=student,
        trajectory__closed_at__isnull=True,
        status=CheckIn.Status.PLANNED,
        due_date__gte=timezone.localdate(since),
        due_date__lt=today,
    ).update(status=CheckIn.Status.CANCELLED)
    return lapsed
