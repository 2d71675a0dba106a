"""The Celery app. Settings come from Django's ``CELERY_*`` settings; the beat schedule is code."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kwint.settings")

app = Celery("kwint")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Named entries, Europe/Amsterdam wall-clock times (CELERY_TIMEZONE): "07:00" stays 07:00
# local across the DST switch. Each entry only fires a sweep; the due work lives in PostgreSQL.
BEAT_SCHEDULE = {
    "kwint-heartbeat": {
        "task": "kwint.heartbeat",
        "schedule": crontab(minute="*/5"),
    },
}
app.conf.beat_schedule = BEAT_SCHEDULE


@app.task(name="kwint.heartbeat")
def heartbeat() -> str:
    """Proves the worker is alive; the integration test round-trips it through Redis."""
    return "ok"
