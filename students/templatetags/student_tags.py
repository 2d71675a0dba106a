"""`{% load student_tags %}{{ event|timeline_text }}`: a timeline event in the reader's language.
`{% handovers_waiting as n %}`: how many handovers wait for the active membership (menu)."""

from django import template

from accounts.models import Role
from students.selectors import handovers_incoming
from students.timeline import render

register = template.Library()

_WAITING = "_kwint_handovers_waiting"


@register.filter
def timeline_text(event) -> str:
    return render(event)


@register.simple_tag(takes_context=True)
def handovers_waiting(context) -> int:
    """Handovers offered to this coach (by name) or coordinator's organisation and not yet
    decided: one COUNT per request, kept on the request so a second use costs nothing."""
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if membership is None or membership.role not in {Role.COORDINATOR, Role.COACH}:
        return 0
    if not hasattr(request, _WAITING):
        setattr(request, _WAITING, handovers_incoming(membership).count())
    return getattr(request, _WAITING)
