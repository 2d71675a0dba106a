"""Contacts and contact attempts: log one, and correct a note within the edit window."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching.models import (
    CheckIn,
    Contact,
    ContactRevision,
    Trajectory,
)
from coaching.services.schedule import due_checkin
from coaching.services.situations import situation_record
from coaching.services.support import support_action_add
from kwint.lib.dates import long_date
from students.models import Student
from students.selectors import contact_declined_at
from students.services import timeline_add
from students.validators import NOTE_MAX_LENGTH, note_too_long_message

CLOSED_MESSAGE = gettext_lazy(
    "Het traject van deze jongere is afgesloten: er kan geen contact meer worden vastgelegd. Een coördinator "
    "kan het traject heropenen."
)


def contact_edit_window() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "KWINT_CONTACT_EDIT_MINUTES", 30))


def _check_note_length(**notes: str) -> None:
    too_long = {
        name: note_too_long_message(len(text)) for name, text in notes.items() if len(text or "") > NOTE_MAX_LENGTH
    }
    if too_long:
        raise ValidationError(too_long)


def contact_log(
    *,
    student: Student,
    author,
    channel: str,
    reached: bool,
    at: dt.datetime | None = None,
    duration_minutes: int | None = None,
    discussed: str = "",
    next_steps: str = "",
    situation: dict | None = None,
    support_actions: list[dict] | None = None,
    by_student: bool = False,
) -> Contact:
    """Log a contact or an attempt. A reached contact completes the due check-in; at a
    measurement moment (6/12/24 months) that needs a situation, or nothing is written.

    While the young person wants no contact, no outreach is logged (no attempts, no calls by
    the coach): only a contact the young person started themselves (`by_student`), because
    it happened and what was said may matter."""
    at = at or timezone.now()
    _check_note_length(discussed=discussed, next_steps=next_steps)
    if by_student and not reached:
        raise ValidationError({"by_student": _("Een contact dat de jongere zelf begon, is altijd bereikt.")})
    declined = contact_declined_at(student)
    if declined is not None and not by_student:
        raise ValidationError(
            {
                "by_student": _(
                    "%(name)s wil geen contact (sinds %(date)s). Een contactpoging of een gesprek op uw "
                    "initiatief wordt niet vastgelegd. Nam de jongere zelf contact op? Kruis dat dan aan."
                )
                % {"name": student.full_name, "date": long_date(declined)}
            }
        )
    with transaction.atomic():
        trajectory = Trajectory.objects.select_for_update().filter(student=student, closed_at__isnull=True).first()
        if trajectory is None and Trajectory.objects.filter(student=student).exists():
            # A closed trajectory reads as closed: contacts come after a coordinator reopens it.
            raise ValidationError(CLOSED_MESSAGE)
        checkin = due_checkin(trajectory, timezone.localdate(at)) if reached else None
        if checkin is not None and checkin.is_measurement and not situation:
            raise ValidationError(
                {
                    "situation_kind": _(
                        "Dit contact is het meetmoment van %(m)s maanden: vul de situatie van de jongere in."
                    )
                    % {"m": checkin.measurement_month}
                }
            )
        contact = Contact.objects.create(
            student=student,
            trajectory=trajectory,
            author=author,
            at=at,
            channel=channel,
            reached=reached,
            by_student=by_student,
            duration_minutes=duration_minutes,
            discussed=discussed,
            next_steps=next_steps,
        )
        data = {"channel": channel, "reached": reached}
        if by_student:
            data["by_student"] = True
        timeline_add(student=student, event="contact_logged", data=data, actor=author, at=at)
        if situation:
            situation_record(
                student=student,
                date=timezone.localdate(at),
                recorded_by=author,
                contact=contact,
                measurement_month=checkin.measurement_month if checkin and checkin.is_measurement else None,
                **situation,
            )
        for spec in support_actions or []:
            support_action_add(student=student, actor=author, **spec)
        if checkin is not None:
            checkin.status = CheckIn.Status.DONE
            checkin.completed_by = contact
            checkin.completed_at = timezone.now()
            checkin.save(update_fields=["status", "completed_by", "completed_at"])
            # One call after a silence catches up: older ordinary moments count as missed, so
            # the caseload shows the next real moment. Measurements stay open: they need data.
            trajectory.checkins.filter(
                status=CheckIn.Status.PLANNED, due_date__lt=timezone.localdate(at), is_measurement=False
            ).update(status=CheckIn.Status.MISSED)
    return contact


def contact_is_editable(contact: Contact, user) -> bool:
    return contact.author_id == user.pk and timezone.now() - contact.created_at <= contact_edit_window()


@transaction.atomic
def contact_edit(
    *,
    contact: Contact,
    editor,
    channel: str,
    reached: bool,
    duration_minutes: int | None,
    discussed: str,
    next_steps: str,
) -> Contact:
    """Correct a note: only its author, only within the edit window; the old text is kept."""
    _check_note_length(discussed=discussed, next_steps=next_steps)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if not contact_is_editable(contact, editor):
        raise PermissionDenied(_("Dit contact kan niet meer gewijzigd worden."))
    now = timezone.now()
    ContactRevision.objects.create(
        contact=contact,
        edited_by=editor,
        edited_at=now,
        channel=contact.channel,
        reached=contact.reached,
        duration_minutes=contact.duration_minutes,
        discussed=contact.discussed,
        next_steps=contact.next_steps,
    )
    contact.channel = channel
    contact.reached = reached
    contact.duration_minutes = duration_minutes
    contact.discussed = discussed
    contact.next_steps = next_steps
    contact.edited_at = now
    contact.save(update_fields=["channel", "reached", "duration_minutes", "discussed", "next_steps", "edited_at"])
    return contact
