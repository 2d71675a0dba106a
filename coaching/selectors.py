"""Scoped reads for coaching. Visibility always starts from `students.access`; every list is
annotated with correlated subqueries so its query count does not grow with the caseload."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Membership, Organisation, Role
from coaching.models import CheckIn, Contact, FollowUpPlan, SituationRecord, SupportAction, Trajectory
from consent.selectors import renewals_open, with_renewal_dates
from students.access import students_visible_to
from students.models import Student
from students.selectors import contact_declined, contact_declined_at, contact_declined_since

# Columns an app above coaching adds to the caseload, computed in the same SELECT (name ->
# function returning an expression on Student). The self check-in registers its state here
# (checkins.selectors), so coaching never imports the apps built on it.
CASELOAD_COLUMNS: dict[str, Callable[[], Any]] = {}

CASELOAD_FILTERS = ("aandacht", "week", "stil", "alle")
CASELOAD_SORTS = ("aandacht", "naam", "laatste_contact", "volgend")
# No contact for this long counts as "stil" (quiet): someone may be slipping out of view.
QUIET_DAYS = 60


def _count(queryset, field: str):
    return Coalesce(Subquery(queryset.order_by().values(field).annotate(n=Count("pk")).values("n")[:1]), 0)


def _open_checkins():
    """A student's planned check-ins in their open trajectory (one open trajectory at most).

    The trajectory is looked up first (its own subquery, not a join), so the check-ins come
    straight from the (trajectory, status, due_date) index in date order: the first one is
    the next, with no sort."""
    trajectory = (
        Trajectory.objects.filter(student=OuterRef(OuterRef("pk")), closed_at__isnull=True).order_by().values("pk")[:1]
    )
    return CheckIn.objects.filter(trajectory=Subquery(trajectory), status=CheckIn.Status.PLANNED)


def annotate_coaching(students: QuerySet[Student]) -> QuerySet[Student]:
    """Last contact, last reached, next check-in, current situation and open support actions,
    each a correlated subquery in the one SELECT.

    Each is written once in the select list: ordering by an annotation refers to its column,
    and the filters below use their own EXISTS, so no subquery is repeated. Sorted and sliced
    (a page), PostgreSQL evaluates only the sort column for every student and the other
    columns for the rows of the page alone (it postpones costly select-list expressions past
    ORDER BY ... LIMIT)."""
    # Values only, so no tie-break on id: each subquery then reads the first entry of its index
    # (contact: student, -at; check-in: trajectory, status, due_date) instead of sorting them all.
    contacts = Contact.objects.filter(student=OuterRef("pk")).order_by("-at")
    next_checkin = _open_checkins().order_by("due_date")
    situation = SituationRecord.objects.filter(student=OuterRef("pk")).order_by("-date", "-id")
    actions = SupportAction.objects.filter(student=OuterRef("pk"), status__in=SupportAction.OPEN_STATUSES)
    return students.annotate(
        last_contact_at=Subquery(contacts.values("at")[:1], output_field=DateTimeField()),
        last_reached_at=Subquery(contacts.filter(reached=True).values("at")[:1], output_field=DateTimeField()),
        next_due=Subquery(next_checkin.values("due_date")[:1]),
        # The flag of that same check-in; the tie-break makes the choice between two on one day
        # stable (read for the rows of a page only).
        next_is_measurement=Subquery(next_checkin.order_by("due_date", "id").values("is_measurement")[:1]),
        situation_kind=Subquery(situation.values("kind")[:1]),
        open_actions=_count(actions, "student"),
    )


def due_by(day: dt.date) -> Exists:
    """The student has a planned check-in on or before `day` (so their next one is): an index
    probe that stops at the first hit, instead of repeating the next-check-in subquery."""
    return Exists(_open_checkins().filter(due_date__lte=day))


def quiet_since(moment: dt.datetime) -> Exists:
    """No contact since `moment` (or never): the negation of one index probe."""
    return ~Exists(Contact.objects.filter(student=OuterRef("pk"), at__gte=moment))


def _own(membership: Membership) -> QuerySet[Student]:
    students = students_visible_to(membership)
    if membership.role == Role.COACH:
        students = students.filter(coach=membership.user)
    return students


def caseload_students(membership: Membership) -> QuerySet[Student]:
    """The young people this coach guides (a stagiair: the ones shared with them), unannotated.
    Who wants no contact is not among those to call: see `caseload_no_contact`."""
    return _own(membership).filter(~contact_declined())


def caseload_renewals(membership: Membership, today: dt.date | None = None) -> list[Student]:
    """The coach's young people whose parent's or guardian's consent must be renewed by
    themselves now or within a month (consent.selectors.renewals_open): one query."""
    return with_renewal_dates(renewals_open(caseload_students(membership), today), today)


def caseload_no_contact(membership: Membership) -> QuerySet[Student]:
    """The coach's young people who want no contact ("geen contact gewenst"), with the moment
    they said so, longest ago first: one query."""
    return (
        _own(membership)
        .filter(contact_declined())
        .annotate(no_contact_since=contact_declined_since())
        .order_by("no_contact_since", "last_name", "pk")
    )


def _attention(membership: Membership, today: dt.date) -> QuerySet:
    # COUNT as a plain function, not an aggregate: one row, no GROUP BY.
    return caseload_students(membership).filter(due_by(today)).order_by().values(n=Func(F("pk"), function="COUNT"))


def caseload_attention_count(membership: Membership, *, today: dt.date) -> int:
    """How many in the caseload have a check-in today or are late (for a page without rows)."""
    return _attention(membership, today).get()["n"]


def caseload_for(
    membership: Membership, *, today: dt.date | None = None, q: str = "", show: str = "alle", sort: str = "aandacht"
) -> QuerySet[Student]:
    """The caseload, searched, filtered and sorted, with the coaching columns and
    `attention_total`: slice it (a page), and only that page's rows are read in full."""
    today = today or timezone.localdate()
    students = caseload_students(membership)
    if q:
        students = students.search(q)
    if show == "aandacht":
        students = students.filter(due_by(today))
    elif show == "week":
        students = students.filter(due_by(today + dt.timedelta(days=7)))
    elif show == "stil":
        students = students.filter(quiet_since(timezone.now() - dt.timedelta(days=QUIET_DAYS)))
    # How many need attention today in the whole caseload, whatever the filter or search. When
    # the list is the whole caseload, counted while scanning it (a window count of one EXISTS
    # per student); otherwise an uncorrelated subquery, which PostgreSQL runs once (an InitPlan).
    if q or show != "alle":
        attention_total = Subquery(_attention(membership, today))
    else:
        attention_total = Window(Count("pk", filter=due_by(today)))
    students = annotate_coaching(students).annotate(
        attention_total=attention_total,
        # The young person asked for contact in a self check-in, and no coach has reached them
        # since: the latest reached contact is that check-in (same index as last_reached_at).
        wants_contact=Subquery(
            Contact.objects.filter(student=OuterRef("pk"), reached=True).order_by("-at").values("wants_contact")[:1]
        ),
        **{name: column() for name, column in CASELOAD_COLUMNS.items()},
    )
    if sort == "naam":
        order = ["last_name", "first_name", "pk"]
    elif sort == "laatste_contact":
        order = [F("last_contact_at").asc(nulls_first=True), "last_name", "pk"]
    else:
        # "aandacht" and "volgend": whoever is due (late, today) has the earliest next check-in,
        # so sorting by it puts attention first without a second column.
        order = [F("next_due").asc(nulls_last=True), "last_name", "pk"]
    return students.order_by(*order)


def plans_for(organisation: Organisation) -> list[FollowUpPlan]:
    """The organisation's active plans. Read only: the defaults are made when its first
    trajectory starts (`followup_plans_ensure`), so an organisation with a trajectory has them."""
    return list(FollowUpPlan.objects.filter(organisation=organisation, is_active=True))


def student_coaching(student: Student) -> dict:
    """Everything the student page's coaching panel shows, in a fixed number of queries."""
    # The open trajectory if there is one, else the last closed one.
    trajectory = (
        Trajectory.objects.filter(student=student)
        .select_related("plan", "coach", "organisation", "final_situation")
        .order_by(F("closed_at").desc(nulls_first=True), "-start_date")
        .first()
    )
    # The whole plan in one query: the next planned moments (with their move forms) are the
    # first six of it; the page lists every moment, done and missed included (issue 11).
    schedule = list(trajectory.checkins.order_by("due_date", "id")) if trajectory is not None else []
    checkins = [c for c in schedule if c.status == CheckIn.Status.PLANNED][:6]
    return {
        "trajectory": trajectory,
        "checkins": checkins,
        "schedule": schedule,
        "no_contact_since": contact_declined_at(student),
        "contacts": list(
            Contact.objects.filter(student=student)
            .select_related("author", "trajectory")
            .prefetch_related("revisions")
            .order_by("-at", "-id")[:8]
        ),
        "situations": list(SituationRecord.objects.filter(student=student).order_by("-date", "-id")[:6]),
        "support_actions": list(
            SupportAction.objects.filter(student=student).order_by(
                Case(When(status__in=SupportAction.OPEN_STATUSES, then=0), default=1, output_field=IntegerField()),
                "-created_at",
            )[:10]
        ),
    }


# --- team view -----------------------------------------------------------------------------


def team_students(membership: Membership) -> QuerySet[Student]:
    """Students of the coordinator's organisation (guided by it; at a school also the school's
    students not yet guided by anyone), always through the access module."""
    org = membership.organisation
    scope = Q(guiding_organisation=org)
    if org.kind == Organisation.Kind.SCHOOL:
        scope |= Q(guiding_organisation__isnull=True)
    return students_visible_to(membership).filter(scope)


def _guided_visible(membership: Membership):
    return students_visible_to(membership).filter(guiding_organisation=membership.organisation).values("pk")


def _caseload(visible):
    return _count(Student.objects.filter(pk__in=visible, coach=OuterRef("user_id")), "coach")


def caseloads_for(membership: Membership) -> QuerySet[Membership]:
    """Per coach of the organisation: caseload (as in `team_for`), without the overdue and
    unanswered counts the dashboard does not show (those two cost most of team_for's time)."""
    return (
        Membership.objects.filter(organisation=membership.organisation, role=Role.COACH, is_active=True)
        .select_related("user")
        .annotate(caseload=_caseload(_guided_visible(membership)))
        .order_by("user__full_name", "pk")
    )


def team_for(membership: Membership, *, today: dt.date | None = None) -> QuerySet[Membership]:
    """Per coach of the organisation: caseload vs capacity, overdue check-ins and unanswered
    attempts in the last 30 days. One query whatever the number of coaches or students."""
    today = today or timezone.localdate()
    org = membership.organisation
    visible = _guided_visible(membership)
    overdue = CheckIn.objects.filter(
        coach=OuterRef("user_id"),
        status=CheckIn.Status.PLANNED,
        due_date__lt=today,
        trajectory__closed_at__isnull=True,
        trajectory__organisation=org,
        trajectory__student__in=visible,
    ).filter(~contact_declined("trajectory__student"))
    unanswered = Contact.objects.filter(
        author=OuterRef("user_id"),
        reached=False,
        at__gte=timezone.now() - dt.timedelta(days=30),
        student__in=visible,
    )
    return (
        Membership.objects.filter(organisation=org, role=Role.COACH, is_active=True)
        .select_related("user")
        .annotate(
            caseload=_caseload(visible),
            overdue=_count(overdue, "coach"),
            unanswered=_count(unanswered, "author"),
        )
        .order_by("user__full_name", "pk")
    )


def stagiairs_of(organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=organisation, role=Role.STAGIAIR, is_active=True).select_related(
        "user"
    )


def open_trajectory(student: Student) -> Trajectory | None:
    return Trajectory.objects.filter(student=student, closed_at__isnull=True).select_related("plan").first()
