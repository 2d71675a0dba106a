"""The Celery app for coaching's worker integration tests (`celery -A tests.coaching.worker_app`).

It is the real `kwint.celery` app plus test-only knobs read from the environment:
- KWINT_TEST_QUEUE: the queue the worker consumes and sends follow-up tasks to, so a
  sweep's `reminder_send` tasks stay with this test's workers;
- KWINT_TEST_VISIBILITY_TIMEOUT: a short Redis visibility timeout, so a message left unacked
  by a killed worker comes back within the test instead of after an hour;
- KWINT_TEST_SLOW_SEND + KWINT_TEST_SEND_MARKER: sleep between claim and send (after writing
  a marker file), so the test can SIGKILL the worker exactly mid-send.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import django

from kwint.celery import app

django.setup()

if os.environ.get("KWINT_TEST_QUEUE"):
    app.conf.task_default_queue = os.environ["KWINT_TEST_QUEUE"]
if os.environ.get("KWINT_TEST_VISIBILITY_TIMEOUT"):
    app.conf.broker_transport_options = {
        **(app.conf.broker_transport_options or {}),
        "visibility_timeout": int(os.environ["KWINT_TEST_VISIBILITY_TIMEOUT"]),
    }
if os.environ.get("KWINT_TEST_SLOW_SEND"):
    from coaching import outbox

    _delay = float(os.environ["KWINT_TEST_SLOW_SEND"])
    _marker = Path(os.environ["KWINT_TEST_SEND_MARKER"])

    def _slow_before_send(reminder):
        _marker.write_text(reminder.key)
        time.sleep(_delay)

    outbox._before_send = _slow_before_send

__all__ = ["app"]
