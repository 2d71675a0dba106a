"""Celery task: the daily check-in sweep (beat). Sending is the outbox's (coaching.tasks)."""

from __future__ import annotations

from celery import shared_task

from checkins.sending import checkins_plan


@shared_task(name="checkins.checkin_sweep")
def checkin_sweep() -> int:
    """Plan today's check-in messages (idempotent: unique keys, the weekly limit)."""
    return checkins_plan()
