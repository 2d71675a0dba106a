"""The Celery app for coaching's worker integration tests (`celery -A tests.coaching.worker_app`).

It is the real `kwint.celery` app plus test-only knobs read from the environment:
- KWINT_TEST_QUEUE: the queue the worker consumes and sends follow-up tasks to, so a
  sweep's `reminder_send` tasks stay with this test's workers;
- KWINT_TEST_VISIBILITY_TIMEOUT: a short Redis visibility timeout, so a message left unacked
  by a killed worker comes back within the test instead of after an hour;
- KWINT_TEST_SLOW_SEND + KWINT_TEST_SEND_MARKER: sleep between claim and send (after writing
  a marker file), so the test can SIGKILL the worker exactly mid-send;
- KWINT_TEST_SLOW_AFTER_SEND + KWINT_TEST_SEND_MARKER: sleep after the server accepted, before
  the acceptance is recorded.
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

if os.environ.get("KWINT_TEST_SLOW_AFTER_SEND"):
    # Sleep after the mail server accepted, before the database records it: the one window in
    # which a killed worker leads to a second send (which must carry the same Message-ID).
    from kwint.lib import outbox as registry

    _after_delay = float(os.environ["KWINT_TEST_SLOW_AFTER_SEND"])
    _after_marker = Path(os.environ["KWINT_TEST_SEND_MARKER"])
    _send_email = registry.send_email

    def _slow_after_send(message, key):
        ref = _send_email(message, key)
        _after_marker.write_text(key)
        time.sleep(_after_delay)
        return ref

    registry.register_channel("email", _slow_after_send)
