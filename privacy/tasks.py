"""The nightly retention sweep: recompute every erasure date, then erase what is due.

Idempotent: dates are only written when they change, and an erased record is never touched
again (student_erase re-fetches and locks the row, and skips it when already erased).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from privacy.services import student_erase
from students.models import Student
from students.retention import retention_refresh

log = logging.getLogger(__name__)


def retention_sweep(*, today=None) -> dict[str, int]:
    """Refresh erase_after for all records and erase each record whose date has passed."""
    today = today or timezone.localdate()
    changed = retention_refresh()
    due = list(
        Student.objects.active().filter(erase_after__isnull=False, erase_after__lt=today).values_list("pk", flat=True)
    )
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
