"""Background work of the students app."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from students import importing


@shared_task(name="students.import_batches_purge")
def purge_import_batches() -> int:
    """Daily: delete uploaded import files (personal data) older than a day. Idempotent."""
    return importing.import_batches_purge()


@shared_task(
    name="students.import_parse",
    # The reader stops itself at KWINT_IMPORT_PARSE_SECONDS; these are the pool's nets behind it
    # (prefork only: the solo pool of the demo cannot interrupt a task).
    soft_time_limit=settings.KWINT_IMPORT_PARSE_SECONDS + 30,
    time_limit=settings.KWINT_IMPORT_PARSE_SECONDS * 2 + 30,
    # A file that kills its worker is not handed to the next one: the claim counts attempts.
    acks_late=True,
    reject_on_worker_lost=False,
)
def import_parse(batch_id: int) -> str:
    """Read an uploaded file within bounds (students.importing.import_parse)."""
    from celery.exceptions import SoftTimeLimitExceeded
    from django.utils.translation import gettext as _

    try:
        return importing.import_parse(batch_id=batch_id)
    except SoftTimeLimitExceeded:
        importing.mark_failed(batch_id, _("Het lezen van dit bestand duurde te lang. Splits het bestand op."))
        return "failed"
