"""Login throttling: a lockout that slows down a guesser without letting a stranger lock a known
account out.

- Per account *and* client address (django-axes, with the real client address from
  kwint.lib.client_address): after AXES_FAILURE_LIMIT wrong passwords the next attempt from that
  address must wait, one minute at first, doubling with each further wrong password up to
  AXES_COOLOFF_HOURS. Attempts made while waiting are not checked and do not count, so they do
  not prolong the wait. The same account from any other address is not affected: someone who
  guesses from elsewhere (or sprays one account from many addresses) never locks the real user
  out. A wrong-password streak is remembered for a day; a successful login from that address
  ends it.
- Per client address, over all accounts (password spraying): at most
  KWINT_LOGIN_FAILURES_PER_ADDRESS wrong logins per 15 minutes, then every login from that
  address waits for the window to end.

Unknown and known accounts are counted and answered alike: the pages never tell whether an
account exists.
"""

from __future__ import annotations

import datetime as dt
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

from audit.models import Action, Result
from audit.services import access_log
from kwint.lib.client_address import client_address
from kwint.lib.ratelimit import Limit

FIRST_DELAY = dt.timedelta(minutes=1)
ADDRESS_WINDOW_SECONDS = 15 * 60
_LOCKED_UNTIL = "kwint_locked_until"


def delay_after(failures: int, limit: int) -> dt.timedelta:
    """How long the next attempt waits after `failures` wrong passwords in a row."""
    if failures < limit:
        return dt.timedelta(0)
    longest = dt.timedelta(hours=settings.AXES_COOLOFF_HOURS_MAX)
    doublings = min(failures - limit, 32)
    return min(FIRST_DELAY * (2**doublings), longest)


class ProgressiveLockoutHandler(AxesDatabaseHandler):
    """axes' database handler with a growing wait instead of one fixed lock. AXES_COOLOFF_TIME
    is how long axes remembers a streak; the wait itself is decided here."""

    def is_locked(self, request, credentials=None) -> bool:
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return False
        limit = get_failure_limit(request, credentials)
        now = getattr(request, "axes_attempt_time", None) or timezone.now()
        for attempts in self.get_user_attempts(request, credentials):
            totals = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            failures = totals["failures"] or 0
            if failures >= limit:
                until = totals["last"] + delay_after(failures, limit)
                if now < until:
                    setattr(request, _LOCKED_UNTIL, until)
                    return True
        return False

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and getattr(request, "axes_locked_out", False) and not hasattr(request, _LOCKED_UNTIL):
            # This failure started (or lengthened) the wait: say how long it is.
            failures = request.axes_failures_since_start or 0
            limit = get_failure_limit(request, credentials)
            setattr(request, _LOCKED_UNTIL, request.axes_attempt_time + delay_after(failures, limit))


def _minutes_left(request) -> int:
    until = getattr(request, _LOCKED_UNTIL, None)
    if until is None:
        return math.ceil(settings.AXES_COOLOFF_HOURS_MAX * 60)
    return max(1, math.ceil((until - timezone.now()).total_seconds() / 60))


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: Kwint's page, with how long to wait (429 Too Many Requests)."""
    return render(request, "registration/locked_out.html", {"minutes": _minutes_left(request)}, status=429)


# --- per client address, over all accounts ---------------------------------------------------


def _address_limit() -> Limit:
    return Limit("login-failures-per-address", settings.KWINT_LOGIN_FAILURES_PER_ADDRESS, ADDRESS_WINDOW_SECONDS)


def address_blocked(request) -> bool:
    return _address_limit().exceeded(client_address(request))


def address_failure_record(request) -> None:
    """Count a wrong login for the client's address; the one that uses up the window is logged."""
    limit = _address_limit()
    address = client_address(request)
    limit.hit(address)
    if limit.count(address) == limit.limit:
        access_log(
            request=request,
            action=Action.SECURITY,
            result=Result.DENIED,
            object_type="address",
            detail="inloggen vanaf dit adres tijdelijk geblokkeerd: te veel mislukte pogingen op verschillende accounts",
        )


def address_blocked_response(request):
    return render(request, "registration/locked_out.html", {"minutes": ADDRESS_WINDOW_SECONDS // 60}, status=429)
