"""SMS providers behind one small interface: `send(to, body, reference) -> provider id`, and
delivery reports parsed from the provider's signed callback.

Two backends: `console` prints the message (demo, development), `messagebird` sends through
MessageBird's public REST API (POST /messages, header `Authorization: AccessKey ...`) and
checks the `MessageBird-Signature-JWT` of every delivery report (HS256 with the signing key;
claims `url_hash` and `payload_hash` bind the token to the exact URL and body). Credentials
come from the environment (KWINT_SMS_*). Tests run the real client against a local HTTP
server standing in for MessageBird (tests/checkins/test_sms.py).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import sys
from dataclasses import dataclass

import httpx
import jwt
from django.conf import settings

log = logging.getLogger(__name__)

# Bounded far below the outbox claim time (KWINT_REMINDER_CLAIM_SECONDS): a claim never goes
# stale while its sender still waits for the provider.
TIMEOUT_SECONDS = 15


class SmsError(Exception):
    """The provider refused or could not be reached: the outbox retries later."""


class SignatureInvalid(Exception):
    """A delivery report whose signature does not hold: ignored, never trusted."""


@dataclass(frozen=True)
class DeliveryReport:
    provider_id: str
    reference: str
    status: str  # "delivered" | "failed" | "sent" (still on its way)


def msisdn(phone: str) -> str:
    """A Dutch mobile number in international form without '+': 06-12345678 -> 31612345678."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = "31" + digits[1:]
    if not 10 <= len(digits) <= 15:
        raise SmsError("not a usable phone number")
    return digits


class ConsoleBackend:
    """Prints the message: the demo and development never text a real phone."""

    name = "console"

    def send(self, *, to: str, body: str, reference: str) -> str:
        provider_id = "console-" + hashlib.sha256(reference.encode()).hexdigest()[:16]
        sys.stdout.write(f"--- SMS to {msisdn(to)} (ref {reference}) ---\n{body}\n")
        return provider_id

    def parse_report(self, request) -> DeliveryReport:
        raise SignatureInvalid("the console backend receives no reports")


# MessageBird's statuses in a report: only these end a message's journey.
_FINAL = {"delivered": "delivered", "delivery_failed": "failed", "expired": "failed"}


class MessageBirdBackend:
    name = "messagebird"

    def __init__(self, *, base_url: str, access_key: str, signing_key: str, originator: str, report_url: str = ""):
        self.base_url = base_url.rstrip("/")
        self.access_key = access_key
        self.signing_key = signing_key
        self.originator = originator
        self.report_url = report_url

    def send(self, *, to: str, body: str, reference: str) -> str:
        payload = {"originator": self.originator, "recipients": [msisdn(to)], "body": body, "reference": reference}
        if self.report_url:
            payload["reportUrl"] = self.report_url
        try:
            response = httpx.post(
                f"{self.base_url}/messages",
                json=payload,
                headers={"Authorization": f"AccessKey {self.access_key}", "Accept": "application/json"},
                timeout=TIMEOUT_SECONDS,
            )
        except httpx.HTTPError as exc:
            raise SmsError(f"MessageBird unreachable: {type(exc).__name__}") from exc
        if response.status_code != 201:
            # The error body names the problem (e.g. a wrong access key); never the message text.
            raise SmsError(f"MessageBird refused: HTTP {response.status_code} {response.text[:200]}")
        provider_id = response.json().get("id", "")
        if not provider_id:
            raise SmsError("MessageBird accepted without an id")
        return provider_id

    def verify(self, *, signature: str, url: str, body: bytes) -> dict:
        """Check a MessageBird-Signature-JWT for this exact URL and body."""
        if not signature:
            raise SignatureInvalid("no signature")
        try:
            claims = jwt.decode(
                signature,
                self.signing_key,
                algorithms=["HS256", "HS384", "HS512"],
                issuer="MessageBird",
                options={"require": ["iss", "nbf", "exp", "url_hash"]},
                leeway=1,
            )
        except jwt.InvalidTokenError as exc:
            raise SignatureInvalid(str(exc)) from exc
        if not hmac.compare_digest(hashlib.sha256(url.encode()).hexdigest(), str(claims["url_hash"])):
            raise SignatureInvalid("url_hash does not match")
        payload_hash = claims.get("payload_hash")
        if body and not (payload_hash and hmac.compare_digest(hashlib.sha256(body).hexdigest(), str(payload_hash))):
            raise SignatureInvalid("payload_hash does not match")
        if not body and payload_hash:
            raise SignatureInvalid("payload_hash without a payload")
        return claims

    def parse_report(self, request) -> DeliveryReport:
        """A status report (GET with query parameters): verified, then read."""
        self.verify(
            signature=request.headers.get("MessageBird-Signature-JWT", ""),
            # The address the provider called, as configured (behind the proxy the request's
            # own host and scheme may differ).
            url=settings.KWINT_BASE_URL + request.get_full_path(),
            body=request.body,
        )
        params = request.GET
        status = params.get("status", "")
        return DeliveryReport(
            provider_id=params.get("id", ""),
            reference=params.get("reference", ""),
            status=_FINAL.get(status, "sent"),
        )


def backend():
    """The configured backend (KWINT_SMS_BACKEND)."""
    if settings.KWINT_SMS_BACKEND == "messagebird":
        from django.urls import reverse

        return MessageBirdBackend(
            base_url=settings.KWINT_SMS_MESSAGEBIRD_URL,
            access_key=settings.KWINT_SMS_MESSAGEBIRD_ACCESS_KEY,
            signing_key=settings.KWINT_SMS_MESSAGEBIRD_SIGNING_KEY,
            originator=settings.KWINT_SMS_ORIGINATOR,
            report_url=settings.KWINT_BASE_URL + reverse("checkins:public_sms_report"),
        )
    return ConsoleBackend()
