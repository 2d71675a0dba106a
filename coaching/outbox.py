"""The outbox engine: claim a row, build its message, send it, record the acceptance.

Rows are `coaching.Reminder`; kinds are registered in `kwint.lib.outbox` (coaching's own in
coaching.reminders, other apps' from their ready()). The database is the only memory of what
is owed: a send task carries just a row id, failures are retried by putting the row back with
a later `not_before` (never a broker-side countdown, which a Redis restart can lose), and the
redispatch re-enqueues everything still owed, however old. A row that is not sent ends as
skipped / expired / failed with a reason code, listed for the beheerder (coaching.views_outbox).

Exactly once, and its limit: the claim is a conditional UPDATE (pending -> sending), so only one
worker sends; SMTP calls are bounded by EMAIL_TIMEOUT, far below the claim time, so a claim
never goes stale while its sender still waits (settings refuse a config where it could). The
acceptance is the first thing written after the server said yes. Only a worker killed between
that "yes" and the write sends the row again when the claim goes stale, with the same
Message-ID, so mail systems treat it as one message.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from accounts.selectors import managed_region_ids, users_managed_by
from coaching.models import Reminder
from kwint.lib import outbox

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def claim_timeout() -> dt.timedelta:
    return dt.timedelta(seconds=settings.KWINT_REMINDER_CLAIM_SECONDS)


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4 ... minutes after a failed attempt, at most an hour."""
    return dt.timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def store(*, kind: str, key: str, on_date: dt.date | None = None, **fields) -> int | None:
    """kwint.lib.outbox.enqueue() lands here: one row, idempotent on `key`. The new row's id,
    or None when the key existed."""
    row, created = Reminder.objects.get_or_create(
        key=key, defaults={"kind": kind, "on_date": on_date or timezone.localdate(), **fields}
    )
    return row.pk if created else None


def owed(now: dt.datetime | None = None):
    """Every row still owed, whatever its age: pending and due, or claimed by a worker whose
    claim went stale (it died). Read through the partial index on owed rows."""
    now = now or timezone.now()
    return Reminder.objects.filter(
        Q(status=Reminder.Status.PENDING, not_before__isnull=True)
        | Q(status=Reminder.Status.PENDING, not_before__lte=now)
        | Q(status=Reminder.Status.SENDING, claimed_at__lt=now - claim_timeout())
    ).exclude(channel=outbox.BUNDLED)


def owed_ids(now: dt.datetime | None = None) -> list[int]:
    return list(owed(now).order_by("pk").values_list("pk", flat=True))


def _before_send(row: Reminder) -> None:
    """Hook between claim and send. Empty; the crash integration test slows it down to kill
    a worker exactly here."""


def deliver(reminder_id: int) -> str:
    """Claim, build, send, record. Returns sent / skipped / expired / retry / failed, or the
    row's status when another worker has it (busy / sent / ...), or gone.

    Deliberately not one transaction: the claim must be visible to other workers at once.
    """
    now = timezone.now()
    claimable = Q(status=Reminder.Status.PENDING) & (Q(not_before__isnull=True) | Q(not_before__lte=now)) | Q(
        status=Reminder.Status.SENDING, claimed_at__lt=now - claim_timeout()
    )
    claimed = (
        Reminder.objects.filter(pk=reminder_id)
        .filter(claimable)
        .exclude(channel=outbox.BUNDLED)
        .update(status=Reminder.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        status = Reminder.objects.filter(pk=reminder_id).values_list("status", flat=True).first()
        if status is None:
            return "gone"
        return "busy" if status == Reminder.Status.SENDING else status
    row = Reminder.objects.select_related("recipient", "student", "checkin", "trajectory__coach").get(pk=reminder_id)
    ours = Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.SENDING, claimed_at=now)

    sender = outbox.sender(row.kind)
    if sender is None:
        ours.update(status=Reminder.Status.FAILED, reason="unknown_kind")
        log.error("outbox row of an unknown kind", extra={"reminder": row.key})
        return "failed"
    later = sender.defer(row, now) if sender.defer else None
    if later is not None and later > now:
        ours.update(status=Reminder.Status.PENDING, claimed_at=None, not_before=later, attempts=F("attempts") - 1)
        return "deferred"
    reason = sender.expired(row, now) if sender.expired else None
    if reason:
        ours.update(status=Reminder.Status.EXPIRED, reason=reason)
        log.warning("outbox row expired", extra={"reminder": row.key, "reason": reason})
        return "expired"
    built = sender.build(row)
    if built is None:
        ours.update(status=Reminder.Status.SKIPPED, reason="not_relevant")
        return "skipped"

    _before_send(row)
    try:
        ref = outbox.channel(sender.channel)(built.message, row.key)
    except Exception as exc:  # noqa: BLE001  (any failure: the row is given back, not lost)
        error = f"{type(exc).__name__}: {exc}"[:500]
        if row.attempts >= MAX_ATTEMPTS:
            ours.update(status=Reminder.Status.FAILED, reason="failed", last_error=error)
            log.error("outbox row failed for good", extra={"reminder": row.key, "error": error})
            return "failed"
        # Back to pending with a later not_before: the redispatch sends it again. No broker-side
        # countdown (a Redis restart could lose it; the database already knows what is owed).
        ours.update(
            status=Reminder.Status.PENDING,
            claimed_at=None,
            not_before=now + backoff(row.attempts),
            last_error=error,
        )
        log.warning("outbox send failed, retried later", extra={"reminder": row.key, "error": error})
        return "retry"
    # The server accepted: write that first, whoever holds the claim now.
    sent_at = timezone.now()
    Reminder.objects.filter(pk=reminder_id).exclude(status=Reminder.Status.SENT).update(
        status=Reminder.Status.SENT, sent_at=sent_at, sent_ref=ref, last_error=""
    )
    if built.covers:
        Reminder.objects.filter(pk__in=built.covers, status=Reminder.Status.PENDING).update(
            status=Reminder.Status.SENT, sent_at=sent_at, sent_ref=ref
        )
    if sender.on_sent:
        try:
            sender.on_sent(row, sent_at)
        except Exception:  # the mail went out and is recorded; a note elsewhere must not undo that
            log.exception("outbox on_sent hook failed", extra={"reminder": row.key})
    log.info("outbox row sent", extra={"reminder": row.key})
    return "sent"


def unsent_for_beheer(membership):
    """Rows that were not sent and why (expired, failed), newest first, for the beheerder's
    region: recipients with a role there, or (no account) young people of the region. Only
    kinds, dates, recipients and reasons: nothing about the young person."""
    region_ids = managed_region_ids(membership)
    rows = Reminder.objects.filter(status__in=[Reminder.Status.EXPIRED, Reminder.Status.FAILED])
    if region_ids is not None:
        rows = rows.filter(
            Q(recipient__in=users_managed_by(membership)) | Q(recipient__isnull=True, student__region_id__in=region_ids)
        )
    return rows.select_related("recipient").order_by("-on_date", "-id")
