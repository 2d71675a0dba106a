"""Setting up a second factor needs a one-time link from the account's own mailbox.

An account without a confirmed second factor (new, or reset by a beheerder after a lost phone)
could otherwise be enrolled by whoever knows, guesses or phished its password, and from then on
the attacker's phone would be the second factor. So enrolment (first and re-enrolment) starts
with a link mailed to the account's address: opened in the browser that is logged in as that
user, it allows enrolment in that session for a short while. The link works once, for an hour,
and only for its own user; only its SHA-256 is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import EnrolmentLink, User
from audit.models import Action
from audit.services import access_log
from kwint.lib.ratelimit import Limit

_SESSION_GRANT = "kwint_enrolment_grant"
# After the link is opened, enrolment must be finished within this time in that session.
GRANT_SECONDS = 30 * 60


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _sends_per_user() -> Limit:
    return Limit("enrolment-links-per-user", settings.KWINT_ENROLMENT_LINKS_PER_HOUR, 3600)


class TooManyLinks(Exception):
    """The user asked for too many links this hour."""


@transaction.atomic
def enrolment_link_send(*, user: User, request=None) -> None:
    """Mail a new one-time link to the user's own address; earlier unused links stop working."""
    if not _sends_per_user().hit(str(user.code)):
        raise TooManyLinks
    now = timezone.now()
    EnrolmentLink.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    token = secrets.token_urlsafe(32)
    EnrolmentLink.objects.create(
        user=user,
        token_hash=_hash(token),
        created_at=now,
        expires_at=now + dt.timedelta(minutes=settings.KWINT_ENROLMENT_LINK_MINUTES),
    )
    link = settings.KWINT_BASE_URL + reverse("two_factor:enrol_link", args=[token])
    context = {"user": user, "link": link, "minutes": settings.KWINT_ENROLMENT_LINK_MINUTES}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("accounts/email/two_factor_link_subject.txt", context).split())
        text = render_to_string("accounts/email/two_factor_link.txt", context)
        html = render_to_string("accounts/email/two_factor_link.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    access_log(
        request=request,
        action=Action.SECURITY,
        object_type="user",
        object_code=str(user.code),
        detail="link voor instellen tweede factor verstuurd",
    )
    # Only once the link is saved: a failed save sends nothing.
    transaction.on_commit(message.send)


def enrolment_link_open(*, request, token: str) -> bool:
    """Use the link up for the signed-in user (a conditional UPDATE: a second tab loses) and
    allow enrolment in this session. False for an unknown, used, expired or someone else's link."""
    now = timezone.now()
    used = EnrolmentLink.objects.filter(
        token_hash=_hash(token or ""), user=request.user, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not used:
        return False
    request.session[_SESSION_GRANT] = {"user": str(request.user.code), "until": int(time.time()) + GRANT_SECONDS}
    return True


def enrolment_allowed(request) -> bool:
    grant = request.session.get(_SESSION_GRANT) or {}
    return grant.get("user") == str(request.user.code) and grant.get("until", 0) > time.time()


def enrolment_done(request) -> None:
    request.session.pop(_SESSION_GRANT, None)
