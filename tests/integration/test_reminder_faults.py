"""Reminders exactly once under faults, counted at a real SMTP server.

Everything real except the mail server's slowness: a Celery worker process, a private
`redis-server` (own port, AOF on, started and killed by this test), PostgreSQL, and an SMTP
server (aiosmtpd) that takes a while before it answers "250" to each message. The test

1. plans a morning's digests and lets a worker send them;
2. SIGKILLs the worker while the server holds a message (claimed, in the middle of the SMTP
   conversation, before the server accepted it);
3. SIGKILLs Redis and starts it again (a second time while the new worker runs);
4. runs the redispatch as beat would,

then counts the mails the server accepted, by their reminder key: every planned reminder
exactly once (0 lost, 0 duplicates), each with the Message-ID the database recorded.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import time_machine
from celery import Celery
from django.db import connection

from coaching import reminders
from coaching.models import Reminder
from tests.coaching.factories import guided_student
from tests.factories import MembershipFactory

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
COACHES = 6
SMTP_DELAY = 0.3  # seconds the server waits before accepting each message
EMAIL_TIMEOUT = 2  # the worker's SMTP timeout (well above the delay)
CLAIM_SECONDS = 20  # at least ten SMTP timeouts, as settings demand


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until(predicate, timeout: float, what: str, logs=lambda: ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    rows = list(Reminder.objects.values_list("key", "status", "attempts", "last_error"))
    pytest.fail(f"timed out waiting for {what}; rows: {rows}\n{logs()}")


class SlowSMTP:
    """Accepts each message after SMTP_DELAY seconds, and only if the client is still there
    (a client killed before the "250" never had its message accepted)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.accepted: list[email.message.Message] = []
        self.arrived: list[str] = []  # keys whose DATA arrived (accepted or not)
        self.hold = threading.Event()  # set: hold the next message until released
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content)
        with self.lock:
            self.arrived.append(message["X-Kwint-Reminder"])
        if self.hold.is_set():
            self.hold.clear()
            while not self.release.is_set() and not server.transport.is_closing():
                await asyncio.sleep(0.05)
        await asyncio.sleep(SMTP_DELAY)
        if server.transport is None or server.transport.is_closing():
            return "421 client gone"
        with self.lock:
            self.accepted.append(message)
        return "250 OK"


class Redis:
    def __init__(self, tmp_path: Path):
        self.port = _free_port()
        self.dir = tmp_path / "redis"
        self.dir.mkdir()
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        argv = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir)]
        argv += ["--appendonly", "yes", "--save", "", "--daemonize", "no"]
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("private redis-server did not start")
            time.sleep(0.1)

    def crash(self):
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def redis(tmp_path):
    if not Path("/usr/bin/redis-server").exists() and not any(
        (Path(p) / "redis-server").exists() for p in os.environ["PATH"].split(":")
    ):
        pytest.skip("redis-server is not installed")
    server = Redis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp():
    handler = SlowSMTP()
    controller = aiosmtpd_controller.Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    handler.release.set()
    controller.stop()


def _database_url() -> str:
    s = connection.settings_dict
    return (
        f"postgres://{s.get('USER') or 'postgres'}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"
    )


class Worker:
    def __init__(self, tmp_path: Path, redis: Redis, smtp: SlowSMTP, queue: str, name: str, **extra_env):
        self.log = tmp_path / f"{name}.log"
        env = {
            **os.environ,
            "KWINT_ENV": "test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": redis.url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
            "EMAIL_TIMEOUT": str(EMAIL_TIMEOUT),
            "KWINT_REMINDER_CLAIM_SECONDS": str(CLAIM_SECONDS),
            "KWINT_TEST_QUEUE": queue,
            **extra_env,
        }
        env.pop("KWINT_TEST_DB_NAME", None)
        argv = [str(Path(sys.executable).parent / "celery"), "-A", "tests.coaching.worker_app", "worker"]
        argv += ["--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
        argv += [f"--queues={queue}", f"--hostname={name}-{uuid.uuid4().hex[:6]}@%h"]
        with self.log.open("w") as out:
            self.process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _wait_until(lambda: " ready." in self.log.read_text(errors="replace"), 30, f"worker {name}", self.logs)

    def logs(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def test_killed_worker_and_crashed_redis_lose_nothing_and_send_nothing_twice(tmp_path, redis, smtp, cast):
    coaches = [cast.coach] + [MembershipFactory(organisation=cast.rmc, role="coach") for _ in range(COACHES - 1)]
    with time_machine.travel(dt.datetime.now().astimezone() - dt.timedelta(days=10)):
        for coach in coaches:
            guided_student(cast, coach=coach, diploma=dt.date.today() - dt.timedelta(days=10))
    reminders.reminders_plan(today=dt.date.today())
    owed = set(Reminder.objects.values_list("key", flat=True))
    assert len(owed) == COACHES

    queue = f"kwint-faults-{uuid.uuid4().hex[:8]}"
    beat = Celery("beat-stand-in", broker=redis.url, set_as_current=False)  # what beat does: enqueue the redispatch

    def redispatch():
        beat.send_task("coaching.reminder_redispatch", queue=queue)

    workers: list[Worker] = []
    try:
        # 1. A worker starts sending; the server holds the first message; the worker is killed
        #    mid-conversation, before the server accepted it.
        smtp.hold.set()
        first = Worker(tmp_path, redis, smtp, queue, "first")
        workers.append(first)
        redispatch()
        _wait_until(lambda: smtp.arrived, 30, "the first message to reach the server", first.logs)
        first.kill()
        killed_key = smtp.arrived[0]
        assert Reminder.objects.get(key=killed_key).status == Reminder.Status.SENDING

        # 2. Redis crashes with the rest of the sends queued, and comes back (AOF).
        redis.crash()
        redis.start()

        # 3. A new worker; beat's redispatch re-enqueues what the database says is owed.
        second = Worker(tmp_path, redis, smtp, queue, "second")
        workers.append(second)
        redispatch()
        _wait_until(
            lambda: Reminder.objects.exclude(key=killed_key).filter(status="sent").count() >= 2,
            60,
            "sends to resume",
            second.logs,
        )
        # 4. Redis crashes again under the running worker, which reconnects and carries on.
        redis.crash()
        time.sleep(1)
        redis.start()
        _wait_until(
            lambda: Reminder.objects.exclude(key=killed_key).filter(status="sent").count() == COACHES - 1,
            90,
            "every other reminder sent",
            second.logs,
        )
        # 5. The killed worker's claim goes stale; the next redispatch hands it to the worker.
        deadline = time.monotonic() + CLAIM_SECONDS + 60
        while Reminder.objects.get(key=killed_key).status != Reminder.Status.SENT:
            assert time.monotonic() < deadline, second.logs()
            redispatch()
            time.sleep(2)
        assert second.process.poll() is None, "the worker must survive Redis restarts"
        time.sleep(2)  # let any stray duplicate task run: it must find every row sent
    finally:
        for worker in workers:
            worker.stop()

    with smtp.lock:
        accepted = list(smtp.accepted)
    keys = [m["X-Kwint-Reminder"] for m in accepted]
    lost = owed - set(keys)
    duplicates = {k for k in keys if keys.count(k) > 1}
    assert (lost, duplicates) == (set(), set()), (lost, duplicates)
    assert smtp.arrived.count(killed_key) == 2  # it did reach the server twice; accepted once
    rows = {r.key: r for r in Reminder.objects.all()}
    for message in accepted:
        row = rows[message["X-Kwint-Reminder"]]
        assert message["Message-ID"] == row.sent_ref and row.status == Reminder.Status.SENT
    assert rows[killed_key].attempts == 2


def test_a_worker_killed_after_the_server_accepted_repeats_the_same_message_id(tmp_path, redis, smtp, cast):
    """The one window left: the server said "250", the worker died before writing that down.
    The row is sent again when its claim goes stale, as the same message (same Message-ID), so
    mail systems that deduplicate show it once. This is the guarantee the guide states."""
    with time_machine.travel(dt.datetime.now().astimezone() - dt.timedelta(days=10)):
        guided_student(cast, diploma=dt.date.today() - dt.timedelta(days=10))
    reminders.reminders_plan(today=dt.date.today())
    row = Reminder.objects.get()
    queue = f"kwint-faults-{uuid.uuid4().hex[:8]}"
    beat = Celery("beat-stand-in", broker=redis.url, set_as_current=False)
    marker = tmp_path / "accepted"
    workers = []
    try:
        dying = Worker(
            tmp_path, redis, smtp, queue, "dying", KWINT_TEST_SLOW_AFTER_SEND="60", KWINT_TEST_SEND_MARKER=str(marker)
        )
        workers.append(dying)
        beat.send_task("coaching.reminder_redispatch", queue=queue)
        _wait_until(marker.exists, 30, "the server to accept", dying.logs)
        dying.kill()
        assert Reminder.objects.get(pk=row.pk).status == Reminder.Status.SENDING
        fresh = Worker(tmp_path, redis, smtp, queue, "fresh")
        workers.append(fresh)
        deadline = time.monotonic() + CLAIM_SECONDS + 60
        while Reminder.objects.get(pk=row.pk).status != Reminder.Status.SENT:
            assert time.monotonic() < deadline, fresh.logs()
            beat.send_task("coaching.reminder_redispatch", queue=queue)
            time.sleep(2)
    finally:
        for worker in workers:
            worker.stop()
    row.refresh_from_db()
    ids = [m["Message-ID"] for m in smtp.accepted]
    assert len(ids) == 2 and set(ids) == {row.sent_ref}
