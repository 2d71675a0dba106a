"""A real Celery worker in a subprocess, against the real Redis and pytest-django's test database.

Use ``celery_worker_process`` in a test that needs tasks to run for real (not eager):

    pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

    def test_reminder_is_sent(celery_worker_process):
        reminder = ReminderFactory()            # committed: transaction=True
        send_reminder.delay(reminder.id).get(timeout=20)

The worker gets DATABASE_URL pointing at the test database (``connection.settings_dict["NAME"]``),
so it sees rows a ``transactional_db`` test committed; with the plain ``db`` fixture the rows
stay inside the test's open transaction and the worker cannot see them.

One worker serves the whole session. It consumes a queue of its own (and the test process
sends there) so a worker of another test run on the same Redis database cannot steal the tasks.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30


@dataclass
class WorkerProcess:
    process: subprocess.Popen
    queue: str
    nodename: str
    log_path: Path
    database_url: str

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _database_url(settings_dict: dict) -> str:
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # warm shutdown: finish the current task, then exit
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings
    from django.db import connection

    from kwint.celery import app

    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail("celery_worker_process needs REDIS_URL (the real Redis), not the file-system broker")
    with django_db_blocker.unblock():
        database_url = _database_url(connection.settings_dict)
    suffix = uuid.uuid4().hex[:10]
    queue = f"kwint-test-{suffix}"
    nodename = f"test-{suffix}@%h"
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    env = {
        **os.environ,
        "KWINT_ENV": "test",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    env.pop("KWINT_TEST_DB_NAME", None)  # the worker uses the test database as its real one
    celery = Path(sys.executable).parent / "celery"
    argv = [
        str(celery),
        "-A",
        "kwint",
        "worker",
        "--pool=solo",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
        f"--queues={queue}",
        f"--hostname={nodename}",
        "--include=tests.integration.tasks",
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    worker = WorkerProcess(process, queue, nodename, log_path, database_url)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while " ready." not in worker.log():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Celery worker did not start:\n{worker.log()}")
            time.sleep(0.1)
        # Everything this test process enqueues goes to the worker's own queue.
        previous_queue = app.conf.task_default_queue
        app.conf.task_default_queue = queue
        try:
            yield worker
        finally:
            app.conf.task_default_queue = previous_queue
    finally:
        _stop(process)
