from django.conf import settings


def kwint(request):
    return {
        "active_membership": getattr(request, "membership", None),
        # Already read by ActiveMembershipMiddleware: the role switcher costs no extra query.
        "user_memberships": getattr(request, "memberships", []),
        "demo_mode": settings.DEMO_MODE,
    }
