"""The active membership of the signed-in user, for every request."""

from __future__ import annotations

from accounts.selectors import active_membership_for, memberships_of

SESSION_MEMBERSHIP_KEY = "kwint_membership"


class ActiveMembershipMiddleware:
    """`request.membership`: the organisation and role the user works in right now. Access is
    decided per membership, so a coach who is also a stagiair elsewhere never mixes the two.
    `request.memberships` keeps all of the user's roles (the role switcher shows them): read
    once per request, not again by the template."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = list(memberships_of(request.user)) if request.user.is_authenticated else []
        request.membership = active_membership_for(request.memberships, request.session.get(SESSION_MEMBERSHIP_KEY))
        return self.get_response(request)
