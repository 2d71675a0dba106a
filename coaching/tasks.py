"""Celery tasks: thin wrappers that take ids, re-fetch and call `coaching.reminders` / `.outbox`."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from coaching import outbox
from coaching.reminders import reminders_plan


def dispatch(ids: list[int]) -> None:
    # After commit: a worker must never pick up a row it cannot see yet.
    transaction.on_commit(lambda: [reminder_send.delay(pk) for pk in ids])


@shared_task(name="coaching.reminder_sweep")
def reminder_sweep(today: str | None = None) -> int:
    """The 07:00 sweep (beat, Europe/Amsterdam): plan today's reminders, then enqueue a send for
    everything owed (today's rows and anything an outage left behind)."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    reminders_plan(today=day)
    ids = outbox.owed_ids()
    dispatch(ids)
    return len(ids)


@shared_task(name="coaching.reminder_redispatch")
def reminder_redispatch() -> int:
    """Every few minutes: enqueue every row still owed, however old (pending and due, or a claim
    left by a dead worker). Sending twice is impossible: the claim decides."""
    ids = outbox.owed_ids()
    dispatch(ids)
    return len(ids)


# No autoretry / countdown: a failed send puts the row back with a later not_before and the
# redispatch enqueues it again. A countdown lives in Redis and dies with it.
@shared_task(name="coaching.reminder_send", acks_late=True, reject_on_worker_lost=True)
def reminder_send(reminder_id: int) -> str:
    return outbox.deliver(reminder_id)
