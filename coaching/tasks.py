"""Celery tasks: thin wrappers that take ids, re-fetch and call `coaching.reminders`."""

from __future__ import annotations

import datetime as dt
import smtplib

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from coaching.reminders import claim_timeout, reminder_deliver, reminders_plan, reminders_unsent


def _dispatch(ids: list[int]) -> None:
    # After commit: a worker must never pick up a row it cannot see yet.
    transaction.on_commit(lambda: [reminder_send.delay(pk) for pk in ids])


@shared_task(name="coaching.reminder_sweep")
def reminder_sweep(today: str | None = None) -> int:
    """The 07:00 sweep (beat, Europe/Amsterdam): plan today's reminders, enqueue each send."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    ids = reminders_plan(today=day)
    _dispatch(ids)
    return len(ids)


@shared_task(name="coaching.reminder_redispatch")
def reminder_redispatch() -> int:
    """Safety net every few minutes: re-enqueue pending rows and claims left by a dead worker."""
    ids = reminders_unsent(today=timezone.localdate())
    _dispatch(ids)
    return len(ids)


@shared_task(
    name="coaching.reminder_send",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    max_retries=8,
)
def reminder_send(self, reminder_id: int) -> str:
    result = reminder_deliver(reminder_id=reminder_id)
    if result == "busy":
        # Another worker holds a fresh claim; if it died, the claim goes stale and we take over.
        raise self.retry(countdown=claim_timeout().total_seconds() + 1, max_retries=3)
    return result
