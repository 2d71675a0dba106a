"""The self check-in panel on the student page (the students app includes it by tag)."""

from __future__ import annotations

from django import template

from checkins.selectors import REASONS, student_panel
from students.access import Perm, has_perm

register = template.Library()


@register.inclusion_tag("checkins/_panel.html", takes_context=True)
def checkin_panel(context, student):
    request = context["request"]
    membership = getattr(request, "membership", None)
    panel = student_panel(student)
    # What the young person wrote stays with the organisation guiding them, like contact notes.
    own = membership is not None and student.guiding_organisation_id == membership.organisation_id
    return {
        "student": student,
        "panel": panel,
        "reason": REASONS.get(panel.reason, "") if panel.reason else "",
        "can_act": has_perm(membership, student, Perm.LOG_CONTACT),
        "show_words": own,
    }
