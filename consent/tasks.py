"""Scheduled consent work: remind the coach to renew a guardian's consent at 18.

The daily sweep finds parent/guardian consents still in force for young people who are 18
now and handles one student at a time. The claim is a unique row per record
(ConsentRenewalReminder): inserting it is what entitles a run to send, so running twice, a
retry after a crash, or two workers never send the same reminder twice. In the same transaction
an outbox row is queued (kwint.lib.outbox): the e-mail is sent once by the outbox, and a crash
between the claim and the e-mail no longer loses it.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from accounts.models import Membership, Role
from consent.models import ConsentRecord, ConsentRenewalReminder, CurrentConsent, Purpose, Status
from kwint.lib import outbox
from students.access import students_visible_to
from students.models import Student
from students.services import timeline_add

logger = logging.getLogger(__name__)


def _eighteenth_birthday_passed_by(day: dt.date) -> dt.date:
    """The latest date of birth of someone who is 18 on `day` (29 February counts as 1 March)."""
    try:
        return day.replace(year=day.year - 18)
    except ValueError:
        return day.replace(year=day.year - 18, day=28)


def due_renewals(day: dt.date | None = None):
    """Current consents a parent or guardian gave, for students who are 18 now, not yet reminded."""
    day = day or timezone.localdate()
    return (
        CurrentConsent.objects.filter(
            status=Status.GIVEN,
            record__given_by__in=[ConsentRecord.GivenBy.PARENT, ConsentRecord.GivenBy.GUARDIAN],
            student__date_of_birth__lte=_eighteenth_birthday_passed_by(day),
            student__erased_at__isnull=True,
            record__renewal_reminder__isnull=True,
        )
        .order_by("student_id")
        .values_list("student_id", flat=True)
        .distinct()
    )


def _recipient(student: Student):
    """The coach; without one, the school's zorgcoördinator. Only someone who may still see
    the record (the access module decides) gets a reminder about it."""
    if student.coach_id and student.coach.is_active:
        for membership in Membership.objects.filter(user=student.coach, is_active=True).select_related(
            "organisation", "user"
        ):
            if students_visible_to(membership).filter(pk=student.pk).exists():
                return student.coach
    zorg = (
        Membership.objects.filter(
            organisation=student.school_id, role=Role.ZORGCOORDINATOR, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return zorg.user if zorg else None


def renewal_remind(student_id: int, day: dt.date | None = None) -> int:
    """Claim and send the renewal reminder for one student. Returns how many records it covered."""
    day = day or timezone.localdate()
    student = Student.objects.active().select_related("coach").filter(pk=student_id).first()
    if student is None:
        return 0
    recipient = _recipient(student)
    with transaction.atomic():
        currents = list(
            CurrentConsent.objects.filter(
                student=student,
                status=Status.GIVEN,
                record__given_by__in=[ConsentRecord.GivenBy.PARENT, ConsentRecord.GivenBy.GUARDIAN],
                record__renewal_reminder__isnull=True,
            ).select_related("record")
        )
        claimed = []
        for current in currents:
            try:
                with transaction.atomic():
                    ConsentRenewalReminder.objects.create(record=current.record, student=student, sent_to=recipient)
            except IntegrityError:
                continue  # another run claimed it first
            claimed.append(current.record)
        if not claimed:
            return 0
        timeline_add(
            student=student,
            event="consent_renewal_due",
            data={"renewal": [str(r.code) for r in claimed], "purposes": [r.purpose for r in claimed]},
        )
        if recipient is not None and recipient.email:
            outbox.enqueue(
                RENEWAL_KIND,
                key=f"{RENEWAL_KIND}:{min(r.pk for r in claimed)}",  # a record is claimed once
                dispatch=True,
                recipient_id=recipient.pk,
                student_id=student.pk,
                on_date=day,
                payload={"records": [r.pk for r in claimed]},
            )
    return len(claimed)


RENEWAL_KIND = "consent_renewal"


def build_renewal(row) -> outbox.Outgoing | None:
    """The outbox builds the e-mail when it sends (in the recipient's language). None when the
    young person's record is gone (erased) or the recipient has no address any more."""
    student = Student.objects.active().filter(pk=row.student_id).first()
    recipient = row.recipient
    if student is None or recipient is None or not recipient.email:
        return None
    records = ConsentRecord.objects.filter(pk__in=row.payload.get("records", [])).order_by("pk")
    context = {
        "student": student,
        "recipient": recipient,
        "url": settings.KWINT_BASE_URL + reverse("students:detail", args=[student.code]),
    }
    with translation.override(getattr(recipient, "language", "nl") or "nl"):
        context["purposes"] = [str(Purpose(r.purpose).label) for r in records]
        subject = render_to_string("consent/email/renewal_subject.txt", context).strip()
        text = render_to_string("consent/email/renewal.txt", context)
        html = render_to_string("consent/email/renewal.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    return outbox.Outgoing(message)


def renewal_sent(row, sent_at) -> None:
    ConsentRenewalReminder.objects.filter(record_id__in=row.payload.get("records", [])).update(sent_at=sent_at)


def register() -> None:
    """The renewal reminder on the outbox (called from ConsentConfig.ready())."""
    outbox.register(
        RENEWAL_KIND, label=gettext_lazy("Toestemming vernieuwen (18 jaar)"), build=build_renewal, on_sent=renewal_sent
    )


@shared_task(name="consent.renewal_sweep")
def renewal_sweep() -> int:
    """Daily: remind coaches to have guardian consents renewed by young people who turned 18."""
    total = 0
    for student_id in list(due_renewals()):
        try:
            total += renewal_remind(student_id)
        except Exception:  # one bad row must not stop the sweep; it is retried tomorrow
            logger.exception("consent renewal reminder failed for student %s", student_id)
    return total


@shared_task(name="consent.link_request")
def consent_link_request_task(*, address: str) -> int:
    """Send a new personal link to the young person known by `address` (see
    consent.links.consent_link_request). A mail failure is logged: they can simply ask again."""
    from consent.links import consent_link_request

    try:
        return consent_link_request(address=address)
    except Exception:
        logger.exception("new personal link could not be sent")
        return 0
