"""Role checks for views. Which *records* a role sees lives in each app's access module
(`students.access`); this only decides which *pages* a role may open."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied


def role_required(*roles: str):
    """Allow the view only when the active membership has one of `roles`; otherwise 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            membership = getattr(request, "membership", None)
            if membership is None or membership.role not in roles:
                role = membership.role if membership is not None else "no active role"
                raise PermissionDenied(f"role {role} may not open this page")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
