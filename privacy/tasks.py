"""The nightly retention sweep: recompute every erasure date, then erase what is due: the date
has come, it was shown for KWINT_ERASURE_NOTICE_DAYS at least, and no legal hold applies.

Idempotent: dates are only written when they change, and an erased record is never touched
again (student_erase re-fetches and locks the row, and skips it when already erased).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db.models import QuerySet
from django.utils import timezone

from privacy.services import student_erase
from students.models import Student
from students.retention import notice_days, retention_refresh

log = logging.getLogger(__name__)


def due_for_erasure(today) -> QuerySet[Student]:
    """Records whose date has come, whose date has been shown for the full notice period, and
    that no legal hold keeps."""
    return Student.objects.active().filter(
        erase_after__isnull=False,
        erase_after__lte=today,
        erase_noticed_on__lte=today - notice_days(),
        legal_hold_at__isnull=True,
    )


def retention_sweep(*, today=None) -> dict[str, int]:
    """Refresh erase_after for all records and erase each record whose date has come."""
    today = today or timezone.localdate()
    changed = retention_refresh(today=today)
    due = list(due_for_erasure(today).values_list("pk", flat=True))
    erased = 0
    for student_id in due:
        # One transaction per record: a failure on one leaves the others erased.
        if student_erase(student_id=student_id, reason="bewaartermijn verlopen"):
            erased += 1
    log.info("Retention sweep: %s dates changed, %s records erased", changed, erased)
    return {"dates_changed": changed, "erased": erased}


@shared_task(name="privacy.retention_sweep")
def retention_sweep_task() -> dict[str, int]:
    return retention_sweep()
