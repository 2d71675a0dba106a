"""Writes of consent. The history is appended to, never edited; the current state follows."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from consent.models import ConsentRecord, ConsentText, CurrentConsent, Purpose, Status
from students.models import TimelineEvent
from students.services import timeline_add


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
        kind=TimelineEvent.Kind.CONSENT,
        summary=f"{Purpose(purpose).label}: {Status(status).label.lower()}",
        actor=recorded_by,
        data={"purpose": purpose, "status": status, "record": str(record.code)},
        at=record.answered_at,
    )
    return record
