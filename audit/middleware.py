"""A change is a change: on a request that may write (POST and the like), the access door
(`students.access.get_student_for`) only notes which record was opened, and this middleware
writes the entry after the view: "changed" when the view wrote to the database, "viewed" when it
did not (a form sent back with errors, a refusal by a rule). Opening a form (GET) is logged as a
view by the door itself."""

from __future__ import annotations

from django.db import connection

from audit.models import Action
from audit.services import access_log

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
PENDING = "kwint_access_pending"
# Writes that are bookkeeping, not a change to anyone's record.
_NOT_A_CHANGE = ("audit_accesslogentry", "django_session", "axes_")


class _WriteWatcher:
    def __init__(self) -> None:
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        if not self.wrote:
            head = sql.lstrip()[:7].upper()
            if head.startswith(("INSERT", "UPDATE", "DELETE")) and not any(t in sql for t in _NOT_A_CHANGE):
                self.wrote = True
        return execute(sql, params, many, context)


def pending_change(request, **entry) -> bool:
    """Note an entry for the end of this request; False when no middleware will write it (a
    request built in a test, a task), so the caller writes it at once."""
    pending = getattr(request, PENDING, None)
    if pending is None:
        return False
    pending.append(entry)
    return True


class AccessLogChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        setattr(request, PENDING, [])
        watcher = _WriteWatcher()
        with connection.execute_wrapper(watcher):
            response = self.get_response(request)
        # A server error rolled its writes back: nothing changed.
        changed = watcher.wrote and response.status_code < 500
        for entry in getattr(request, PENDING):
            access_log(request=request, action=Action.CHANGE if changed else Action.VIEW, **entry)
        return response
