from django.conf import settings


def kwint(request):
    from accounts.selectors import memberships_of

    user = getattr(request, "user", None)
    return {
        "active_membership": getattr(request, "membership", None),
        # Lazy: only evaluated where the role switcher is rendered.
        "user_memberships": memberships_of(user) if user is not None and user.is_authenticated else [],
        "demo_mode": settings.DEMO_MODE,
    }
