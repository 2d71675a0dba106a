"""Background work of the students app."""

from __future__ import annotations

from celery import shared_task

from students.importing import import_batches_purge


@shared_task(name="students.import_batches_purge")
def purge_import_batches() -> int:
    """Daily: delete uploaded import files (personal data) older than a day. Idempotent."""
    return import_batches_purge()
