"""Support actions (begeleidingsaanbod): offered, started, ended."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coaching.models import (
    SupportAction,
)
from coaching.selectors import open_trajectory
from coaching.services.schedule import _today
from students.models import Student
from students.services import timeline_add


@transaction.atomic
def support_action_add(
    *,
    student: Student,
    kind: str,
    status: str = SupportAction.Status.PLANNED,
    started_on=None,
    note: str = "",
    actor=None,
) -> SupportAction:
    action = SupportAction.objects.create(
        student=student,
        trajectory=open_trajectory(student),
        kind=kind,
        status=status,
        started_on=started_on or _today(),
        note=note,
        created_by=actor,
    )
    timeline_add(student=student, event="support_added", data={"kind": kind, "status": status}, actor=actor)
    return action


@transaction.atomic
def support_action_update(*, action: SupportAction, status: str, actor=None) -> SupportAction:
    if status not in SupportAction.Status.values:
        raise ValidationError({"status": _("Kies een status.")})
    action.status = status
    action.ended_on = None if status in SupportAction.OPEN_STATUSES else _today()
    action.save(update_fields=["status", "ended_on"])
    timeline_add(
        student=action.student, event="support_updated", data={"kind": action.kind, "status": status}, actor=actor
    )
    return action
