"""Personal links for the young person (services): create, send, resolve, answer, withdraw.

Only the SHA-256 of a token is stored. Resolving a token hashes it and looks the hash up
through a unique index, so the time taken does not depend on how much of a guess matched;
expired, used and unknown tokens all give the same answer (None) and the same page.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import secrets

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import access_log
from consent.models import ConsentLink, ConsentRecord, CurrentConsent, Status
from consent.selectors import applicable_texts, needs_representative
from consent.services import consent_answers_record, consent_withdraw
from kwint.lib.ratelimit import Limit
from students.models import Student
from students.services import timeline_add

# Withdrawing must stay as easy as giving for as long as anyone may hold the data: the two
# years of guidance plus margin, not the two weeks an invitation to answer lasts.
WITHDRAW_LINK_DAYS = 3 * 365
# Guessing: at most this many unknown tokens per client address per window; after that every
# token (also a right one) shows the same friendly page until the window ends.
RATE_LIMIT = 20
RATE_WINDOW_SECONDS = 15 * 60


class LinkInvalid(Exception):
    """Expired, used or unknown: the caller shows one friendly page for all three."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_url(kind: str, token: str) -> str:
    name = "consent:public_answer" if kind == ConsentLink.Kind.ANSWER else "consent:public_withdraw"
    return settings.KWINT_BASE_URL + reverse(name, args=[token])


def qr_data_uri(url: str) -> str:
    """The link as a QR code in a data: URI (the CSP allows data: images; no external service)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2, dark="#000", light="#fff", xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@transaction.atomic
def consent_link_create(*, student: Student, kind: str, created_by=None) -> tuple[ConsentLink, str]:
    """A new personal link. Returns the row and the token (shown or sent once, never stored)."""
    if kind == ConsentLink.Kind.ANSWER and needs_representative(student, timezone.localdate()):
        raise ValidationError(
            _("Deze jongere is jonger dan 16: een ouder of voogd geeft toestemming. Leg het antwoord aan tafel vast.")
        )
    if kind == ConsentLink.Kind.ANSWER and not applicable_texts(student):
        raise ValidationError(_("Er zijn nog geen gepubliceerde toestemmingsteksten voor deze jongere."))
    days = settings.KWINT_CONSENT_LINK_DAYS if kind == ConsentLink.Kind.ANSWER else WITHDRAW_LINK_DAYS
    token = secrets.token_urlsafe(32)
    link = ConsentLink.objects.create(
        student=student,
        kind=kind,
        token_hash=token_hash(token),
        created_by=created_by,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    if created_by is not None:
        timeline_add(
            student=student,
            event="consent_link_created",
            actor=created_by,
            data={"link": str(link.code), "kind": kind},
        )
    return link, token


def consent_link_email(*, student: Student, kind: str, token: str, template: str = "link") -> bool:
    """E-mail a link to the young person's own address (text and HTML). False without one."""
    if not student.email:
        return False
    context = {
        "student": student,
        "url": link_url(kind, token),
        "kind": kind,
        "days": settings.KWINT_CONSENT_LINK_DAYS,
    }
    # The young person reads Dutch first, whatever language the staff member works in.
    with translation.override("nl"):
        subject = render_to_string(f"consent/email/{template}_subject.txt", context).strip()
        text = render_to_string(f"consent/email/{template}.txt", context)
        html = render_to_string(f"consent/email/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[student.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return True


MISSES_PER_CLIENT = Limit("consent-link-misses", RATE_LIMIT, RATE_WINDOW_SECONDS)


def consent_link_resolve(*, token: str, kind: str, client: str = "") -> ConsentLink:
    """The live link for a token, or LinkInvalid. Never says why. `client` is the caller's
    address (kwint.lib.client_address): misses are counted per address."""
    if client and MISSES_PER_CLIENT.exceeded(client):
        raise LinkInvalid
    link = (
        ConsentLink.objects.select_related("student", "student__school", "student__region")
        .filter(token_hash=token_hash(token or ""), kind=kind)
        .first()
    )
    now = timezone.now()
    if (
        link is None
        or link.expires_at <= now
        or link.used_at is not None
        or link.student.erased_at is not None
        # Belt and braces: the lookup is an index probe on a hash (it leaks nothing about the
        # token); the final comparison is constant-time as well.
        or not secrets.compare_digest(link.token_hash, token_hash(token or ""))
    ):
        if client:
            MISSES_PER_CLIENT.hit(client)
        raise LinkInvalid
    return link


def _claim(link: ConsentLink) -> None:
    """Use the link up: a conditional UPDATE, so a double submit or a second tab loses."""
    claimed = ConsentLink.objects.filter(pk=link.pk, used_at__isnull=True, expires_at__gt=timezone.now()).update(
        used_at=timezone.now()
    )
    if not claimed:
        raise LinkInvalid


@transaction.atomic
def consent_answer_by_link(*, link: ConsentLink, answers: dict[str, str]) -> str | None:
    """The young person's own answers through their link. Returns a withdraw token when they
    gave consent for anything (so withdrawing is as easy as giving), else None."""
    _claim(link)
    student = link.student
    texts = applicable_texts(student)
    answers = {p: s for p, s in answers.items() if p in texts}
    records = consent_answers_record(
        student=student,
        answers=answers,
        texts=texts,
        method=ConsentRecord.Method.DIGITAL,
        note="Via persoonlijke link",
    )
    access_log(
        action=Action.CHANGE,
        student=student,
        object_type="consent",
        object_code=str(link.code),
        detail="antwoord via persoonlijke link",
    )
    if not any(r.status == Status.GIVEN for r in records):
        return None
    _withdraw_link, token = consent_link_create(student=student, kind=ConsentLink.Kind.WITHDRAW)
    transaction.on_commit(
        lambda: consent_link_email(student=student, kind=ConsentLink.Kind.WITHDRAW, token=token, template="confirm")
    )
    return token


@transaction.atomic
def consent_withdraw_by_link(*, link: ConsentLink, purposes: list[str]) -> list[ConsentRecord]:
    """Withdraw through the young person's own link. The link stays usable for purposes still
    given; once nothing is left to withdraw it is used up."""
    link = ConsentLink.objects.select_for_update().get(pk=link.pk)
    if link.used_at is not None or link.expires_at <= timezone.now():
        raise LinkInvalid
    records = consent_withdraw(
        student=link.student,
        purposes=purposes,
        method=ConsentRecord.Method.DIGITAL,
        note="Ingetrokken via persoonlijke link",
    )
    if not CurrentConsent.objects.filter(student=link.student, status=Status.GIVEN).exists():
        ConsentLink.objects.filter(pk=link.pk).update(used_at=timezone.now())
    if records:
        access_log(
            action=Action.CHANGE,
            student=link.student,
            object_type="consent",
            object_code=str(link.code),
            detail="ingetrokken via persoonlijke link",
        )
    return records
