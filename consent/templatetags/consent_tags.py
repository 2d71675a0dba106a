"""The consent panel on the student page gets its data here, so the students app only has to
include `consent/_student_panel.html` with `student` in the context."""

from __future__ import annotations

from django import template

from consent.forms import text_title
from consent.selectors import consent_states, renewal_due
from students.access import Perm, has_perm

register = template.Library()


@register.simple_tag(takes_context=True)
def consent_panel(context, student) -> dict:
    request = context.get("request")
    membership = getattr(request, "membership", None)
    states = consent_states(student)
    return {
        "states": states,
        "renewal_due": renewal_due(student, states),
        "can_record": has_perm(membership, student, Perm.CONSENT),
        "any_given": any(s.is_given for s in states),
    }


@register.filter(name="text_title")
def text_title_filter(text) -> str:
    """A consent text's title in the reader's language."""
    return text_title(text)
