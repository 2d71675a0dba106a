"""How privacy events read on the student's timeline (see `students.timeline`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from students.models import TimelineEvent
from students.timeline import register

K = TimelineEvent.Kind


@register("correction_requested", kind=K.PRIVACY)
def _correction_requested(data: dict) -> str:
    return _("Correctieverzoek: %(what)s") % {"what": data["what"]}


@register("legal_hold_placed", kind=K.PRIVACY)
def _legal_hold_placed(data: dict) -> str:
    return _("Wettelijke bewaarplicht vastgelegd: dit dossier wordt niet gewist tot die is opgeheven.")


@register("legal_hold_lifted", kind=K.PRIVACY)
def _legal_hold_lifted(data: dict) -> str:
    return _("Wettelijke bewaarplicht opgeheven: de wisdatum geldt weer.")
