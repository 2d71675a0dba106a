"""The student's timeline: what happened, stored as an event name and its data, and rendered as
a sentence only when shown, in the reader's language.

A stored sentence would stay in the language (and the wording) of the day it was written: an
English-speaking coordinator would read Dutch, and the inzage would print internal values.
So an event is `{"event": "contact_logged", "data": {"channel": "telefoon", "reached": true}}`,
and each app registers how its events read (`register`, called from the app's
`timeline.py`, imported in `AppConfig.ready`). Lower apps own the registry; higher apps add
their events to it, so no app imports upward.

Data holds codes, ISO dates and names as they were at the time, never free text about the
young person: the timeline is shown to everyone who may see the record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from kwint.lib.dates import long_date
from students.models import Student, TimelineEvent


@dataclass(frozen=True)
class EventType:
    name: str
    kind: str
    render: Callable[[dict], str]


_EVENTS: dict[str, EventType] = {}


def register(name: str, *, kind: str) -> Callable[[Callable[[dict], str]], Callable[[dict], str]]:
    """Register how the event `name` reads; the decorated function gets the event's data and
    returns the sentence in the active language."""

    def decorator(render: Callable[[dict], str]) -> Callable[[dict], str]:
        if name in _EVENTS and _EVENTS[name].render is not render:
            raise ValueError(f"Timeline event {name!r} is registered twice.")
        _EVENTS[name] = EventType(name=name, kind=kind, render=render)
        return render

    return decorator


def event_kind(name: str) -> str:
    try:
        return _EVENTS[name].kind
    except KeyError:
        raise ValueError(f"Unknown timeline event {name!r}: register it in the app's timeline.py.") from None


def render(event: TimelineEvent) -> str:
    """The event as a sentence in the active language. Rows written before events had names
    (and rows blanked by the erasure) keep their stored summary."""
    spec = _EVENTS.get(event.event)
    if spec is None:
        return event.summary or str(event.get_kind_display())
    try:
        return spec.render(event.data or {})
    except (KeyError, TypeError, ValueError):
        # Data from an older version of the event: say what kind of thing happened.
        return event.summary or str(event.get_kind_display())


# --- helpers for renderers ----------------------------------------------------------------


def local_text(value) -> str:
    """A text stored per language (`{"nl": ..., "en": ...}`) in the active language; a plain
    string as is."""
    if isinstance(value, dict):
        language = (translation.get_language() or "nl")[:2]
        return value.get(language) or value.get("nl") or next(iter(value.values()), "")
    return str(value or "")


def text_date(value: str | dt.date) -> str:
    """ "4 december 2026": the date as it reads in a sentence."""
    return long_date(dt.date.fromisoformat(value) if isinstance(value, str) else value)


def choice_label(choices, value: str) -> str:
    """A choice's label in the active language; an unknown value as stored."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def field_labels(model, names: list[str]) -> str:
    labels = []
    for name in names:
        try:
            labels.append(str(model._meta.get_field(name).verbose_name))
        except Exception:  # a field that no longer exists: show its name
            labels.append(name)
    return ", ".join(labels)


# --- the students app's own events -----------------------------------------------------------

K = TimelineEvent.Kind


@register("student_created", kind=K.CREATED)
def _student_created(data: dict) -> str:
    if data.get("source") == "school_administration":
        return _("Aangemaakt (import schooladministratie)")
    return _("Handmatig aangemaakt")


@register("student_updated", kind=K.UPDATED)
def _student_updated(data: dict) -> str:
    return _("Gewijzigd: %(fields)s") % {"fields": field_labels(Student, data["fields"])}


@register("student_imported", kind=K.IMPORTED)
def _student_imported(data: dict) -> str:
    return _("Aangemaakt via import (%(file)s)") % {"file": data["file"]}


@register("student_import_updated", kind=K.IMPORTED)
def _student_import_updated(data: dict) -> str:
    return _("Bijgewerkt via import: %(fields)s") % {"fields": field_labels(Student, data["fields"])}


@register("coach_assigned", kind=K.ASSIGNED)
def _coach_assigned(data: dict) -> str:
    if data.get("coach_name"):
        return _("Coach toegewezen: %(coach)s (%(organisation)s)") % {
            "coach": data["coach_name"],
            "organisation": data["organisation_name"],
        }
    return _("Begeleiding bij %(organisation)s, nog zonder coach") % {"organisation": data["organisation_name"]}


@register("handover_started", kind=K.HANDOVER)
def _handover_started(data: dict) -> str:
    return _("Warme overdracht gestart (concept)")


@register("handover_offered", kind=K.HANDOVER)
def _handover_offered(data: dict) -> str:
    return _("Warme overdracht aangeboden aan %(receiver)s") % {"receiver": data["receiver"]}


@register("handover_accepted", kind=K.HANDOVER)
def _handover_accepted(data: dict) -> str:
    return _("Warme overdracht geaccepteerd door %(organisation)s") % {"organisation": data["organisation_name"]}


@register("handover_declined", kind=K.HANDOVER)
def _handover_declined(data: dict) -> str:
    return _("Warme overdracht afgewezen door %(organisation)s") % {"organisation": data["organisation_name"]}


@register("handover_offer_withdrawn", kind=K.HANDOVER)
def _handover_offer_withdrawn(data: dict) -> str:
    return _("Aanbod van de warme overdracht aan %(organisation)s ingetrokken") % {
        "organisation": data["organisation_name"]
    }


@register("record_erased", kind=K.PRIVACY)
def _record_erased(data: dict) -> str:
    return _("Gegevens gewist")
