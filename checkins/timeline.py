"""How self check-in events read on the student's timeline (see `students.timeline`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from checkins.models import Activity, Message, Preference, WantsContact
from students.models import TimelineEvent
from students.timeline import choice_label, register

K = TimelineEvent.Kind


@register("checkin_answered", kind=K.CONTACT)
def _checkin_answered(data: dict) -> str:
    text = _("Check-in ingevuld door de jongere: %(activity)s") % {
        "activity": choice_label(Activity, data["activity"]).lower()
    }
    if data.get("wants_contact", WantsContact.NO) != WantsContact.NO:
        text += "; " + _("wil contact (%(how)s)") % {"how": choice_label(WantsContact, data["wants_contact"]).lower()}
    return text


@register("checkin_sent", kind=K.CHECKIN)
def _checkin_sent(data: dict) -> str:
    return _("Check-in verstuurd via %(channel)s (%(kind)s)") % {
        "channel": choice_label(Message.Channel, data["channel"]).lower(),
        "kind": choice_label(Message.Kind, data["kind"]).lower(),
    }


@register("checkin_mode_changed", kind=K.CHECKIN)
def _checkin_mode_changed(data: dict) -> str:
    return _("Automatische check-ins: %(mode)s") % {"mode": choice_label(Preference.Mode, data["mode"]).lower()}
