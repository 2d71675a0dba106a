"""Reads of consent state: what applies to a student, what the panel shows, dashboard counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Membership, Organisation, Region, Role
from consent.models import ConsentRecord, ConsentText, CurrentConsent, Purpose, Status
from students.models import Student

# Purposes that let someone outside the school guide the young person. When all are refused
# or withdrawn (and the student has left school) nobody may follow them: the record is due
# for erasure after the retention period.
GUIDING_PURPOSES = (Purpose.CONTACT, Purpose.SHARING)


def active_purposes(student) -> set[str]:
    """The purposes this student's consent currently covers."""
    return set(CurrentConsent.objects.filter(student=student, status=Status.GIVEN).values_list("purpose", flat=True))


def age_on(date_of_birth: dt.date | None, day: dt.date) -> int | None:
    if date_of_birth is None:
        return None
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def needs_representative(student, day: dt.date) -> bool:
    """Under 16 on the day of asking, a parent or guardian answers (AVG art. 8, UAVG art. 5)."""
    age = age_on(student.date_of_birth, day)
    return age is not None and age < 16


def is_adult(student, day: dt.date | None = None) -> bool:
    age = age_on(student.date_of_birth, day or timezone.localdate())
    return age is not None and age >= 18


def applicable_texts(student, day: dt.date | None = None) -> dict[str, ConsentText]:
    """Per purpose, the text a student is shown today: the school's own text if it has one,
    else the region's; the latest published version already in effect. One query."""
    day = day or timezone.localdate()
    candidates = (
        ConsentText.objects.filter(region=student.region_id, published_at__isnull=False, effective_from__lte=day)
        .filter(Q(school__isnull=True) | Q(school=student.school_id))
        .order_by("purpose", "-version")
    )
    school_texts: dict[str, ConsentText] = {}
    region_texts: dict[str, ConsentText] = {}
    for text in candidates:
        bucket = school_texts if text.school_id else region_texts
        bucket.setdefault(text.purpose, text)
    result = {}
    for purpose in Purpose.values:
        text = school_texts.get(purpose) or region_texts.get(purpose)
        if text is not None:
            result[purpose] = text
    return result


@dataclass
class PurposeState:
    purpose: str
    label: str
    current: CurrentConsent | None

    @property
    def record(self) -> ConsentRecord | None:
        return self.current.record if self.current else None

    @property
    def is_given(self) -> bool:
        return self.current is not None and self.current.status == Status.GIVEN


def consent_states(student) -> list[PurposeState]:
    """Every purpose with its current answer (or none yet), for the student page. One query."""
    current = {
        c.purpose: c
        for c in CurrentConsent.objects.filter(student=student).select_related("record", "record__recorded_by")
    }
    return [PurposeState(purpose=p.value, label=p.label, current=current.get(p.value)) for p in Purpose]


def renewal_due(student, states: list[PurposeState], day: dt.date | None = None) -> bool:
    """A parent or guardian answered and the young person is 18 now: ask them to renew."""
    age = age_on(student.date_of_birth, day or timezone.localdate())
    if age is None or age < 18:
        return False
    return any(
        s.is_given and s.record.given_by != ConsentRecord.GivenBy.STUDENT for s in states if s.record is not None
    )


# A renewal is "due soon" this many days before the 18th birthday: the coach can prepare.
RENEWAL_NOTICE_DAYS = 31
GUARDIAN_ANSWERS = (ConsentRecord.GivenBy.PARENT, ConsentRecord.GivenBy.GUARDIAN)


def born_on_or_before_for_18(day: dt.date) -> dt.date:
    """The latest date of birth of someone who is 18 on `day` (29 February counts as 1 March)."""
    try:
        return day.replace(year=day.year - 18)
    except ValueError:
        return day.replace(year=day.year - 18, day=28)


def eighteenth_birthday(date_of_birth: dt.date) -> dt.date:
    try:
        return date_of_birth.replace(year=date_of_birth.year + 18)
    except ValueError:  # 29 February
        return dt.date(date_of_birth.year + 18, 3, 1)


def renewal_open(until: dt.date, student_ref: str = "pk") -> Exists:
    """A parent's or guardian's consent is still in force for a young person who is 18 on
    `until` or before: they must answer themselves (open now, or due by then)."""
    return Exists(
        CurrentConsent.objects.filter(
            student=OuterRef(student_ref),
            status=Status.GIVEN,
            record__given_by__in=GUARDIAN_ANSWERS,
            student__date_of_birth__lte=born_on_or_before_for_18(until),
        )
    )


def renewals_open(students: QuerySet[Student], today: dt.date | None = None) -> QuerySet[Student]:
    """Of `students` (already scoped by the access module), those whose renewal is open or due
    within RENEWAL_NOTICE_DAYS, with the purposes a parent or guardian answered: one query."""
    today = today or timezone.localdate()
    until = today + dt.timedelta(days=RENEWAL_NOTICE_DAYS)
    guardian_given = Q(current_consents__status=Status.GIVEN) & Q(
        current_consents__record__given_by__in=GUARDIAN_ANSWERS
    )
    return (
        students.filter(renewal_open(until))
        .annotate(parent_purposes=ArrayAgg("current_consents__purpose", filter=guardian_given, distinct=True))
        .order_by("date_of_birth", "last_name", "pk")
    )


def with_renewal_dates(students, today: dt.date | None = None) -> list:
    """Each student with `turns_18` (the date) and `renewal_overdue` (already 18)."""
    today = today or timezone.localdate()
    rows = list(students)
    for s in rows:
        s.turns_18 = eighteenth_birthday(s.date_of_birth)
        s.renewal_overdue = s.turns_18 <= today
        s.parent_purpose_labels = [str(Purpose(p).label) for p in (getattr(s, "parent_purposes", None) or [])]
    return rows


def consent_history(student) -> QuerySet[ConsentRecord]:
    return student.consent_records.select_related("text", "recorded_by").order_by("-answered_at", "-id")


def texts_region_for(membership: Membership) -> Region:
    return membership.organisation.region


def texts_for_beheerder(membership: Membership) -> QuerySet[ConsentText]:
    """The texts a beheerder manages: their region's, including school-specific texts of the
    region's schools. Anyone else manages none."""
    if membership is None or membership.role != Role.BEHEERDER:
        return ConsentText.objects.none()
    return ConsentText.objects.filter(region=membership.organisation.region_id).select_related("school")


def schools_for_beheerder(membership: Membership) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        region=membership.organisation.region_id, kind=Organisation.Kind.SCHOOL, is_active=True
    )


def consent_counts(
    region: Region, group_by: tuple[str, ...] = ("school", "programme_name"), purpose: str = Purpose.SHARING
) -> list[dict]:
    """Per group (school, programme, ...): students, and how many were asked, gave, refused
    and withdrew consent for `purpose`. One grouped query over the indexed region column and
    the current-consent projection; small-number suppression is the caller's job."""
    fields = [{"school": "school__name", "municipality": "municipality__name"}.get(g, g) for g in group_by]
    rows = (
        Student.objects.active()
        .filter(region=region)
        .annotate(cc=FilteredRelation("current_consents", condition=Q(current_consents__purpose=purpose)))
        .values(*fields)
        .annotate(
            total=Count("pk"),
            asked=Count("cc__id"),
            given=Count("cc__id", filter=Q(cc__status=Status.GIVEN)),
            refused=Count("cc__id", filter=Q(cc__status=Status.REFUSED)),
            withdrawn=Count("cc__id", filter=Q(cc__status=Status.WITHDRAWN)),
        )
        .order_by(*fields)
    )
    result = []
    for row in rows:
        out = {g: row[f] for g, f in zip(group_by, fields, strict=True)}
        out.update({k: row[k] for k in ("total", "asked", "given", "refused", "withdrawn")})
        result.append(out)
    return result
