"""Response-level security every app relies on: nothing personal in a browser's cache, no
powerful browser features, and refused requests logged once, in one line.

Kwint is used on shared school and municipal computers: after logout or a timeout the next
person must not be able to press Back and read the caseload from the browser's cache. So every
response to a signed-in user (pages, fragments, exports) is `Cache-Control: no-store, private`
(`PrivateResponseMiddleware`).

Django logs a 403 through `django.request` (or `django.security.csrf`) with a full traceback,
and the development server logs it again. For an operator a refusal is an event, not an
error: one line with who, where and why, from `RefusedRequestLogMiddleware`; the framework's
own 403 records are dropped by `DropForbiddenRecords` (see LOGGING in settings).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.cache import patch_cache_control

logger = logging.getLogger("kwint.security")

_REASON_ATTR = "_kwint_refusal_reason"

# No page of Kwint uses the camera, microphone, location or payments: an injected script or
# frame cannot ask for them either.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"


class PrivateResponseMiddleware:
    """`Permissions-Policy` on every response; `Cache-Control: no-store, private` on every
    response to a signed-in user. Sits above WhiteNoise: static files (no user, fingerprinted)
    keep their far-future caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


def refuse_reason(request, reason: str) -> None:
    """Say why this request is refused, for the one log line (when a view returns its own 403)."""
    setattr(request, _REASON_ATTR, reason)


def _one_line(value: object) -> str:
    # A path or message with a line break must not forge a second log line.
    return repr(str(value))


class RefusedRequestLogMiddleware:
    """Logs every 403 once: user id, path (never the query string: it may hold a typed name)
    and the reason. Sits near the top, so it sees refusals from views and from middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and user.is_authenticated else "-"
            reason = getattr(request, _REASON_ATTR, "") or "refused by the view"
            logger.warning(
                "Refused (403): user=%s path=%s reason=%s", user_id, _one_line(request.path), _one_line(reason)
            )
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            refuse_reason(request, str(exception) or "permission denied")
        return None  # Django renders templates/403.html


class DropForbiddenRecords(logging.Filter):
    """Drops the framework's own log records about 403 responses: RefusedRequestLogMiddleware
    writes the one line about them."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) != 403


class RequestSizeLimitMiddleware:
    """Refuses a request whose body is larger than KWINT_MAX_REQUEST_BYTES before a byte of it
    is read: Django would otherwise stream a 50 MB upload to a temporary file in full (CSRF
    checking reads request.POST) before any form could say it is too large. Django never reads
    past Content-Length, so the header cannot understate the body. The proxy in front should
    refuse it even earlier (docs/operations.md)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.KWINT_MAX_REQUEST_BYTES:
            # Logged once by django.request ("Request Entity Too Large: <path>").
            # (No "Connection: close" here: hop-by-hop headers are the WSGI server's business;
            # gunicorn's sync workers and runserver do not reuse a connection with an unread body.)
            return render(
                request,
                "413.html",
                {"max_mb": settings.KWINT_MAX_UPLOAD_BYTES // (1024 * 1024)},
                status=413,
            )
        return self.get_response(request)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: Kwint's own Dutch page instead of Django's English one."""
    refuse_reason(request, f"CSRF: {reason}")
    return render(request, "403_csrf.html", status=403)
