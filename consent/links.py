"""Personal links for the young person (services): create, send, resolve, answer, withdraw.

Only the SHA-256 of a token is stored. Resolving a token hashes it and looks the hash up
through a unique index, so the time taken does not depend on how much of a guess matched;
expired and unknown tokens give the same answer (LinkInvalid) and the same page.

A link works for its whole lifetime, as often as the young person likes: consent must be as
easy to withdraw as to give, and a young person may change their mind at any moment (give,
refuse, withdraw, give again). Both kinds of link open both pages; the kind only sets the
lifetime (an invitation to answer is short, the link kept from the confirmation is long).
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
def consent_link_create(
    *,
    student: Student,
    kind: str,
    created_by=None,
    given_by: str = ConsentRecord.GivenBy.STUDENT,
    representative_name: str = "",
) -> tuple[ConsentLink, str]:
    """A new personal link, for the young person or (under 16) for a parent or guardian.
    Returns the row and the token (shown or sent once, never stored)."""
    for_representative = given_by != ConsentRecord.GivenBy.STUDENT
    if (
        kind == ConsentLink.Kind.ANSWER
        and not for_representative
        and needs_representative(student, timezone.localdate())
    ):
        # The coach's page never offers this; the rule stands here for every other caller.
        raise ValidationError(_("Deze jongere is jonger dan 16: maak een link voor een ouder of voogd."))
    if for_representative and not representative_name.strip():
        raise ValidationError({"representative_name": _("Vul de naam van de ouder of voogd in.")})
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
        given_by=given_by,
        representative_name=representative_name.strip() if for_representative else "",
    )
    if created_by is not None:
        timeline_add(
            student=student,
            event="consent_link_created",
            actor=created_by,
            data={"link": str(link.code), "kind": kind},
        )
    return link, token


def consent_link_message(
    *, student: Student, url: str, template: str = "link", representative_name: str = ""
) -> tuple[str, str, str]:
    """Subject, text and HTML of a link e-mail. Also the coach's preview (with a stand-in for
    the link, which does not exist until the coach sends)."""
    context = {
        "student": student,
        "url": url,
        "days": settings.KWINT_CONSENT_LINK_DAYS,
        "representative_name": representative_name,
    }
    # The young person (or parent) reads Dutch first, whatever language the staff member uses.
    with translation.override("nl"):
        subject = render_to_string(f"consent/email/{template}_subject.txt", context).strip()
        text = render_to_string(f"consent/email/{template}.txt", context)
        html = render_to_string(f"consent/email/{template}.html", context)
    return subject, text, html


def consent_link_email(
    *,
    student: Student,
    kind: str,
    token: str,
    template: str = "link",
    to: str = "",
    representative_name: str = "",
) -> bool:
    """E-mail a link (text and HTML) to `to`, by default the young person's own address.
    False without an address."""
    to = to or student.email
    if not to:
        return False
    subject, text, html = consent_link_message(
        student=student, url=link_url(kind, token), template=template, representative_name=representative_name
    )
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()
    return True


MISSES_PER_CLIENT = Limit("consent-link-misses", RATE_LIMIT, RATE_WINDOW_SECONDS)


PERSONAL_KINDS = (ConsentLink.Kind.ANSWER, ConsentLink.Kind.WITHDRAW)


def consent_link_resolve(*, token: str, kind: str | None = None, client: str = "") -> ConsentLink:
    """The live link for a token, or LinkInvalid. Never says why. `client` is the caller's
    address (kwint.lib.client_address): misses are counted per address. Without `kind`, any
    of the young person's own links (see the module docstring)."""
    if client and MISSES_PER_CLIENT.exceeded(client):
        raise LinkInvalid
    kinds = [kind] if kind else list(PERSONAL_KINDS)
    link = (
        ConsentLink.objects.select_related("student", "student__school", "student__region")
        .filter(token_hash=token_hash(token or ""), kind__in=kinds)
        .first()
    )
    now = timezone.now()
    if (
        link is None
        or link.expires_at <= now
        or link.student.erased_at is not None
        # Belt and braces: the lookup is an index probe on a hash (it leaks nothing about the
        # token); the final comparison is constant-time as well.
        or not secrets.compare_digest(link.token_hash, token_hash(token or ""))
    ):
        if client:
            MISSES_PER_CLIENT.hit(client)
        raise LinkInvalid
    return link


def _lock_live(link: ConsentLink) -> ConsentLink:
    """Lock the link row (two tabs submitting at once answer one after the other) and check
    it is still live; `used_at` keeps the first use, for the record."""
    link = ConsentLink.objects.select_for_update().select_related("student").get(pk=link.pk)
    if link.expires_at <= timezone.now() or link.student.erased_at is not None:
        raise LinkInvalid
    if link.used_at is None:
        ConsentLink.objects.filter(pk=link.pk).update(used_at=timezone.now())
    return link


@transaction.atomic
def consent_answer_by_link(*, link: ConsentLink, answers: dict[str, str], representative_name: str = "") -> str | None:
    """The young person's own answers through their link, as often as they like. Only what
    changes is recorded: "nee" to a purpose given until now is a withdrawal, "ja" to one
    refused or withdrawn gives it again. Returns the token of a long-lived link to change their
    mind later when they gave consent for anything through a short invitation (it is e-mailed
    too), else None (the link they used is the one to keep)."""
    link = _lock_live(link)
    student = link.student
    who = {"given_by": link.given_by, "representative_name": representative_name or link.representative_name}
    texts = applicable_texts(student)
    current = {
        p: (s, by)
        for p, s, by in CurrentConsent.objects.filter(student=student).values_list(
            "purpose", "status", "record__given_by"
        )
    }
    answers = {p: s for p, s in answers.items() if p in texts}

    def unchanged(purpose: str, answer: str) -> bool:
        status, by = current.get(purpose, (None, None))
        if status == Status.GIVEN and by != link.given_by:
            return False  # a parent's "yes" renewed by the young person at 18 is a new answer
        return status == answer or (answer == Status.REFUSED and status == Status.WITHDRAWN)

    to_withdraw = [p for p, s in answers.items() if s == Status.REFUSED and current.get(p, (None,))[0] == Status.GIVEN]
    to_record = {p: s for p, s in answers.items() if p not in to_withdraw and not unchanged(p, s)}
    records = []
    if to_record:
        records += consent_answers_record(
            student=student,
            answers=to_record,
            texts=texts,
            method=ConsentRecord.Method.DIGITAL,
            note="Via persoonlijke link",
            **who,
        )
    if to_withdraw:
        records += consent_withdraw(
            student=student,
            purposes=to_withdraw,
            method=ConsentRecord.Method.DIGITAL,
            note="Ingetrokken via persoonlijke link",
            **who,
        )
    if records:
        access_log(
            action=Action.CHANGE,
            student=student,
            object_type="consent",
            object_code=str(link.code),
            detail="antwoord via persoonlijke link",
        )
    if link.kind == ConsentLink.Kind.WITHDRAW or not any(r.status == Status.GIVEN for r in records):
        return None
    _long_link, token = consent_link_create(student=student, kind=ConsentLink.Kind.WITHDRAW, **who)
    if not link.for_representative:
        # A parent's address is not kept: the page they answered on shows them the link.
        transaction.on_commit(
            lambda: consent_link_email(student=student, kind=ConsentLink.Kind.WITHDRAW, token=token, template="confirm")
        )
    return token


@transaction.atomic
def consent_withdraw_by_link(
    *, link: ConsentLink, purposes: list[str], representative_name: str = ""
) -> list[ConsentRecord]:
    """Withdraw through the young person's own link. The link keeps working: they may give
    consent again through it later."""
    link = _lock_live(link)
    records = consent_withdraw(
        student=link.student,
        purposes=purposes,
        method=ConsentRecord.Method.DIGITAL,
        note="Ingetrokken via persoonlijke link",
        given_by=link.given_by,
        representative_name=representative_name or link.representative_name,
    )
    if records:
        access_log(
            action=Action.CHANGE,
            student=link.student,
            object_type="consent",
            object_code=str(link.code),
            detail="ingetrokken via persoonlijke link",
        )
    return records


# "Stuur me een nieuwe link" --------------------------------------------------------------


def phone_digits(value: str) -> str:
    """A Dutch mobile number in one form: digits only, +31 / 0031 written as 0."""
    digits = "".join(ch for ch in value if ch.isdigit())
    for prefix in ("0031", "31"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 9:
            return "0" + digits[len(prefix) :]
    return digits


def students_by_address(address: str):
    """Young people known by this e-mail address or mobile number (usually one)."""
    from django.db.models import F, Func, Value

    students = Student.objects.active()
    if "@" in address:
        return students.filter(email__iexact=address.strip())
    digits = phone_digits(address)
    if len(digits) < 10:
        return students.none()
    stored = Func(F("phone"), Value("[^0-9]"), Value(""), Value("g"), function="regexp_replace")
    candidates = students.exclude(phone="").annotate(phone_digits=stored).filter(phone_digits__endswith=digits[-9:])
    return [s for s in candidates if phone_digits(s.phone) == digits]


def consent_link_request(*, address: str) -> int:
    """A young person asked for a new personal link by e-mail address or mobile number. Runs in
    the worker (the web request only enqueues, so the page looks and takes the same whether the
    address is known or not). The link goes to the e-mail address on record, never to what was
    typed; without one, the request is noted on the timeline so the coach can make a link.
    Under 16 a parent or guardian answers: no link for the young person. Returns links sent."""
    sent = 0
    today = timezone.localdate()
    for student in students_by_address(address):
        if needs_representative(student, today):
            continue
        with transaction.atomic():
            if student.email:
                _link, token = consent_link_create(student=student, kind=ConsentLink.Kind.WITHDRAW)
                transaction.on_commit(
                    lambda s=student, t=token: consent_link_email(
                        student=s, kind=ConsentLink.Kind.WITHDRAW, token=t, template="newlink"
                    )
                )
                sent += 1
            timeline_add(student=student, event="consent_link_requested", data={"sent": bool(student.email)})
    return sent
