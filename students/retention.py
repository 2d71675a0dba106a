"""When a young person's record is due for erasure (AVG art. 5(1)(e): storage limitation).

The erasure date is the earliest of these moments plus its configured period:
- the coaching trajectory was closed                  + KWINT_RETENTION_DAYS_AFTER_CLOSE
- two years after the diploma (the follow-up ended)    + KWINT_RETENTION_DAYS_AFTER_CLOSE
- consent was withdrawn and none is given any more      + KWINT_RETENTION_DAYS_AFTER_WITHDRAWAL
- the young person left school (diploma or not) and no consent for contact or sharing was given:
  the school handover lapsed                            + KWINT_RETENTION_DAYS_WITHOUT_CONSENT
A student still at school has no date: the school's own student administration applies.

The consent capability sets the withdrawal date at once, closing a trajectory sets its date at
once (`retention_update`); the nightly sweep (privacy.tasks) recomputes every date with the
rules above, which give the same dates.

Never a surprise: a date is shown (on the record, in the erasure preview) for at least
KWINT_ERASURE_NOTICE_DAYS before the record goes. A first date, or a date earlier than the one
shown, is therefore never sooner than that many days from today (`with_notice`); a later date
is no surprise and is taken as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db.models import Exists, Max, OuterRef, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from students.models import CurrentConsent, EraseReason, Outcome, Purpose, Status, Student

# Purposes whose consent lets someone outside the school follow the young person.
FOLLOW_UP_PURPOSES = (Purpose.CONTACT, Purpose.SHARING)

REASON_CLOSED = EraseReason.CLOSED.value
REASON_TWO_YEARS = EraseReason.TWO_YEARS.value
REASON_WITHDRAWN = EraseReason.WITHDRAWN.value
REASON_NO_CONSENT = EraseReason.NO_CONSENT.value
REASON_LABELS = dict(EraseReason.choices)

# The rule behind each date, in plain Dutch, for the record and the close form.
REASON_RULES = {
    REASON_CLOSED: _("de begeleiding is afgesloten, en daarna bewaren we de gegevens nog %(days)s dagen"),
    REASON_TWO_YEARS: _(
        "de begeleiding stopt twee jaar na het diploma, en daarna bewaren we de gegevens nog %(days)s dagen"
    ),
    REASON_WITHDRAWN: _("de toestemming is ingetrokken, en daarna bewaren we de gegevens nog %(days)s dagen"),
    REASON_NO_CONSENT: _(
        "de jongere heeft de school verlaten zonder toestemming voor begeleiding daarna, en dan bewaren we de "
        "gegevens nog %(days)s dagen"
    ),
}


def _rule_days(reason: str) -> int:
    if reason == REASON_WITHDRAWN:
        return settings.KWINT_RETENTION_DAYS_AFTER_WITHDRAWAL
    if reason == REASON_NO_CONSENT:
        return settings.KWINT_RETENTION_DAYS_WITHOUT_CONSENT
    return settings.KWINT_RETENTION_DAYS_AFTER_CLOSE


def reason_rule(reason: str) -> str:
    """The rule that set a date, as a Dutch clause ("de begeleiding is afgesloten, ...")."""
    rule = REASON_RULES.get(reason)
    return str(rule) % {"days": _rule_days(reason)} if rule else ""


@dataclass(frozen=True)
class Retention:
    erase_after: dt.date | None
    reason: str = ""

    @property
    def reason_label(self) -> str:
        return str(REASON_LABELS.get(self.reason, ""))

    @property
    def rule(self) -> str:
        return reason_rule(self.reason)


def notice_days() -> dt.timedelta:
    return dt.timedelta(days=settings.KWINT_ERASURE_NOTICE_DAYS)


def with_notice(
    rule_day: dt.date | None, shown: dt.date | None, noticed_on: dt.date | None, today: dt.date
) -> tuple[dt.date | None, dt.date | None]:
    """The date to show, and since when it is shown, given the rules' date and the date shown now.

    A first date, or one earlier than the date shown, lies at least the notice period from today
    (but never later than the date shown); a later date, or the same, keeps its notice."""
    if rule_day is None:
        return None, None
    if shown is None:
        return max(rule_day, today + notice_days()), today
    if rule_day >= shown:
        return rule_day, noticed_on or today
    day = max(rule_day, min(shown, today + notice_days()))
    return day, (today if day < shown else noticed_on or today)


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
        open_now = apps.get_model("coaching", "Trajectory").objects.filter(
            student=OuterRef("pk"), closed_at__isnull=True
        )
        annotated = annotated.annotate(ret_closed_at=closed, ret_guided=Exists(open_now))
    else:
        annotated = annotated.annotate(ret_guided=Value(False))
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
    # A closed trajectory counts only while no other one is open (a new handover, a reopening).
    if closed_at and not getattr(student, "ret_guided", False):
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


def retention_update(student: Student, *, today: dt.date | None = None) -> Retention:
    """Recompute and store one student's date now (after a close, a reopening, a withdrawal), with
    the notice rule. Returns the date in force and its reason."""
    today = today or timezone.localdate()
    annotated = with_retention_facts(Student.objects.filter(pk=student.pk)).first()
    if annotated is None:
        return Retention(None)
    rule = retention_for(annotated)
    day, noticed = with_notice(rule.erase_after, annotated.erase_after, annotated.erase_noticed_on, today)
    reason = rule.reason if day else ""
    values = {"erase_after": day, "erase_reason": reason, "erase_noticed_on": noticed}
    if any(getattr(annotated, k) != v for k, v in values.items()):
        Student.objects.filter(pk=student.pk).update(**values)
    for name, value in values.items():
        setattr(student, name, value)
    return Retention(day, reason)


def retention_if_closed_now(student: Student, *, today: dt.date | None = None) -> Retention:
    """The date closing the open trajectory now would set (for the close form)."""
    today = today or timezone.localdate()
    annotated = with_retention_facts(Student.objects.filter(pk=student.pk)).first()
    if annotated is None:
        return Retention(None)
    annotated.ret_closed_at = timezone.now()
    annotated.ret_guided = False
    rule = retention_for(annotated)
    day, _noticed = with_notice(rule.erase_after, annotated.erase_after, annotated.erase_noticed_on, today)
    return Retention(day, rule.reason if day else "")


def retention_refresh(
    *, students: QuerySet[Student] | None = None, batch_size: int = 2000, today: dt.date | None = None
) -> int:
    """Recompute erase_after for every not-yet-erased student, with the notice rule; returns how
    many changed. Only changed rows are written, so running it twice writes nothing the second time."""
    today = today or timezone.localdate()
    fields = ["erase_after", "erase_reason", "erase_noticed_on"]
    queryset = with_retention_facts((students if students is not None else Student.objects.all()).active())
    changed: list[Student] = []
    count = 0
    for student in queryset.only("pk", "outcome", "outcome_date", "expected_diploma_date", *fields).iterator(
        chunk_size=batch_size
    ):
        rule = retention_for(student)
        day, noticed = with_notice(rule.erase_after, student.erase_after, student.erase_noticed_on, today)
        values = (day, rule.reason if day else "", noticed)
        if values != (student.erase_after, student.erase_reason, student.erase_noticed_on):
            student.erase_after, student.erase_reason, student.erase_noticed_on = values
            changed.append(student)
        if len(changed) >= batch_size:
            Student.objects.bulk_update(changed, fields)
            count += len(changed)
            changed = []
    if changed:
        Student.objects.bulk_update(changed, fields)
        count += len(changed)
    return count
