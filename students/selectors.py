"""Scoped reads of students. Visibility always starts from `students.access`."""

from __future__ import annotations

import datetime as dt

from django.db.models import DateTimeField, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Membership, Role
from students.access import students_visible_to
from students.models import CurrentConsent, Handover, Purpose, Status, Student, TimelineEvent


def has_consent(student, purpose: str) -> bool:
    """Does the young person's consent for `purpose` stand right now?"""
    return CurrentConsent.objects.filter(student=student, purpose=purpose, status=Status.GIVEN).exists()


# Answers to the contact purpose that mean "do not contact me": a refusal or a withdrawal.
NO_CONTACT_STATUSES = (Status.REFUSED, Status.WITHDRAWN)


def _no_contact_answers(student_ref: str) -> QuerySet[CurrentConsent]:
    return CurrentConsent.objects.filter(
        student=OuterRef(student_ref), purpose=Purpose.CONTACT, status__in=NO_CONTACT_STATUSES
    )


def contact_declined(student_ref: str = "pk") -> Exists:
    """THE predicate "geen contact gewenst": the young person refused or withdrew consent for
    contact. The schedule (no check-in due), the reminder sweep (no reminders), the caseload
    (shown apart) and contact logging (no outreach) all filter on it, so a withdrawal takes
    effect everywhere in the same transaction and giving consent again undoes it. An indexed
    EXISTS on the current-consent projection: one subquery, whatever the number of students.
    `student_ref` names the student column from the outer query (e.g. "trajectory__student")."""
    return Exists(_no_contact_answers(student_ref))


def contact_declined_since(student_ref: str = "pk") -> Subquery:
    """When contact was refused or withdrawn (None when it was not): for the caseload's date."""
    return Subquery(_no_contact_answers(student_ref).values("changed_at")[:1], output_field=DateTimeField())


def contact_declined_at(student) -> dt.datetime | None:
    """The same predicate for one student: the moment contact was declined, or None."""
    return (
        CurrentConsent.objects.filter(student=student, purpose=Purpose.CONTACT, status__in=NO_CONTACT_STATUSES)
        .values_list("changed_at", flat=True)
        .first()
    )


def student_list(membership: Membership) -> QuerySet[Student]:
    """The visible students with, per row, the sharing-consent state and the latest handover
    state as subqueries: one query for the whole page, whatever its length."""
    consent = CurrentConsent.objects.filter(student=OuterRef("pk"), purpose=Purpose.SHARING).values("status")[:1]
    handover = Handover.objects.filter(student=OuterRef("pk")).order_by("-created_at", "-id").values("status")[:1]
    return (
        students_visible_to(membership)
        .select_related("school", "coach", "guiding_organisation", "municipality")
        .annotate(sharing_consent=Subquery(consent), handover_state=Subquery(handover))
    )


def student_timeline(student: Student) -> QuerySet[TimelineEvent]:
    return student.timeline.select_related("actor")


def handovers_incoming(membership: Membership) -> QuerySet[Handover]:
    """Handovers offered to this membership: to its organisation (coordinator) or to the user
    by name (coach). Mirrors `students.access._offered_to`, which makes the students visible."""
    offered = Handover.objects.filter(status=Handover.Status.OFFERED, student__erased_at__isnull=True)
    if membership.role == Role.COORDINATOR:
        offered = offered.filter(to_organisation=membership.organisation)
    elif membership.role == Role.COACH:
        offered = offered.filter(to_coach=membership.user)
    else:
        return offered.none()
    # Consent may have been withdrawn since the offer: then the receiver may no longer see it.
    visible = students_visible_to(membership).values("pk")
    return (
        offered.filter(student__in=visible)
        .select_related("student", "to_organisation", "to_coach", "offered_by", "student__school")
        .order_by("offered_at")
    )


def handover_for_receiver(membership: Membership, code) -> Handover | None:
    return handovers_incoming(membership).filter(code=code).first()


def handover_decisions_recent(membership: Membership, days: int = 30) -> QuerySet[Handover]:
    """Decisions on handovers this user offered, for their start page."""
    since = timezone.now() - dt.timedelta(days=days)
    return (
        Handover.objects.filter(
            offered_by=membership.user,
            student__school=membership.organisation,
            decided_at__gte=since,
            student__erased_at__isnull=True,
        )
        .filter(Q(status=Handover.Status.ACCEPTED) | Q(status=Handover.Status.DECLINED))
        .select_related("student", "to_organisation", "decided_by")
        .order_by("-decided_at")
    )
