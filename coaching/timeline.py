"""How coaching events read on the student's timeline (see `students.timeline`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from coaching.models import Channel, CloseReason, SituationKind, SupportAction
from students.models import TimelineEvent
from students.timeline import choice_label, local_text, register, text_date

K = TimelineEvent.Kind


@register("plan_started", kind=K.CHECKIN)
def _plan_started(data: dict) -> str:
    return _("Contactplan %(plan)s gestart (tot %(end)s)") % {
        "plan": local_text(data["plan"]),
        "end": text_date(data["end"]),
    }


@register("plan_changed", kind=K.CHECKIN)
def _plan_changed(data: dict) -> str:
    return _("Contactplan gewijzigd naar %(plan)s") % {"plan": local_text(data["plan"])}


@register("checkin_added", kind=K.CHECKIN)
def _checkin_added(data: dict) -> str:
    return _("Contactmoment toegevoegd op %(date)s") % {"date": text_date(data["date"])}


@register("checkin_moved", kind=K.CHECKIN)
def _checkin_moved(data: dict) -> str:
    return _("Contactmoment verplaatst van %(old)s naar %(new)s") % {
        "old": text_date(data["old"]),
        "new": text_date(data["new"]),
    }


@register("contact_logged", kind=K.CONTACT)
def _contact_logged(data: dict) -> str:
    text = _("Contact via %(channel)s: %(result)s") % {
        "channel": choice_label(Channel, data["channel"]).lower(),
        "result": _("bereikt") if data["reached"] else _("niet bereikt"),
    }
    if data.get("by_student"):
        text += " " + _("(de jongere nam zelf contact op)")
    return text


@register("situation_recorded", kind=K.SITUATION)
def _situation_recorded(data: dict) -> str:
    text = _("Situatie: %(kind)s") % {"kind": choice_label(SituationKind, data["kind"])}
    if data.get("measurement_month"):
        text += " " + _("(meetmoment %(m)s maanden)") % {"m": data["measurement_month"]}
    return text


@register("support_added", kind=K.SUPPORT)
def _support_added(data: dict) -> str:
    return _("Begeleidingsaanbod: %(kind)s (%(status)s)") % {
        "kind": choice_label(SupportAction.Kind, data["kind"]),
        "status": choice_label(SupportAction.Status, data["status"]),
    }


@register("support_updated", kind=K.SUPPORT)
def _support_updated(data: dict) -> str:
    return _("Begeleidingsaanbod %(kind)s: %(status)s") % {
        "kind": choice_label(SupportAction.Kind, data["kind"]),
        "status": choice_label(SupportAction.Status, data["status"]),
    }


@register("trajectory_closed", kind=K.CLOSED)
def _trajectory_closed(data: dict) -> str:
    text = _("Traject afgesloten: %(reason)s") % {"reason": choice_label(CloseReason, data["reason"])}
    if data.get("erase_after"):
        text += ". " + _("Wordt gewist op %(date)s.") % {"date": text_date(data["erase_after"])}
    return text


@register("trajectory_reopened", kind=K.CLOSED)
def _trajectory_reopened(data: dict) -> str:
    text = _("Traject heropend.")
    if data.get("erase_after"):
        text += " " + _("Wordt gewist op %(date)s.") % {"date": text_date(data["erase_after"])}
    else:
        text += " " + _("De wisdatum is vervallen.")
    return text


@register("shared_with_stagiair", kind=K.ASSIGNED)
def _shared(data: dict) -> str:
    return _("Gedeeld met stagiair %(name)s") % {"name": data["name"]}


@register("unshared_with_stagiair", kind=K.ASSIGNED)
def _unshared(data: dict) -> str:
    return _("Niet meer gedeeld met stagiair %(name)s") % {"name": data["name"]}
