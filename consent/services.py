"""Writes of consent. The history is appended to, never edited; the current state follows."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Region
from consent.models import ConsentRecord, ConsentText, CurrentConsent, Status
from consent.selectors import GUIDING_PURPOSES, needs_representative
from consent.signals import consent_given, consent_withdrawn
from kwint.lib.locking import StaleVersion
from students.models import Outcome, Student
from students.services import timeline_add


class ConsentTextFrozen(Exception):
    """A published text never changes: write a new version instead."""


@transaction.atomic
def consent_record(
    *,
    student,
    purpose: str,
    status: str,
    method: str,
    text: ConsentText | None,
    recorded_by=None,
    given_by: str = ConsentRecord.GivenBy.STUDENT,
    representative_name: str = "",
    answered_at=None,
    note: str = "",
) -> ConsentRecord:
    """Append one answer for one purpose and move the current state to it."""
    record = ConsentRecord.objects.create(
        student=student,
        purpose=purpose,
        status=status,
        method=method,
        text=text,
        recorded_by=recorded_by,
        given_by=given_by,
        representative_name=representative_name,
        answered_at=answered_at or timezone.now(),
        note=note,
    )
    CurrentConsent.objects.update_or_create(
        student=student,
        purpose=purpose,
        defaults={"status": status, "record": record, "changed_at": record.answered_at},
    )
    timeline_add(
        student=student,
        event="consent_answered",
        actor=recorded_by,
        data={"purpose": purpose, "status": status, "record": str(record.code)},
        at=record.answered_at,
    )
    return record


def representative_check(*, student, answered_at, given_by: str, representative_name: str) -> None:
    """Under 16 on the day of asking, a parent or guardian answers and Kwint records who."""
    day = timezone.localtime(answered_at).date() if answered_at else timezone.localdate()
    errors = {}
    if needs_representative(student, day) and given_by == ConsentRecord.GivenBy.STUDENT:
        errors["given_by"] = _(
            "De jongere was op de dag van vragen jonger dan 16 jaar: een ouder of voogd moet het antwoord geven."
        )
    if given_by != ConsentRecord.GivenBy.STUDENT and not representative_name.strip():
        errors["representative_name"] = _("Vul de naam van de ouder of voogd in.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def consent_answers_record(
    *,
    student: Student,
    answers: dict[str, str],
    texts: dict[str, ConsentText],
    method: str,
    recorded_by=None,
    answered_at: dt.datetime | None = None,
    given_by: str = ConsentRecord.GivenBy.STUDENT,
    representative_name: str = "",
    note: str = "",
) -> list[ConsentRecord]:
    """Record the answers given at one moment (the diploma table, a phone call, the link).

    All or nothing: either every answer is appended, or none (a half-written set of answers
    would be proof of something nobody said)."""
    answered_at = answered_at or timezone.now()
    representative_check(
        student=student, answered_at=answered_at, given_by=given_by, representative_name=representative_name
    )
    missing = [p for p in answers if p not in texts]
    if missing:
        raise ValidationError(_("Er is geen gepubliceerde tekst voor dit doel; vraag de beheerder."))
    # Purposes refused or withdrawn until now and given again: listeners restore what stopped.
    declined_since = dict(
        CurrentConsent.objects.select_for_update()
        .filter(student=student, purpose__in=list(answers), status__in=[Status.REFUSED, Status.WITHDRAWN])
        .values_list("purpose", "changed_at")
    )
    records = [
        consent_record(
            student=student,
            purpose=purpose,
            status=status,
            method=method,
            text=texts[purpose],
            recorded_by=recorded_by,
            given_by=given_by,
            representative_name=representative_name.strip() if given_by != ConsentRecord.GivenBy.STUDENT else "",
            answered_at=answered_at,
            note=note,
        )
        for purpose, status in answers.items()
    ]
    erase_date_update(student=student)
    restored = {p: since for p, since in declined_since.items() if answers.get(p) == Status.GIVEN}
    if restored:
        consent_given.send(sender=ConsentRecord, student=student, restored=restored, actor=recorded_by)
    return records


@transaction.atomic
def consent_withdraw(
    *,
    student: Student,
    purposes: list[str],
    method: str,
    recorded_by=None,
    note: str = "",
    given_by: str = ConsentRecord.GivenBy.STUDENT,
    representative_name: str = "",
) -> list[ConsentRecord]:
    """Withdraw consent for `purposes` (by the young person, or by whom `given_by` names). Takes effect at once: the access module reads the
    current state, so organisations relying on a withdrawn purpose lose the student in the
    same transaction. Only purposes currently given can be withdrawn."""
    current = {
        c.purpose: c
        for c in CurrentConsent.objects.select_for_update()
        .filter(student=student, purpose__in=purposes, status=Status.GIVEN)
        .select_related("record")
    }
    records = []
    for purpose in purposes:
        if purpose not in current:
            continue
        previous = current[purpose].record
        records.append(
            consent_record(
                student=student,
                purpose=purpose,
                status=Status.WITHDRAWN,
                method=method,
                # The withdrawal refers to the text the consent was given on.
                text=previous.text,
                recorded_by=recorded_by,
                note=note,
                given_by=given_by,
                representative_name=representative_name.strip() if given_by != ConsentRecord.GivenBy.STUDENT else "",
            )
        )
    if records:
        erase_after = erase_date_update(student=student)
        timeline_add(
            student=student,
            event="consent_withdrawn",
            actor=recorded_by,
            data={
                "withdrawn": [r.purpose for r in records],
                "erase_after": erase_after.isoformat() if erase_after else "",
            },
        )
        consent_withdrawn.send(
            sender=ConsentRecord, student=student, purposes=[r.purpose for r in records], actor=recorded_by
        )
    return records


def erase_date_update(*, student: Student) -> dt.date | None:
    """Set the erasure date once nobody may guide the young person any more: every guiding
    purpose refused or withdrawn (at least one withdrawn) and the student out of school.

    An earlier date set for another reason is kept. Returns the date in force, if any."""
    states = dict(
        CurrentConsent.objects.filter(student=student, purpose__in=GUIDING_PURPOSES).values_list("purpose", "status")
    )
    stopped = all(states.get(p) in {Status.REFUSED, Status.WITHDRAWN} for p in GUIDING_PURPOSES)
    withdrawn = Status.WITHDRAWN in states.values()
    outcome = Student.objects.filter(pk=student.pk).values_list("outcome", "erase_after").first()
    if outcome is None:
        return None
    student_outcome, current = outcome
    if not (stopped and withdrawn and student_outcome != Outcome.STUDYING):
        return current
    # Never sooner than the notice period: a date is shown that long before anything is erased.
    days = max(settings.KWINT_RETENTION_DAYS_AFTER_WITHDRAWAL, settings.KWINT_ERASURE_NOTICE_DAYS)
    today = timezone.localdate()
    due = today + dt.timedelta(days=days)
    if current is not None and current <= due:
        return current
    Student.objects.filter(pk=student.pk).update(erase_after=due, erase_reason="withdrawn", erase_noticed_on=today)
    student.erase_after, student.erase_reason, student.erase_noticed_on = due, "withdrawn", today
    return due


# Consent texts -----------------------------------------------------------------------------

TEXT_FIELDS = ("title_nl", "body_nl", "title_en", "body_en", "effective_from")


@transaction.atomic
def consent_text_create(
    *,
    region: Region,
    school=None,
    purpose: str,
    title_nl: str,
    body_nl: str,
    title_en: str,
    body_en: str,
    effective_from: dt.date,
    created_by=None,
) -> ConsentText:
    """A new draft version: the next number for this region/school and purpose."""
    # Lock the region row so two beheerders saving at once never pick the same number
    # (the unique constraint cannot catch it when school is NULL).
    Region.objects.select_for_update().filter(pk=region.pk).first()
    last = (
        ConsentText.objects.filter(region=region, school=school, purpose=purpose)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    return ConsentText.objects.create(
        region=region,
        school=school,
        purpose=purpose,
        version=(last or 0) + 1,
        title_nl=title_nl,
        body_nl=body_nl,
        title_en=title_en,
        body_en=body_en,
        effective_from=effective_from,
        created_by=created_by,
    )


@transaction.atomic
def consent_text_update(*, text: ConsentText, version: int | None = None, **fields) -> ConsentText:
    """Change a draft. A conditional update: a text published meanwhile is never touched, and
    with `version` (the edit form's) neither is one another beheerder saved in between
    (kwint.lib.locking.StaleVersion, with the text as it is now)."""
    values = {k: v for k, v in fields.items() if k in TEXT_FIELDS}
    drafts = ConsentText.objects.filter(pk=text.pk, published_at__isnull=True)
    if version is not None:
        drafts = drafts.filter(edit_version=version)
    if not drafts.update(**values, edit_version=F("edit_version") + 1):
        current = ConsentText.objects.get(pk=text.pk)
        if current.published_at is None:
            raise StaleVersion(current)
        raise ConsentTextFrozen
    text.edit_version = (version or text.edit_version) + 1
    for key, value in values.items():
        setattr(text, key, value)
    return text


@transaction.atomic
def consent_text_publish(*, text: ConsentText) -> ConsentText:
    """Publish (and so freeze) a draft."""
    now = timezone.now()
    if not ConsentText.objects.filter(pk=text.pk, published_at__isnull=True).update(published_at=now):
        raise ConsentTextFrozen
    text.published_at = now
    return text
