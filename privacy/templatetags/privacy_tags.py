"""`{% load privacy_tags %}{% privacy_panel student %}` on the student page: the erasure date for
everyone who sees the record, and the privacy links for those with Perm.PRIVACY."""

from django import template

from students.access import Perm, has_perm

register = template.Library()


@register.inclusion_tag("privacy/_student_panel.html", takes_context=True)
def privacy_panel(context, student):
    request = context.get("request")
    membership = getattr(request, "membership", None)
    return {"student": student, "may_act": has_perm(membership, student, Perm.PRIVACY)}
