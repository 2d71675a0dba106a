"""How consent events read on the student's timeline (see `students.timeline`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from consent.models import ConsentLink, Purpose, Status
from students.models import TimelineEvent
from students.timeline import choice_label, register, text_date

K = TimelineEvent.Kind


def _purposes(values: list[str]) -> str:
    return ", ".join(choice_label(Purpose, value) for value in values)


@register("consent_answered", kind=K.CONSENT)
def _answered(data: dict) -> str:
    return _("%(purpose)s: %(status)s") % {
        "purpose": choice_label(Purpose, data["purpose"]),
        "status": choice_label(Status, data["status"]).lower(),
    }


@register("consent_withdrawn", kind=K.PRIVACY)
def _withdrawn(data: dict) -> str:
    text = _("Toestemming ingetrokken (%(purposes)s): gaat direct in.") % {"purposes": _purposes(data["withdrawn"])}
    if data.get("erase_after"):
        text += " " + _("Wordt gewist na %(date)s.") % {"date": text_date(data["erase_after"])}
    return text


@register("consent_link_created", kind=K.CONSENT)
def _link_created(data: dict) -> str:
    return _("Persoonlijke link aangemaakt: %(kind)s") % {"kind": choice_label(ConsentLink.Kind, data["kind"]).lower()}


@register("consent_renewal_due", kind=K.CONSENT)
def _renewal_due(data: dict) -> str:
    return _("Toestemming vernieuwen (18 jaar): %(purposes)s") % {"purposes": _purposes(data.get("purposes", []))}


@register("consent_link_requested", kind=K.CONSENT)
def _link_requested(data: dict) -> str:
    if data.get("sent"):
        return _("De jongere vroeg een nieuwe persoonlijke link; die is naar het e-mailadres gestuurd.")
    return _("De jongere vroeg een nieuwe persoonlijke link, maar er is geen e-mailadres bekend: maak een link.")
