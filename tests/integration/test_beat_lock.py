"""Only one beat schedules: a second `celery beat` waits for the lock until the first is gone.

Real `celery beat` processes against the test's PostgreSQL database and Redis (advisory lock),
and the lock itself on SQLite (a file lock, the demo)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
WAITING = "Another beat holds the beat lock"
TAKEN = "Beat lock taken"


def _database_url() -> str:
    s = connection.settings_dict
    return (
        f"postgres://{s.get('USER') or 'postgres'}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"
    )


def _wait_for(path: Path, text: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while text not in path.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{text!r} not in {path.name}:\n{path.read_text(errors='replace')}")
        time.sleep(0.1)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_second_beat_waits_until_the_first_is_gone(tmp_path):
    env = {
        **os.environ,
        "KWINT_ENV": "test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.CELERY_BROKER_URL,
    }
    env.pop("KWINT_TEST_DB_NAME", None)
    beats = []

    def beat(name: str) -> tuple[subprocess.Popen, Path]:
        log = tmp_path / f"{name}.log"
        argv = [str(Path(sys.executable).parent / "celery"), "-A", "kwint", "beat", "--loglevel=INFO"]
        argv += [f"--schedule={tmp_path / name}-schedule", f"--pidfile={tmp_path / name}.pid"]
        with log.open("w") as out:
            process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        beats.append(process)
        return process, log

    try:
        first, first_log = beat("first")
        _wait_for(first_log, TAKEN, first)
        second, second_log = beat("second")
        _wait_for(second_log, WAITING, second)
        time.sleep(2)
        assert TAKEN not in second_log.read_text() and second.poll() is None  # still waiting
        _stop(first)
        _wait_for(second_log, TAKEN, second, timeout=20)  # takes over once the first is gone
        # A waiting beat stops on SIGTERM at once (it polls, it does not block in the driver).
        third, third_log = beat("third")
        _wait_for(third_log, WAITING, third)
        started = time.monotonic()
        _stop(third)
        assert time.monotonic() - started < 10 and third.returncode is not None
    finally:
        for process in beats:
            _stop(process)


PROBE = """
import os, sys, time, django
django.setup()
from kwint.lib import beat_lock
print("start", flush=True)
print("held" if beat_lock.acquire(poll=0.1, timeout=float(sys.argv[1])) else "gave up", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_on_sqlite_the_lock_is_a_file_lock(tmp_path):
    """The demo (SQLite, file-system broker): the same waiting, through a lock file."""
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "kwint.settings", "KWINT_ENV": "demo"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.sqlite3'}"

    def run(timeout: float, hold: float) -> subprocess.Popen:
        argv = [sys.executable, "-c", PROBE, str(timeout), str(hold)]
        return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    first = run(timeout=10, hold=4)
    assert first.stdout.readline().strip() == "start"
    assert first.stdout.readline().strip() == "held"
    second = run(timeout=1, hold=0)  # gives up while the first holds the lock
    assert second.communicate(timeout=30)[0].split() == ["start", "gave", "up"]
    third = run(timeout=20, hold=0)  # waits, and gets it when the first exits
    assert third.communicate(timeout=40)[0].split() == ["start", "held"]
    first.wait(timeout=10)
