"""The error summary every form gets after an invalid submit (NL Design System / GOV.UK pattern).

base.html asks `{% form_errors as error_summary %}` once: it finds every bound form (and
formset) with errors in the page's context, so a new form gets the summary, the "Fout:" title
and the focus (static/js/kwint.js) without touching its template. Each item links to the
field's first input; an error about the whole form links to its first visible field.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms, template
from django.forms.formsets import BaseFormSet

register = template.Library()


@dataclass(frozen=True)
class ErrorItem:
    label: str
    message: str
    target: str


def _target(bound: forms.BoundField) -> str:
    # Radio buttons and checkbox lists have no single input: point at the first option.
    if bound.id_for_label:
        return bound.id_for_label
    subwidgets = bound.subwidgets
    return (subwidgets[0].id_for_label if subwidgets else "") or bound.auto_id or ""


def _form_items(form: forms.BaseForm) -> list[ErrorItem]:
    visible = form.visible_fields()
    first = _target(visible[0]) if visible else ""
    items = [ErrorItem("", str(message), first) for message in form.non_field_errors()]
    for name in form.fields:
        if name not in form.errors:
            continue
        bound = form[name]
        target = "" if bound.is_hidden else _target(bound)
        label = str(bound.label or "") if not bound.is_hidden else ""
        items += [ErrorItem(label, str(message), target) for message in form.errors[name]]
    return items


def _forms_in(context) -> list[forms.BaseForm | BaseFormSet]:
    found, seen = [], set()
    for value in context.flatten().values():
        if isinstance(value, forms.BaseForm | BaseFormSet) and id(value) not in seen and value.is_bound:
            seen.add(id(value))
            found.append(value)
    return found


@register.simple_tag(takes_context=True)
def form_errors(context) -> list[ErrorItem]:
    """Every error of every bound form on the page, in field order."""
    items: list[ErrorItem] = []
    for found in _forms_in(context):
        if isinstance(found, BaseFormSet):
            items += [ErrorItem("", str(m), "") for m in found.non_form_errors()]
            for form in found.forms:
                items += _form_items(form)
        elif found.errors:
            items += _form_items(found)
    return items
