"""How privacy events read on the student's timeline (see `students.timeline`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from students.models import TimelineEvent
from students.timeline import register

K = TimelineEvent.Kind


@register("correction_requested", kind=K.PRIVACY)
def _correction_requested(data: dict) -> str:
    return _("Correctieverzoek: %(what)s") % {"what": data["what"]}
