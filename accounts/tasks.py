"""Background work for accounts: the password-reset e-mail.

The web request only enqueues (the same work for known and unknown addresses, so the answer
takes as long either way); the worker looks the address up and sends to a real account only.
The task carries the typed address, never a token: the link is made here, at send time.
"""

from __future__ import annotations

import logging

from celery import shared_task

from accounts.models import User
from accounts.passwords import password_reset_send

logger = logging.getLogger(__name__)


@shared_task(name="accounts.password_reset_mail")
def password_reset_mail(*, email: str) -> int:
    """Send a reset link to the active account with this address. Returns how many were sent
    (0 or 1). A mail server failure is logged, not retried: the person can simply ask again."""
    sent = 0
    for user in User.objects.filter(email__iexact=email.strip(), is_active=True):
        try:
            password_reset_send(user=user)
        except Exception:
            logger.exception("Password reset e-mail to user %s could not be sent", user.code)
            continue
        sent += 1
    return sent
