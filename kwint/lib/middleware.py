"""Request plumbing every app relies on: session limits and the interface language. (The active
membership is accounts' business: `accounts.middleware`.)"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils import translation
from django.utils.cache import patch_vary_headers

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
