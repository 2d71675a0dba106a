"""Celery for real: a worker subprocess consuming from the real Redis, and the beat schedule."""

from __future__ import annotations

import time

import pytest
from celery.schedules import crontab

from kwint.celery import BEAT_SCHEDULE, app, heartbeat
from tests.factories import UserFactory

pytestmark = pytest.mark.celery_worker


@pytest.mark.django_db(transaction=True)
def test_heartbeat_round_trips_through_redis(celery_worker_process):
    result = heartbeat.delay()
    assert result.get(timeout=20) == "ok"
    assert result.status == "SUCCESS"
    # The worker stores the result before it writes its log line: wait for the line a moment.
    line = f"Task kwint.heartbeat[{result.id}] succeeded"
    deadline = time.monotonic() + 10
    while line not in celery_worker_process.log() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert line in celery_worker_process.log()


@pytest.mark.django_db(transaction=True)
def test_worker_reads_the_same_test_database(celery_worker_process):
    from django.db import connection

    user = UserFactory(email="worker-sees-me@kwint.test")
    assert app.send_task("tests.integration.database_name").get(timeout=20) == connection.settings_dict["NAME"]
    assert app.send_task("tests.integration.user_exists", args=[user.email]).get(timeout=20) is True
    assert app.send_task("tests.integration.user_exists", args=["nobody@kwint.test"]).get(timeout=20) is False


def test_beat_schedule_is_the_apps_schedule():
    assert app.conf.beat_schedule is BEAT_SCHEDULE
    assert "kwint-heartbeat" in BEAT_SCHEDULE


def test_beat_schedule_names_only_registered_tasks():
    app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks.py
    registered = set(app.tasks)
    for name, entry in BEAT_SCHEDULE.items():
        assert entry["task"] in registered, f"beat entry {name!r} runs unknown task {entry['task']!r}"


def test_beat_schedule_uses_wall_clock_crontabs():
    # crontab, not timedelta: a sweep at "07:00" stays 07:00 in Amsterdam and restarting beat
    # does not shift it.
    for name, entry in BEAT_SCHEDULE.items():
        assert isinstance(entry["schedule"], crontab), f"beat entry {name!r} is not a crontab"
        assert set(entry) <= {"task", "schedule", "args", "kwargs", "options", "relative"}
    assert app.conf.timezone == "Europe/Amsterdam"


def test_heartbeat_runs_every_five_minutes():
    schedule = BEAT_SCHEDULE["kwint-heartbeat"]["schedule"]
    assert schedule.minute == set(range(0, 60, 5))
    assert schedule.hour == set(range(24))
