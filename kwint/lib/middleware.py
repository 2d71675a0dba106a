"""Request plumbing every app relies on: session limits and the active membership."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils import translation
from django.utils.cache import patch_vary_headers

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


class ActiveMembershipMiddleware:
    """`request.membership`: the organisation and role the user works in right now. Access is
    decided per membership, so a coach who is also a stagiair elsewhere never mixes the two.
    `request.memberships` keeps all of the user's roles (the role switcher shows them): read
    once per request, not again by the template."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from accounts.selectors import active_membership_for, memberships_of

        request.memberships = list(memberships_of(request.user)) if request.user.is_authenticated else []
        request.membership = active_membership_for(request.memberships, request.session.get(SESSION_MEMBERSHIP_KEY))
        return self.get_response(request)


class DutchFirstLocaleMiddleware:
    """Dutch unless the user chose otherwise: the language cookie (the switch in the footer),
    else the user's own language setting, else Dutch. The browser's Accept-Language is ignored
    on purpose: many Dutch staff run an English browser but work in Dutch."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supported = {code for code, _ in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            user = getattr(request, "user", None)
            language = getattr(user, "language", None) if user is not None and user.is_authenticated else None
        if language not in supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
