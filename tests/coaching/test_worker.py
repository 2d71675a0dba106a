"""Reminders through REAL Celery workers on the real Redis (not eager mode).

(a) Two sweeps enqueued at once, consumed by two workers, send each digest exactly once.
(b) A worker SIGKILLed between claim and send loses nothing: after a restart the reminder is
    sent exactly once.

The workers write e-mail with Django's file backend (EMAIL_URL=filemail://...), so the test
counts real sent messages, not our own bookkeeping. Each test has its own queue.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import time_machine
from django.db import connection

from coaching.models import Reminder
from coaching.tasks import reminder_sweep
from kwint.celery import app
from tests.coaching.factories import guided_student
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    return f"postgres://{user}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


class Workers:
    def __init__(self, tmp_path: Path, queue: str):
        self.tmp_path = tmp_path
        self.queue = queue
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.processes: list[subprocess.Popen] = []

    def start(self, name: str, **extra_env) -> subprocess.Popen:
        from django.conf import settings

        log_path = self.tmp_path / f"{name}.log"
        env = {
            **os.environ,
            "KWINT_ENV": "test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.CELERY_BROKER_URL,
            "EMAIL_URL": f"filemail:///{self.mail_dir}",
            "KWINT_TEST_QUEUE": self.queue,
            "KWINT_REMINDER_CLAIM_SECONDS": "3",
            "EMAIL_TIMEOUT": "0.3",
            **extra_env,
        }
        env.pop("KWINT_TEST_DB_NAME", None)
        argv = [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "tests.coaching.worker_app",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
            f"--queues={self.queue}",
            f"--hostname={name}-{uuid.uuid4().hex[:6]}@%h",
        ]
        with log_path.open("w") as log:
            process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while " ready." not in log_path.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"worker {name} did not start:\n{log_path.read_text()}")
            time.sleep(0.1)
        self.processes.append(process)
        return process

    def mails(self) -> list[str]:
        """Every message the workers sent, as text (the file backend separates them by a rule)."""
        messages = []
        for path in self.mail_dir.glob("*.log"):
            messages += [m for m in path.read_text().split("-" * 79) if "Subject:" in m]
        return messages

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in self.tmp_path.glob("*.log"))

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@pytest.fixture
def workers(tmp_path):
    queue = f"kwint-coaching-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue  # what this test process enqueues goes to its workers
    group = Workers(tmp_path, queue)
    try:
        yield group
    finally:
        group.stop()
        app.conf.task_default_queue = previous


def _wait_until(predicate, timeout=45, what="", logs=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    rows = list(Reminder.objects.values_list("key", "status", "attempts"))
    pytest.fail(f"timed out waiting for {what}; reminders: {rows}\n{logs() if logs else ''}")


@pytest.fixture
def coaches_with_due_checkins(cast):
    """Three coaches, each with young people whose first call was due days ago."""
    coaches = [cast.coach] + [MembershipFactory(organisation=cast.rmc, role="coach") for _ in range(2)]
    with time_machine.travel(dt.datetime.now().astimezone() - dt.timedelta(days=10)):
        for coach in coaches:
            for _ in range(2):
                guided_student(cast, coach=coach, diploma=dt.date.today() - dt.timedelta(days=10))
    return coaches


def test_two_concurrent_sweeps_on_two_workers_send_each_digest_once(workers, coaches_with_due_checkins):
    workers.start("w1")
    workers.start("w2")
    first = reminder_sweep.delay()
    second = reminder_sweep.delay()
    first.get(timeout=30)
    second.get(timeout=30)

    def all_sent():
        return Reminder.objects.filter(kind="digest", status="sent").count() == 3

    _wait_until(all_sent, what="three digests marked sent")
    time.sleep(2)  # let any duplicate send task finish: it must find the row already sent
    mails = workers.mails()
    keys = sorted(
        line.split(":", 1)[1].strip() for m in mails for line in m.splitlines() if line.startswith("X-Kwint-Reminder:")
    )
    assert len(keys) == 3 and len(set(keys)) == 3, mails
    recipients = {c.user.email for c in coaches_with_due_checkins}
    assert all(any(f"To: {email}" in m for m in mails) for email in recipients)


def test_a_worker_killed_mid_send_loses_nothing_and_sends_once(workers, coaches_with_due_checkins, tmp_path):
    marker = tmp_path / "sending"
    slow = workers.start("slow", KWINT_TEST_SLOW_SEND="60", KWINT_TEST_SEND_MARKER=str(marker))
    reminder_sweep.delay().get(timeout=30)
    _wait_until(marker.exists, what="the worker to claim a reminder")
    claimed_key = marker.read_text()
    assert Reminder.objects.get(key=claimed_key).status == "sending"
    os.kill(slow.pid, signal.SIGKILL)  # mid-send: claimed, not sent, message not acked
    slow.wait(timeout=10)
    # Redis hands an unacked message back once it is older than the visibility timeout; a
    # starting worker restores such messages at once, so start it after that (2 s) has passed.
    time.sleep(3)

    # A fresh worker: the unacked message comes back (short visibility timeout), the stale
    # claim (KWINT_REMINDER_CLAIM_SECONDS=3) is taken over, and the digest goes out once.
    workers.start("fresh", KWINT_TEST_VISIBILITY_TIMEOUT="2")
    _wait_until(
        lambda: Reminder.objects.filter(kind="digest", status="sent").count() == 3,
        timeout=60,
        what="all digests sent",
        logs=workers.logs,
    )
    time.sleep(2)
    mails = workers.mails()
    keys = [
        line.split(":", 1)[1].strip() for m in mails for line in m.splitlines() if line.startswith("X-Kwint-Reminder:")
    ]
    assert sorted(keys) == sorted(set(keys)) and len(keys) == 3
    assert keys.count(claimed_key) == 1
    assert Reminder.objects.get(key=claimed_key).attempts >= 2
