"""The young person's situation over time: each record is dated; the history is the list."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coaching.models import (
    Contact,
    SituationKind,
    SituationRecord,
)
from coaching.selectors import open_trajectory
from students.models import Student
from students.services import timeline_add


def situation_record(
    *,
    student: Student,
    kind: str,
    date: dt.date,
    recorded_by=None,
    contract_type: str = "",
    hours_per_week: int | None = None,
    sector: str = "",
    employer: str = "",
    education_name: str = "",
    benefit: str = "",
    note: str = "",
    contact: Contact | None = None,
    measurement_month: int | None = None,
) -> SituationRecord:
    """Record the situation on a date; the history is the list of these records."""
    if kind not in SituationKind.values:
        raise ValidationError({"situation_kind": _("Kies een situatie.")})
    with transaction.atomic():
        record = SituationRecord.objects.create(
            student=student,
            trajectory=open_trajectory(student),
            date=date,
            kind=kind,
            contract_type=contract_type,
            hours_per_week=hours_per_week,
            sector=sector,
            employer=employer,
            education_name=education_name,
            benefit=benefit,
            note=note,
            contact=contact,
            measurement_month=measurement_month,
            recorded_by=recorded_by,
        )
        timeline_add(
            student=student,
            event="situation_recorded",
            data={"kind": kind, "measurement_month": measurement_month},
            actor=recorded_by,
        )
    return record
