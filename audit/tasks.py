"""Nightly check of the access log's hash chain: tamper evidence only helps when someone looks."""

from __future__ import annotations

import logging

from celery import shared_task

from audit.services import verify_chain

log = logging.getLogger(__name__)


@shared_task(name="audit.verify_chain")
def verify_chain_task() -> dict:
    report = verify_chain()
    if not report.ok:
        # ERROR reaches the operators' alerting (Sentry / log monitoring) in production.
        log.error("Access log hash chain broken at entry %s: %s", report.broken_id, report.reason)
    return {"checked": report.checked, "broken_id": report.broken_id}
