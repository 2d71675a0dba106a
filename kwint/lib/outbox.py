"""The outbox registry: which kinds of message exist, how each is built and over which channel
it goes. The rows and the sending engine live in `coaching.outbox` (the table is
`coaching.Reminder`); this module sits in the lowest layer so that every app can register a
sender from its AppConfig.ready() and enqueue rows without importing coaching:

    outbox.register("consent_renewal", label=_("..."), build=build_renewal)
    outbox.enqueue("consent_renewal", key=f"renewal:{record.pk}", recipient_id=..., student_id=...)

A builder gets the claimed row and returns an `Outgoing` (the message) or None when there is
nothing to say any more (the row is then marked skipped). It must not send anything itself.
A channel turns a message into a delivery and returns the reference the far side accepted.

The guarantee (docs/operations.md, "Reminders"): every row is sent once, or ends expired /
failed with a reason a beheerder sees; only a worker killed in the instant between the mail
server's acceptance and the database write can send a row twice, and then the repeat carries
the same Message-ID.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

# Why a row was not sent. Codes are stored; the text is shown to the beheerder.
REASONS = {
    "not_relevant": _("Niet meer nodig (al gedaan, toestemming ingetrokken of traject gesloten)"),
    "outdated": _("Verlopen: het overzicht gold voor een eerdere dag; het overzicht van vandaag vervangt het"),
    "failed": _("Mislukt: de mailserver weigerde het bericht steeds"),
    "unknown_kind": _("Mislukt: onbekende soort bericht"),
}


@dataclass
class Outgoing:
    """A built message. `covers`: other outbox rows (ids) this message delivers too (e.g. the
    escalation items bundled in a coordinator's daily e-mail); they are marked sent with it."""

    message: Any
    covers: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Sender:
    kind: str
    label: Any
    build: Callable[[Any], Outgoing | None]
    channel: str = "email"
    # Returns a REASONS code when a claimed row is no longer worth sending (e.g. yesterday's
    # digest after an outage); None means send.
    expired: Callable[[Any, dt.datetime], str | None] | None = None
    # Called once the acceptance is recorded (e.g. to note it on the sender's own records).
    on_sent: Callable[[Any, dt.datetime], None] | None = None
    # Returns a later moment when a claimed row may not go out now (e.g. a text message to a
    # young person at night); the row goes back to pending until then, no attempt counted.
    defer: Callable[[Any, dt.datetime], dt.datetime | None] | None = None


# Rows on this channel are never sent on their own: another row's message covers them.
BUNDLED = "bundle"

_senders: dict[str, Sender] = {}
_channels: dict[str, Callable[[Any, str], str]] = {}
_store: Callable[..., int | None] | None = None
_dispatch: Callable[[list[int]], None] | None = None


def register(
    kind: str,
    *,
    label,
    build: Callable[[Any], Outgoing | None],
    channel: str = "email",
    expired: Callable[[Any, dt.datetime], str | None] | None = None,
    defer: Callable[[Any, dt.datetime], dt.datetime | None] | None = None,
    on_sent: Callable[[Any, dt.datetime], None] | None = None,
) -> None:
    """Register a kind of message (from an AppConfig.ready(); registering twice replaces)."""
    _senders[kind] = Sender(
        kind=kind, label=label, build=build, channel=channel, expired=expired, defer=defer, on_sent=on_sent
    )


def sender(kind: str) -> Sender | None:
    return _senders.get(kind)


def kind_label(kind: str):
    found = _senders.get(kind)
    return found.label if found else kind


def reason_label(code: str):
    return REASONS.get(code, code)


def register_channel(name: str, send: Callable[[Any, str], str]) -> None:
    """A channel: send(message, key) -> the reference the far side accepted (raises on failure)."""
    _channels[name] = send


def channel(name: str) -> Callable[[Any, str], str]:
    return _channels[name]


def set_store(store: Callable[..., int | None], dispatch: Callable[[list[int]], None] | None = None) -> None:
    """The app that owns the outbox table installs how a row is inserted (returns the new row's
    id, or None when the key existed) and how rows are handed to a worker (coaching.apps)."""
    global _store, _dispatch
    _store, _dispatch = store, dispatch


def enqueue(kind: str, *, key: str, dispatch: bool = False, **fields) -> bool:
    """Insert one row (idempotent on `key`, inside the caller's transaction so the row exists
    exactly when the caller's change does). Returns True when the row is new. With `dispatch`,
    a new row is handed to a worker after commit; without, or should that hand-over be lost,
    the redispatch (every few minutes) finds it."""
    if kind not in _senders:
        raise LookupError(f"outbox kind {kind!r} is not registered")
    if _store is None:
        raise RuntimeError("no outbox store installed (is the coaching app in INSTALLED_APPS?)")
    pk = _store(kind=kind, key=key, **fields)
    if dispatch and pk is not None and _dispatch is not None:
        from django.db import transaction

        transaction.on_commit(lambda: _dispatch([pk]))
    return pk is not None


def message_id(key: str, domain: str) -> str:
    """A stable Message-ID for a row: a repeat after a crash is the same message to mail systems."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<kwint.{digest}@{domain}>"


def send_email(message, key: str) -> str:
    """The e-mail channel: Django's mail connection (EMAIL_TIMEOUT bounds every SMTP call)."""
    from django.conf import settings

    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "kwint.local"
    ref = message_id(key, domain)
    message.extra_headers["Message-ID"] = ref
    message.extra_headers["X-Kwint-Reminder"] = key
    message.send()
    return ref


register_channel("email", send_email)
