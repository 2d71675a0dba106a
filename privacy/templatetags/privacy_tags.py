"""`{% load privacy_tags %}{% privacy_panel student %}` on the student page: the erasure date for
everyone who sees the record, and the privacy links for those with Perm.PRIVACY."""

from django import template

from accounts.models import Role
from privacy.selectors import log_detail_label, log_object_label
from students.access import Perm, has_perm
from students.retention import reason_rule

register = template.Library()


@register.inclusion_tag("privacy/_student_panel.html", takes_context=True)
def privacy_panel(context, student):
    request = context.get("request")
    membership = getattr(request, "membership", None)
    return {
        "student": student,
        "may_act": has_perm(membership, student, Perm.PRIVACY),
        "rule": reason_rule(student.erase_reason),
    }


@register.filter
def role_label(role: str) -> str:
    """The access log stores a role as its code (audit sits below accounts): show its label."""
    return str(Role(role).label) if role in Role.values else role


@register.filter
def log_detail(detail: str, action: str = "") -> str:
    """A stored detail code ("log_contact") as words in the reader's language."""
    return log_detail_label(detail, action)


@register.filter
def log_object(object_type: str) -> str:
    """A stored object type ("consent_form") as words in the reader's language."""
    return log_object_label(object_type)
