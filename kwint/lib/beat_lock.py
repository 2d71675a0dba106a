"""One beat at a time: a second `celery beat` waits until the first is gone.

Two beats would fire every periodic task twice. Each sweep is idempotent (rows with unique keys,
claims), so nothing would be sent twice, but the work would double and an operator could not
tell which beat is the real one. The lock is held by the beat process for its whole life:

- PostgreSQL: a session-level advisory lock on a connection of its own. PostgreSQL releases it
  when the process dies or its connection breaks, so a crashed beat never blocks the next.
- SQLite (the demo): an exclusive file lock next to the database, released by the kernel when
  the process dies.

Waiting polls (every `poll` seconds) instead of blocking inside the database driver, so a
waiting beat still stops at once on SIGTERM.
"""

from __future__ import annotations

import fcntl
import logging
import time
from pathlib import Path

log = logging.getLogger(__name__)

# pg_advisory_lock takes a bigint; any fixed number that no other lock in Kwint uses.
ADVISORY_KEY = 0x4B57494E54  # "KWINT"

_held: list = []  # the connection or file that keeps the lock for the life of the process


def _try_postgresql(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_KEY])
        return bool(cursor.fetchone()[0])


def _try_file(handle) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def acquire(*, poll: float = 5.0, timeout: float | None = None) -> bool:
    """Take the beat lock, waiting while another process holds it. True when held (also when
    this process already holds it); False only when `timeout` seconds passed first."""
    if _held:
        return True
    from django.conf import settings
    from django.db import connections

    if connections["default"].vendor == "postgresql":
        # A connection of its own: Django closes and reopens its request connections freely,
        # which would drop a session-level lock.
        holder = connections.create_connection("default")
        attempt = _try_postgresql
    else:
        path = Path(settings.CELERY_BEAT_SCHEDULE_FILENAME).with_name("beat.lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        holder = path.open("a")
        attempt = _try_file
    deadline = None if timeout is None else time.monotonic() + timeout
    waiting = False
    while not attempt(holder):
        if not waiting:
            log.warning("Another beat holds the beat lock: waiting until it stops.")
            waiting = True
        if deadline is not None and time.monotonic() >= deadline:
            holder.close()
            return False
        time.sleep(poll)
    _held.append(holder)
    log.info("Beat lock taken: this beat schedules the periodic tasks.")
    return True


def on_beat_init(sender=None, **kwargs) -> None:
    """celery.signals.beat_init: runs in `celery beat` before its first tick."""
    acquire()
