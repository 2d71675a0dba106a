"""Erasure (pseudonymisation) of a young person's record, and the requests of the young person.

Erasing keeps the facts the regional dashboards count (school, region, municipality,
programme, level, cohort, outcome, dates at month precision) and removes everything that
identifies the person or was written about them. Models declare what is personal in a
`PRIVACY_FIELDS` class attribute; the walk over Student's relations is generic, so a model
added later is covered as soon as it declares its fields.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import models, transaction
from django.db.models import Case, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.services import access_log
from coaching.models import CheckIn, CloseReason, Trajectory
from students.models import Outcome, Student, TimelineEvent
from students.retention import notice_days
from students.services import timeline_add

log = logging.getLogger(__name__)

ERASED_NAME = "Gewist"

# Personal fields of the Student itself, and their blank value.
STUDENT_BLANKS: dict[str, object] = {
    "first_name": ERASED_NAME,
    "roepnaam": "",
    "tussenvoegsel": "",
    "last_name": ERASED_NAME,
    "date_of_birth": None,
    "phone": "",
    "email": "",
    "postcode": "",
    "woonplaats": "",
    "student_number": "",
    "class_name": "",
    "location": "",
    "coach": None,
    "legal_hold_reason": "",
}

# How deep the walk follows relations (Student <- Trajectory <- Contact is depth 2).
_MAX_DEPTH = 3


class ErasureRefused(Exception):
    """A legal retention applies; the message says which, in Dutch."""


def _blank_value(field: models.Field):
    if isinstance(field, models.JSONField):
        return field.get_default()
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField | models.EmailField):
        return ""
    return field.get_default()


def related_models_of_student() -> list[tuple[type[models.Model], str]]:
    """(model, lookup to the student) for every model that points at Student, directly or
    through a chain of foreign keys (Student <- Trajectory <- CheckIn). Breadth-first, so each
    model appears once, with its shortest path."""
    found: list[tuple[type[models.Model], str]] = []
    seen: set = {Student}
    frontier: list[tuple[type[models.Model], str]] = [(Student, "")]
    for _depth in range(_MAX_DEPTH):
        next_frontier = []
        for model, prefix in frontier:
            for rel in model._meta.related_objects:
                related = rel.related_model
                if not (rel.one_to_many or rel.one_to_one) or related in seen:
                    continue
                seen.add(related)
                lookup = f"{rel.field.name}__{prefix}" if prefix else rel.field.name
                found.append((related, lookup))
                next_frontier.append((related, lookup))
        frontier = next_frontier
    return found


def _blank_related(student: Student) -> dict[str, int]:
    """Blank every PRIVACY_FIELDS column of every model related to the student."""
    touched: dict[str, int] = {}
    for model, lookup in related_models_of_student():
        names = getattr(model, "PRIVACY_FIELDS", ())
        if not names:
            continue
        fields = [model._meta.get_field(n) for n in names]
        values = {f.name: _blank_value(f) for f in fields}
        queryset = model._base_manager.filter(**{lookup: student})
        # Only rows not yet blank: a second run writes nothing, and an append-only table
        # (ConsentRecord: its trigger allows exactly this update) is touched only where needed.
        not_blank = models.Q()
        for name, value in values.items():
            not_blank |= ~models.Q(**{name: value}) if value is not None else models.Q(**{f"{name}__isnull": False})
        count = queryset.filter(not_blank).update(**values)
        if count:
            touched[model._meta.label] = count
    return touched


def _blank_timeline(student: Student) -> int:
    """Timeline summaries and data may hold names and free text: replace them by the kind."""
    with translation.override("nl"):
        labels = {kind.value: str(kind.label) for kind in TimelineEvent.Kind}
    return TimelineEvent.objects.filter(student=student).update(
        summary=Case(*[When(kind=k, then=Value(v)) for k, v in labels.items()], default=Value(ERASED_NAME)),
        event="",
        data={},
    )


def _month(day: dt.date | None) -> dt.date | None:
    return day.replace(day=1) if day else None


@transaction.atomic
def student_erase(*, student_id: int, actor=None, request=None, reason: str) -> bool:
    """Pseudonymise one student and everything written about them. Returns False when the row
    is gone or already erased (safe to run twice). Logs one ERASE entry without personal data."""
    student = Student.objects.select_for_update().filter(pk=student_id).first()
    if student is None or student.erased_at is not None or student.legal_hold_at is not None:
        return False
    for name, value in STUDENT_BLANKS.items():
        setattr(student, name, value)
    student.outcome_date = _month(student.outcome_date)
    student.expected_diploma_date = _month(student.expected_diploma_date)
    student.erased_at = timezone.now()
    student.save()
    # Nobody guides an erased record any more: open trajectories end, planned check-ins lapse.
    open_trajectories = Trajectory.objects.filter(student=student, closed_at__isnull=True)
    CheckIn.objects.filter(trajectory__in=open_trajectories, status=CheckIn.Status.PLANNED).update(
        status=CheckIn.Status.CANCELLED
    )
    open_trajectories.update(closed_at=timezone.now(), close_reason=CloseReason.ERASED)
    touched = _blank_related(student)
    touched["students.TimelineEvent"] = _blank_timeline(student)
    timeline_add(student=student, event="record_erased")
    detail = f"{reason}; " + ", ".join(f"{label}: {n}" for label, n in sorted(touched.items()) if n)
    access_log(
        request=request,
        actor=actor,
        action=Action.ERASE,
        student_code=student.code,
        object_type="student",
        object_code=str(student.code),
        detail=detail,
    )
    log.info("Erased student %s (%s)", student.code, reason)
    return True


def erasure_refusal(student: Student) -> str:
    """Why a request to erase must be refused now, in Dutch; empty when it may go ahead."""
    if student.legal_hold_at is not None:
        return str(
            _(
                "Er geldt een wettelijke bewaarplicht voor dit dossier (bijvoorbeeld een lopende klacht of "
                "rechtszaak): het wordt niet gewist tot de functioneel beheerder die opheft. Reden: %(reason)s"
            )
            % {"reason": student.legal_hold_reason}
        )
    if student.outcome == Outcome.STUDYING:
        return str(
            _(
                "Deze jongere staat nog ingeschreven bij de school. De school moet de gegevens in de "
                "studentenadministratie bewaren zolang de inschrijving loopt (Wet educatie en "
                "beroepsonderwijs). Wissen kan zodra de jongere is uitgestroomd."
            )
        )
    return ""


def erasure_request(*, student: Student, request, actor) -> bool:
    """The young person asked for erasure (AVG art. 17). Refuses where a legal retention applies."""
    refusal = erasure_refusal(student)
    if refusal:
        raise ErasureRefused(refusal)
    return student_erase(student_id=student.pk, actor=actor, request=request, reason="verzoek van de jongere")


@transaction.atomic
def correction_request_record(*, student: Student, request, what: str) -> None:
    """The young person asked to correct data (AVG art. 16). The request is kept on the
    student's timeline (erased with the record); the access log says only that it happened."""
    timeline_add(
        student=student,
        event="correction_requested",
        data={"what": what[:300]},
        actor=request.user,
    )
    access_log(request=request, action=Action.CHANGE, student=student, detail="correctieverzoek vastgelegd")


HOLD_PLACED = "bewaarplicht vastgelegd"
HOLD_LIFTED = "bewaarplicht opgeheven"


@transaction.atomic
def legal_hold_place(*, student: Student, reason: str, request) -> None:
    """Keep a record from erasure (a complaint, a court case): the nightly sweep and an erasure
    request pass it by until the hold is lifted. The access log keeps who, when and why."""
    student = Student.objects.select_for_update().get(pk=student.pk, erased_at__isnull=True)
    if student.legal_hold_at is not None:
        return
    student.legal_hold_reason = reason.strip()
    student.legal_hold_at = timezone.now()
    student.save(update_fields=["legal_hold_reason", "legal_hold_at", "updated_at"])
    timeline_add(student=student, event="legal_hold_placed", actor=request.user)
    access_log(request=request, action=Action.CHANGE, student=student, detail=f"{HOLD_PLACED}: {reason.strip()}")


@transaction.atomic
def legal_hold_lift(*, student: Student, reason: str, request, today: dt.date | None = None) -> dt.date | None:
    """Lift a hold. A date that passed while the record was held moves to a full notice period
    from today: the record is never erased the night after its hold is lifted. Returns the date."""
    student = Student.objects.select_for_update().get(pk=student.pk, erased_at__isnull=True)
    if student.legal_hold_at is None:
        return student.erase_after
    today = today or timezone.localdate()
    student.legal_hold_reason = ""
    student.legal_hold_at = None
    fields = ["legal_hold_reason", "legal_hold_at", "updated_at"]
    if student.erase_after is not None and student.erase_after < today + notice_days():
        student.erase_after = today + notice_days()
        student.erase_noticed_on = today
        fields += ["erase_after", "erase_noticed_on"]
    student.save(update_fields=fields)
    timeline_add(student=student, event="legal_hold_lifted", actor=request.user)
    access_log(request=request, action=Action.CHANGE, student=student, detail=f"{HOLD_LIFTED}: {reason.strip()}")
    return student.erase_after
