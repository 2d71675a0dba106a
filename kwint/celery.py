"""The Celery app. Settings come from Django's ``CELERY_*`` settings; the beat schedule is code."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import beat_init

from kwint.lib import beat_lock

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kwint.settings")

app = Celery("kwint")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Named entries, Europe/Amsterdam wall-clock times (CELERY_TIMEZONE): "07:00" stays 07:00
# local across the DST switch. Each entry only fires a sweep; the due work lives in PostgreSQL.
BEAT_SCHEDULE = {
    # Retention (AVG): recompute erasure dates and erase what is due, at night.
    "privacy-retention-sweep": {
        "task": "privacy.retention_sweep",
        "schedule": crontab(hour=2, minute=30),
    },
    # Tamper evidence: recompute the access log's hash chain every night.
    "audit-verify-chain": {
        "task": "audit.verify_chain",
        "schedule": crontab(hour=3, minute=15),
    },
    # Uploaded import files hold personal data: delete them a day after upload (students.tasks).
    "students-import-purge": {
        "task": "students.import_batches_purge",
        "schedule": crontab(hour=2, minute=15),
    },
    "kwint-heartbeat": {
        "task": "kwint.heartbeat",
        "schedule": crontab(minute="*/5"),
    },
    # Guardian consent to renew at 18: remind the coach once per answer (consent.tasks).
    "consent-renewal-sweep": {
        "task": "consent.renewal_sweep",
        "schedule": crontab(hour=6, minute=45),
    },
    # Coaches' morning digest, escalations and close reminders (coaching.reminders).
    "coaching-reminder-sweep": {
        "task": "coaching.reminder_sweep",
        "schedule": crontab(hour=7, minute=0),
    },
    # Re-enqueues reminders left pending or claimed by a worker that died mid-send.
    "coaching-reminder-redispatch": {
        "task": "coaching.reminder_redispatch",
        "schedule": crontab(minute="*/10"),
    },
    # The young person's self check-in: plan today's messages (sent 08:00-20:00 by the outbox).
    "checkins-sweep": {
        "task": "checkins.checkin_sweep",
        "schedule": crontab(hour=9, minute=30),
    },
    # The dashboards' summary: take in the changed students every five minutes, all at night.
    "dashboards-summary-refresh": {
        "task": "dashboards.summary_refresh",
        "schedule": crontab(minute="*/5"),
    },
    "dashboards-summary-full": {
        "task": "dashboards.summary_refresh",
        "schedule": crontab(hour=1, minute=30),
        "kwargs": {"full": True},
    },
    # Large exports hold names: their files go after a day (dashboards.export_jobs).
    "dashboards-export-purge": {
        "task": "dashboards.export_jobs_purge",
        "schedule": crontab(minute=20),
    },
}
app.conf.beat_schedule = BEAT_SCHEDULE
# A second beat waits for the first to stop instead of firing every entry twice (kwint.lib.beat_lock).
beat_init.connect(beat_lock.on_beat_init, weak=False)


@app.task(name="kwint.heartbeat")
def heartbeat() -> str:
    """Proves the worker is alive; the integration test round-trips it through Redis."""
    return "ok"
