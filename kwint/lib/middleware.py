"""Request plumbing every app relies on: session limits and the active membership."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout

SESSION_MEMBERSHIP_KEY = "kwint_membership"
_LAST_SEEN_KEY = "kwint_last_seen"
_STARTED_KEY = "kwint_started"


class SessionTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT of inactivity or SESSION_ABSOLUTE_MAX in all
    (BIO). Stored in the session itself, so it holds across web processes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN_KEY, now)
            started = request.session.setdefault(_STARTED_KEY, now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_ABSOLUTE_MAX:
                logout(request)
                request.session["kwint_timed_out"] = True
            else:
                request.session[_LAST_SEEN_KEY] = now
        return self.get_response(request)


def _active_membership(request):
    from accounts.selectors import active_membership_for

    if not request.user.is_authenticated:
        return None
    return active_membership_for(request.user, request.session.get(SESSION_MEMBERSHIP_KEY))


class ActiveMembershipMiddleware:
    """`request.membership`: the organisation and role the user works in right now. Access is
    decided per membership, so a coach who is also a stagiair elsewhere never mixes the two."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = _active_membership(request)
        return self.get_response(request)
