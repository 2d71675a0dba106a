"""`{% load student_tags %}{{ event|timeline_text }}`: a timeline event in the reader's language."""

from django import template

from students.timeline import render

register = template.Library()


@register.filter
def timeline_text(event) -> str:
    return render(event)
