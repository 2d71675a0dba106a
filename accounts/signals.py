"""Logins, failed logins and lockouts in the access log (BIO: logging of authentication).

Accounts tells audit: the access log sits below accounts and knows nothing of logins.

A failed login is logged without saying whether the account exists: the attempted name is
kept as typed (for the security officer), the actor stays empty either way.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from audit.models import Action, Result
from audit.services import access_log


@receiver(user_logged_in, dispatch_uid="kwint_accounts_login")
def log_login(sender, request, user, **kwargs):
    access_log(request=request, actor=user, action=Action.LOGIN, object_type="user", object_code=str(user.code))


@receiver(user_login_failed, dispatch_uid="kwint_accounts_login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    # The lockout itself is logged by log_lockout; axes fires that from this same signal.
    attempted = str(credentials.get("username", ""))
    access_log(
        request=request,
        action=Action.LOGIN_FAILED,
        result=Result.DENIED,
        actor_email=attempted,
        object_type="user",
        detail="onjuiste inloggegevens",
    )


@receiver(user_locked_out, dispatch_uid="kwint_accounts_locked_out")
def log_lockout(sender, request, username, ip_address, **kwargs):
    access_log(
        request=request,
        action=Action.SECURITY,
        result=Result.DENIED,
        actor_email=str(username or ""),
        object_type="user",
        detail="tijdelijk geblokkeerd na te veel mislukte pogingen",
    )
