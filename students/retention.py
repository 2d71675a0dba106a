"""When a young person's record is due for erasure (AVG art. 5(1)(e): storage limitation).

The erasure date is the earliest of these moments plus its configured period:
- the coaching trajectory was closed                  + KWINT_RETENTION_DAYS_AFTER_CLOSE
- two years after the diploma (the follow-up ended)    + KWINT_RETENTION_DAYS_AFTER_CLOSE
- consent was withdrawn and none is given any more      + KWINT_RETENTION_DAYS_AFTER_WITHDRAWAL
- the young person left school (diploma or not) and no consent for contact or sharing was given:
  the school handover lapsed                            + KWINT_RETENTION_DAYS_WITHOUT_CONSENT
A student still at school has no date: the school's own student administration applies.

The consent capability sets the withdrawal date at once; the nightly sweep (privacy.tasks)
recomputes every date with the rules above, which give the same date for a withdrawal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from students.models import CurrentConsent, Outcome, Purpose, Status, Student

# Purposes whose consent lets someone outside the school follow the young person.
FOLLOW_UP_PURPOSES = (Purpose.CONTACT, Purpose.SHARING)

REASON_CLOSED = "closed"
REASON_TWO_YEARS = "two_years"
REASON_WITHDRAWN = "withdrawn"
REASON_NO_CONSENT = "no_consent"
REASON_LABELS = {
    REASON_CLOSED: _("traject afgesloten"),
    REASON_TWO_YEARS: _("twee jaar na het diploma"),
    REASON_WITHDRAWN: _("toestemming ingetrokken"),
    REASON_NO_CONSENT: _("school verlaten zonder toestemming voor overdracht"),
}


@dataclass(frozen=True)
class Retention:
    erase_after: dt.date | None
    reason: str = ""

    @property
    def reason_label(self) -> str:
        return str(REASON_LABELS.get(self.reason, ""))


def _two_years_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 2)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 2, day=28)


def _trajectory_closed_subquery():
    """Latest closing moment of a coaching trajectory, if the coaching app has one. Looked up by
    name so this lower layer does not import the coaching app."""
    try:
        model = apps.get_model("coaching", "Trajectory")
    except LookupError:
        return None
    field_names = {f.name for f in model._meta.get_fields()}
    if "closed_at" not in field_names or "student" not in field_names:
        return None
    return (
        model.objects.filter(student=OuterRef("pk"), closed_at__isnull=False)
        .values("student")
        .annotate(last=Max("closed_at"))
        .values("last")[:1]
    )


def with_retention_facts(students: QuerySet[Student]) -> QuerySet[Student]:
    """Annotate what the rules need, in one query whatever the number of students."""
    given = CurrentConsent.objects.filter(student=OuterRef("pk"), purpose__in=FOLLOW_UP_PURPOSES, status=Status.GIVEN)
    withdrawn = (
        CurrentConsent.objects.filter(student=OuterRef("pk"), purpose__in=FOLLOW_UP_PURPOSES, status=Status.WITHDRAWN)
        .values("student")
        .annotate(last=Max("changed_at"))
        .values("last")[:1]
    )
    annotated = students.annotate(ret_consent_given=Exists(given), ret_withdrawn_at=withdrawn)
    closed = _trajectory_closed_subquery()
    if closed is not None:
        annotated = annotated.annotate(ret_closed_at=closed)
    return annotated


def _local_date(moment) -> dt.date:
    return timezone.localdate(moment) if isinstance(moment, dt.datetime) else moment


def retention_for(student: Student) -> Retention:
    """The erasure date of one student annotated by `with_retention_facts`."""
    if student.outcome == Outcome.STUDYING:
        return Retention(None)
    after_close = dt.timedelta(days=settings.KWINT_RETENTION_DAYS_AFTER_CLOSE)
    candidates: list[tuple[dt.date, str]] = []
    closed_at = getattr(student, "ret_closed_at", None)
    if closed_at:
        candidates.append((_local_date(closed_at) + after_close, REASON_CLOSED))
    if student.outcome == Outcome.DIPLOMA and student.outcome_date:
        candidates.append((_two_years_after(student.outcome_date) + after_close, REASON_TWO_YEARS))
    if not student.ret_consent_given:
        if student.ret_withdrawn_at:
            days = dt.timedelta(days=settings.KWINT_RETENTION_DAYS_AFTER_WITHDRAWAL)
            candidates.append((_local_date(student.ret_withdrawn_at) + days, REASON_WITHDRAWN))
        left_on = student.outcome_date or student.expected_diploma_date
        if left_on:
            days = dt.timedelta(days=settings.KWINT_RETENTION_DAYS_WITHOUT_CONSENT)
            candidates.append((left_on + days, REASON_NO_CONSENT))
    if not candidates:
        return Retention(None)
    day, reason = min(candidates)
    return Retention(day, reason)


def student_retention(student: Student) -> Retention:
    """The erasure date and its reason for one student (two small queries)."""
    annotated = with_retention_facts(Student.objects.filter(pk=student.pk)).first()
    return retention_for(annotated) if annotated else Retention(None)


def retention_refresh(*, students: QuerySet[Student] | None = None, batch_size: int = 2000) -> int:
    """Recompute erase_after for every not-yet-erased student; returns how many changed.
    Only changed rows are written, so running it twice writes nothing the second time."""
    queryset = with_retention_facts((students if students is not None else Student.objects.all()).active())
    changed: list[Student] = []
    count = 0
    for student in queryset.only("pk", "outcome", "outcome_date", "expected_diploma_date", "erase_after").iterator(
        chunk_size=batch_size
    ):
        day = retention_for(student).erase_after
        if day != student.erase_after:
            student.erase_after = day
            changed.append(student)
        if len(changed) >= batch_size:
            Student.objects.bulk_update(changed, ["erase_after"])
            count += len(changed)
            changed = []
    if changed:
        Student.objects.bulk_update(changed, ["erase_after"])
        count += len(changed)
    return count
