"""The one access module for young people's records.

Every list, page, export, dashboard row and reminder asks here which students a membership
may see (`students_visible_to`) and fetches a single record through one door
(`get_student_for`). Consent decides access for organisations other than the school: the
check is an indexed EXISTS on the current-consent projection, so it costs one subquery,
whatever the number of students.
"""

from __future__ import annotations

import enum

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import Membership, Organisation, Role
from accounts.selectors import organisations_managed_by
from audit.middleware import pending_change
from audit.models import Action, Result
from audit.services import access_log
from students.models import CurrentConsent, Handover, Purpose, Status, Student, StudentShare


class Perm(enum.Enum):
    VIEW = "view"
    EDIT = "edit"  # personal data, programme, handover
    CONSENT = "consent"  # record consent answers on the student's behalf
    LOG_CONTACT = "log_contact"  # contacts, situation, support actions
    ASSIGN = "assign"  # assign or move the coach
    PRIVACY = "privacy"  # inzage, correction and erasure requests, access log


def purpose_for_organisation(organisation: Organisation) -> str | None:
    """Which consent purpose lets this organisation see a student. None: no consent needed
    (the school keeps its own view of its own students)."""
    if organisation.kind == Organisation.Kind.SCHOOL:
        return None
    if organisation.kind in {Organisation.Kind.WSP, Organisation.Kind.UWV}:
        return Purpose.MATCHTAFEL
    return Purpose.SHARING


def consent_active(purpose: str, student_ref: str = "pk") -> Exists:
    return Exists(CurrentConsent.objects.filter(student=OuterRef(student_ref), purpose=purpose, status=Status.GIVEN))


def _offered_to(membership: Membership) -> Exists:
    handovers = Handover.objects.filter(student=OuterRef("pk"), status=Handover.Status.OFFERED)
    if membership.role == Role.COORDINATOR:
        return Exists(handovers.filter(to_organisation=membership.organisation))
    return Exists(handovers.filter(to_coach=membership.user))


def students_visible_to(membership: Membership | None) -> QuerySet[Student]:
    """Every student this membership may see. Erased records are never visible."""
    students = Student.objects.active()
    if membership is None or not membership.is_active:
        return students.none()
    org = membership.organisation
    user = membership.user
    role = membership.role

    if org.kind == Organisation.Kind.SCHOOL:
        if role in {Role.ZORGCOORDINATOR, Role.COORDINATOR}:
            return students.filter(school=org)
        if role == Role.COACH:
            return students.filter(school=org).filter(Q(coach=user) | _offered_to(membership))
        if role == Role.STAGIAIR:
            return students.filter(school=org).filter(
                Exists(StudentShare.objects.filter(student=OuterRef("pk"), user=user))
            )
        return students.none()

    purpose = purpose_for_organisation(org)
    if role == Role.COORDINATOR:
        if org.kind == Organisation.Kind.RMC:
            scope = Q(region=org.region_id) | Q(guiding_organisation=org)
        elif org.kind == Organisation.Kind.GEMEENTE and org.municipality_id:
            scope = Q(municipality=org.municipality_id) | Q(guiding_organisation=org)
        else:
            scope = Q(guiding_organisation=org)
        return students.filter(scope | _offered_to(membership)).filter(consent_active(purpose))
    if role == Role.COACH:
        scope = Q(guiding_organisation=org, coach=user) | _offered_to(membership)
        return students.filter(scope).filter(consent_active(purpose))
    if role == Role.STAGIAIR:
        shared = Exists(StudentShare.objects.filter(student=OuterRef("pk"), user=user))
        return students.filter(shared, guiding_organisation=org).filter(consent_active(purpose))
    # Matchtafel partners see only students discussed at a Matchtafel (a later capability);
    # the beheerder manages organisations and texts, never young people's records.
    return students.none()


def students_counted_for(membership: Membership | None) -> QuerySet[Student]:
    """The students whose facts may count in this membership's aggregates (dashboards, the
    national overview): those it may see; for the national analyst, every young person who
    agreed to sharing with RMC / gemeente, as counts only (the analyst never opens a record)."""
    if membership is not None and membership.is_active and membership.role == Role.ANALYST:
        return Student.objects.active().filter(consent_active(Purpose.SHARING))
    return students_visible_to(membership)


def students_consent_scope(membership: Membership | None) -> QuerySet[Student]:
    """For counting consent answers only: the students in this membership's scope whatever
    their answer. A refusal or a withdrawal hides the record, but a region must still count
    how many said no. Never for anything but suppressed aggregates."""
    students = Student.objects.active()
    if membership is None or not membership.is_active:
        return students.none()
    org = membership.organisation
    role = membership.role
    if role == Role.ANALYST:
        return students
    if org.kind == Organisation.Kind.SCHOOL:
        if role in {Role.ZORGCOORDINATOR, Role.COORDINATOR}:
            return students.filter(school=org)
        if role == Role.COACH:
            return students.filter(school=org, coach=membership.user)
        return students.none()
    if role == Role.COORDINATOR:
        if org.kind == Organisation.Kind.RMC:
            return students.filter(Q(region=org.region_id) | Q(guiding_organisation=org))
        if org.kind == Organisation.Kind.GEMEENTE and org.municipality_id:
            return students.filter(Q(municipality=org.municipality_id) | Q(guiding_organisation=org))
        return students.filter(guiding_organisation=org)
    if role == Role.COACH:
        return students.filter(guiding_organisation=org, coach=membership.user)
    return students.none()


def students_in_erasure_care_of(membership: Membership | None) -> QuerySet[Student]:
    """The functioneel beheerder's narrow window for the erasure preview and the legal hold: the
    records of the organisations they manage (as school or as guide) that carry an erasure date
    or a hold. Never the record itself: the beheerder sees name, school and date, nothing more."""
    if membership is None or not membership.is_active or membership.role != Role.BEHEERDER:
        return Student.objects.none()
    orgs = organisations_managed_by(membership).values("pk")
    return (
        Student.objects.active()
        .filter(Q(school__in=orgs) | Q(guiding_organisation__in=orgs))
        .filter(Q(erase_after__isnull=False) | Q(legal_hold_at__isnull=False))
    )


def has_perm(membership: Membership | None, student: Student, perm: Perm) -> bool:
    """May this membership do `perm` on a student it can already see?"""
    if membership is None:
        return False
    role = membership.role
    org_id = membership.organisation_id
    user_id = membership.user_id
    is_school = student.school_id == org_id
    guides = student.guiding_organisation_id == org_id
    is_coach = student.coach_id == user_id and (is_school or guides)
    if perm == Perm.VIEW:
        return True
    if perm == Perm.EDIT:
        return (is_school and role == Role.ZORGCOORDINATOR) or (is_coach and role == Role.COACH)
    if perm == Perm.CONSENT:
        return (is_school and role == Role.ZORGCOORDINATOR) or (is_coach and role == Role.COACH)
    if perm == Perm.LOG_CONTACT:
        return (role == Role.COACH and is_coach) or role == Role.STAGIAIR or (role == Role.COORDINATOR and guides)
    if perm == Perm.ASSIGN:
        # Only between one's own coaches: a student guided by another organisation (the
        # school's student now with RMC) moves by a new handover, never by reassignment.
        unguided_or_ours = student.guiding_organisation_id in (None, org_id)
        return unguided_or_ours and (role == Role.COORDINATOR or (role == Role.ZORGCOORDINATOR and is_school))
    if perm == Perm.PRIVACY:
        return (role == Role.ZORGCOORDINATOR and is_school) or (role == Role.COORDINATOR and guides)
    return False


def get_student_for(request, code, perm: Perm = Perm.VIEW, *, log: bool = True) -> Student:
    """The one door to a single student: 404 if the active membership may not see it, 403 if
    it may see but not do `perm`. Every outcome is written to the access log."""
    membership = getattr(request, "membership", None)
    student = (
        students_visible_to(membership).select_related("school", "municipality", "region").filter(code=code).first()
    )
    # A view is a view, a change is a change: opening a form (GET) changes nothing, so it is
    # logged as viewed, whatever the permission the form needs; a submit is the change.
    changes = perm != Perm.VIEW and request.method not in {"GET", "HEAD", "OPTIONS"}
    action = Action.CHANGE if changes else Action.VIEW
    if student is None:
        if log:
            exists = Student.objects.filter(code=code).values_list("code", flat=True).first()
            access_log(
                request=request,
                action=action,
                result=Result.NOT_FOUND if exists is None else Result.DENIED,
                object_type="student",
                object_code=str(code),
                student_code=exists,
                detail=perm.value,
            )
        raise Http404
    if not has_perm(membership, student, perm):
        if log:
            access_log(request=request, action=action, result=Result.DENIED, student=student, detail=perm.value)
        raise PermissionDenied(f"may see the student but not {perm.value}")
    # A submit is logged after the view (audit.middleware), as a change only if it changed something.
    deferred = log and action == Action.CHANGE and pending_change(request, student=student, detail=perm.value)
    if log and not deferred:
        access_log(request=request, action=action, student=student, detail=perm.value)
    return student
