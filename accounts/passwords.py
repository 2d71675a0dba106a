"""Links that set a password: the reset link (1 hour) and the invitation (its own lifetime).

Both are Django's signed tokens (HMAC over the user's password hash, last login and e-mail, so
a token dies once the password is set or the user logs in), each with its own salt and
lifetime: a reset token is never accepted as an invitation, or the other way round. The URL
carries the user's opaque UUID, not the sequential id.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

from accounts.models import User


class TimedTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset token with its own salt and lifetime (seconds, read when checked)."""

    def __init__(self, *, key_salt: str, lifetime: Callable[[], int]):
        super().__init__()
        self.key_salt = key_salt
        self._lifetime = lifetime

    def check_token(self, user, token) -> bool:
        if not (user and token):
            return False
        try:
            ts_b36, _signature = str(token).split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > self._lifetime():
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


reset_tokens = TimedTokenGenerator(key_salt="kwint.password-reset", lifetime=lambda: settings.PASSWORD_RESET_TIMEOUT)
invite_tokens = TimedTokenGenerator(key_salt="kwint.invitation", lifetime=lambda: settings.KWINT_INVITE_DAYS * 86400)


def reset_link(user: User) -> str:
    path = reverse("password_reset_confirm", kwargs={"code": user.code, "token": reset_tokens.make_token(user)})
    return settings.KWINT_BASE_URL + path


def invite_link(user: User) -> str:
    path = reverse("invite_accept", kwargs={"code": user.code, "token": invite_tokens.make_token(user)})
    return settings.KWINT_BASE_URL + path


def password_reset_send(*, user: User) -> None:
    """E-mail the reset link, in the user's own language (text and HTML)."""
    context = {"user": user, "link": reset_link(user), "minutes": settings.PASSWORD_RESET_TIMEOUT // 60}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("registration/password_reset_subject.txt", context).split())
        text = render_to_string("registration/password_reset_email.txt", context)
        html = render_to_string("registration/password_reset_email.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()
