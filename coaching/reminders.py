"""Reminders: plan the day's e-mails as rows, then claim and send each one exactly once.

The schedule lives in PostgreSQL (check-ins with an indexed due date). The morning sweep turns
what is due into `Reminder` rows whose unique `key` is the idempotency key: a second sweep, a
second beat or a retry inserts nothing new. Sending claims the row with a conditional UPDATE
(pending -> sending) in coaching.outbox, which sends every kind registered in kwint.lib.outbox;
the kinds below are coaching's own. A worker that dies between claim and "sent" leaves a stale
claim that the redispatch hands to another worker after KWINT_REMINDER_CLAIM_SECONDS.

E-mails carry counts and links, never names or notes: e-mail leaves our systems.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Membership, Organisation, Role, User
from coaching.models import CheckIn, Contact, Reminder, ReminderSweep, Trajectory
from kwint.lib import outbox
from students.access import students_visible_to
from students.selectors import contact_declined

log = logging.getLogger(__name__)

# Escalation items are rows for idempotency ("once"), sent only inside the daily bundle.
ITEM_KINDS = (Reminder.Kind.OVERDUE, Reminder.Kind.UNANSWERED)
SENDABLE_KINDS = (Reminder.Kind.DIGEST, Reminder.Kind.ESCALATIONS, Reminder.Kind.CLOSE)
UNANSWERED_IN_A_ROW = 3
UNANSWERED_LOOKBACK_DAYS = 90


def _coaching_memberships(user_ids) -> dict[int, list[Membership]]:
    by_user: dict[int, list[Membership]] = {}
    memberships = Membership.objects.filter(
        user_id__in=user_ids, role__in=[Role.COACH, Role.STAGIAIR], is_active=True, user__is_active=True
    ).select_related("organisation", "user")
    for m in memberships:
        by_user.setdefault(m.user_id, []).append(m)
    return by_user


def _coordinators(organisation_ids) -> dict[int, list[Membership]]:
    """Who hears about escalations: the coordinator of the guiding organisation; at a school
    also the zorgcoördinator (for the school's own coaches)."""
    by_org: dict[int, list[Membership]] = {}
    memberships = Membership.objects.filter(
        organisation_id__in=organisation_ids, is_active=True, user__is_active=True
    ).filter(Q(role=Role.COORDINATOR) | Q(role=Role.ZORGCOORDINATOR, organisation__kind=Organisation.Kind.SCHOOL))
    for m in memberships.select_related("organisation", "user"):
        by_org.setdefault(m.organisation_id, []).append(m)
    return by_org


def _visible_ids(memberships: list[Membership], student_ids) -> set[int]:
    """Which of these students the user may still see (consent withdrawn: not any more)."""
    visible: set[int] = set()
    for m in memberships:
        visible.update(students_visible_to(m).filter(pk__in=list(student_ids)).values_list("pk", flat=True))
    return visible


def _due_checkins(today: dt.date):
    # No reminder, digest or escalation about someone who wants no contact (consent for
    # contact refused or withdrawn): the one predicate, re-read at send time as well.
    return CheckIn.objects.filter(
        status=CheckIn.Status.PLANNED, due_date__lte=today, trajectory__closed_at__isnull=True
    ).filter(~contact_declined("trajectory__student"))


def coach_digest_counts(user: User, today: dt.date, memberships: list[Membership] | None = None) -> dict:
    """Counts for one coach's digest, over students the coach may still see."""
    memberships = memberships if memberships is not None else _coaching_memberships([user.pk]).get(user.pk, [])
    if not memberships:
        return {"today": 0, "overdue": 0, "to_close": 0, "wants_contact": 0}
    visible = students_visible_to(memberships[0])
    for m in memberships[1:]:
        visible = visible | students_visible_to(m)
    visible_ids = visible.values("pk")
    due = _due_checkins(today).filter(coach=user, trajectory__student__in=visible_ids)
    counts = due.aggregate(
        today=Count("pk", filter=Q(due_date=today)), overdue=Count("pk", filter=Q(due_date__lt=today))
    )
    counts["to_close"] = Trajectory.objects.filter(
        coach=user, closed_at__isnull=True, end_date__lte=today, student__in=visible_ids
    ).count()
    counts["wants_contact"] = wants_contact_students(visible.filter(coach=user)).count()
    return counts


def wants_contact_students(students):
    """Students who asked for contact in a self check-in and whom no coach has reached since:
    their latest reached contact is that check-in."""
    latest = Contact.objects.filter(student=OuterRef("pk"), reached=True).order_by("-at").values("wants_contact")[:1]
    return students.annotate(wants=Subquery(latest)).filter(wants=True)


def _last_sweep() -> ReminderSweep | None:
    """The latest sweep (None: never). A sweep handles what became due or was logged since
    then, found through indexes; the first sweep ever catches up on everything."""
    return ReminderSweep.objects.order_by("-day").first()


def reminders_plan(*, today: dt.date) -> list[int]:
    """Insert today's reminder rows (idempotent) and return the ids still to send.

    Rows only name who to tell about what; whether the recipient may still see the young
    person, and whether it still matters, is checked when the message is built (send time).
    A rerun re-reads the same small windows and inserts nothing new.
    """
    started = timezone.now()
    with transaction.atomic():
        last = _last_sweep()
        # One day / one hour of overlap: a late sweep or a clock at midnight never leaves a
        # gap (the unique keys make the overlap harmless).
        since = min(last.day, today) - dt.timedelta(days=1) if last else None
        logged_since = last.started_at - dt.timedelta(hours=1) if last and last.started_at else None
        rows = _digests(today) + _overdue(today, since) + _unanswered(today, logged_since) + _closing(today, since)
        Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        _bundles(today)
        ReminderSweep.objects.bulk_create(
            [ReminderSweep(day=today, started_at=started)],
            update_conflicts=True,
            unique_fields=["day"],
            update_fields=["started_at"],
        )
    return list(
        Reminder.objects.filter(status=Reminder.Status.PENDING, on_date=today, kind__in=SENDABLE_KINDS)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _digests(today: dt.date) -> list[Reminder]:
    """One digest per coach with check-ins due today or overdue, or with a young person who
    asked for contact in a self check-in (one query)."""
    # order_by(): a model's default ordering would join DISTINCT and make every row distinct.
    coaches = _due_checkins(today).exclude(coach=None).order_by().values("coach").distinct()
    # Also the coaches of whoever asked for contact in a self check-in since yesterday morning.
    asked = Contact.objects.filter(wants_contact=True, at__gte=timezone.now() - dt.timedelta(days=2))
    asked_coaches = (
        Trajectory.objects.filter(closed_at__isnull=True, student__in=asked.values("student"), coach__isnull=False)
        .order_by()
        .values("coach")
    )
    users = (
        Membership.objects.filter(role__in=[Role.COACH, Role.STAGIAIR], is_active=True, user__is_active=True)
        .filter(Q(user__in=coaches) | Q(user__in=asked_coaches))
        .order_by()
        .values_list("user_id", flat=True)
        .distinct()
    )
    return [
        Reminder(
            key=f"digest:{user_id}:{today.isoformat()}", kind=Reminder.Kind.DIGEST, recipient_id=user_id, on_date=today
        )
        for user_id in users
    ]


def _overdue(today: dt.date, since: dt.date | None) -> list[Reminder]:
    """Escalation, once per check-in, when it is overdue beyond the configured days: the
    check-ins that crossed that line since the last sweep (index on status + due date)."""
    limit = today - dt.timedelta(days=settings.KWINT_ESCALATE_AFTER_DAYS) - dt.timedelta(days=1)
    due = _due_checkins(limit)
    if since is not None:
        due = due.filter(due_date__gt=since - dt.timedelta(days=settings.KWINT_ESCALATE_AFTER_DAYS + 1))
    items = due.values_list("pk", "trajectory_id", "trajectory__student_id", "trajectory__organisation_id")
    return _escalations(
        Reminder.Kind.OVERDUE, today, [(f"overdue:{pk}", traj, student, org, pk) for pk, traj, student, org in items]
    )


def _unanswered(today: dt.date, logged_since: dt.datetime | None) -> list[Reminder]:
    """Escalation, once per streak, after three unanswered attempts in a row. Only a new
    unanswered attempt can make a streak, so the candidates are the young people with one
    logged since the last sweep (whatever date it was entered for); their streaks are read in
    one query. The first sweep ever looks back UNANSWERED_LOOKBACK_DAYS."""
    if logged_since is not None:
        new = Contact.objects.filter(reached=False, created_at__gte=logged_since)
    else:
        new = Contact.objects.filter(
            reached=False, at__gte=timezone.now() - dt.timedelta(days=UNANSWERED_LOOKBACK_DAYS)
        )
    new = new.filter(trajectory__closed_at__isnull=True).filter(~contact_declined("student")).order_by()
    if logged_since is None:
        # The catch-up: only who has at least three misses in the period can have a streak.
        new = new.values("student_id").annotate(n=Count("pk")).filter(n__gte=UNANSWERED_IN_A_ROW)
    candidates = list(new.values_list("student_id", flat=True).distinct())
    if not candidates:
        return []
    table = Contact._meta.db_table
    # Per candidate: the unanswered attempts after the last reached one (by time, then id).
    # The streak's first attempt names it: its key fires once per streak, however long it grows.
    sql = f"""
        SELECT c.student_id, (array_agg(c.id ORDER BY c.at, c.id))[1],
               (array_agg(c.trajectory_id ORDER BY c.at DESC, c.id DESC))[1]
        FROM {table} c
        LEFT JOIN LATERAL (
            SELECT r.at, r.id FROM {table} r WHERE r.student_id = c.student_id AND r.reached
            ORDER BY r.at DESC, r.id DESC LIMIT 1
        ) last_reached ON true
        WHERE c.student_id = ANY(%s) AND NOT c.reached
          AND (last_reached.id IS NULL OR (c.at, c.id) > (last_reached.at, last_reached.id))
        GROUP BY c.student_id
        HAVING count(*) >= %s
    """  # noqa: S608  (table name from the model, values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [candidates, UNANSWERED_IN_A_ROW])
        streaks = [row for row in cursor.fetchall() if row[2] is not None]
    organisations = dict(
        Trajectory.objects.filter(pk__in=[t for _s, _f, t in streaks]).values_list("pk", "organisation_id")
    )
    items = [
        (f"unanswered:{first}", trajectory, student, organisations[trajectory], None)
        for student, first, trajectory in streaks
    ]
    return _escalations(Reminder.Kind.UNANSWERED, today, items)


def _closing(today: dt.date, since: dt.date | None) -> list[Reminder]:
    """Two years after the diploma: remind the coach to close, once per trajectory."""
    ending = Trajectory.objects.filter(closed_at__isnull=True, end_date__lte=today, coach__isnull=False)
    if since is not None:
        ending = ending.filter(end_date__gt=since)
    return [
        Reminder(
            key=f"close:{pk}",
            kind=Reminder.Kind.CLOSE,
            recipient_id=coach_id,
            on_date=today,
            trajectory_id=pk,
            student_id=student_id,
        )
        for pk, coach_id, student_id in ending.values_list("pk", "coach_id", "student_id")
    ]


def _bundles(today: dt.date) -> None:
    """A coordinator gets the escalations as one bundle a day, not one e-mail per check-in."""
    coordinators = (
        Reminder.objects.filter(kind__in=ITEM_KINDS, status=Reminder.Status.PENDING)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    Reminder.objects.bulk_create(
        [
            Reminder(
                key=f"escalations:{user_id}:{today.isoformat()}",
                kind=Reminder.Kind.ESCALATIONS,
                recipient_id=user_id,
                on_date=today,
            )
            for user_id in coordinators
        ],
        ignore_conflicts=True,
    )


def _escalations(kind: str, today: dt.date, items: list[tuple]) -> list[Reminder]:
    """items: (key prefix, trajectory id, student id, organisation id, check-in id); one row per
    item per coordinator of the organisation. Who may still see whom is checked at send time."""
    if not items:
        return []
    coordinators = _coordinators({org for *_rest, org, _c in items})
    return [
        Reminder(
            key=f"{prefix}:{m.user_id}",
            kind=kind,
            channel=outbox.BUNDLED,
            recipient_id=m.user_id,
            on_date=today,
            trajectory_id=traj,
            student_id=student,
            checkin_id=checkin,
        )
        for prefix, traj, student, org, checkin in items
        for m in coordinators.get(org, [])
    ]


# --- sending -------------------------------------------------------------------------------


def _message(reminder: Reminder) -> tuple[EmailMultiAlternatives | None, list[int]]:
    """Build the e-mail in the recipient's language, or None when there is nothing to say any
    more (the check-in was done, consent withdrawn, the trajectory closed). Also returns the
    escalation rows the e-mail covers, to be marked sent with it."""
    user = reminder.recipient
    item_ids: list[int] = []
    base = settings.KWINT_BASE_URL
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {"user": user, "reminder": reminder, "lines": []}
        if reminder.kind == Reminder.Kind.DIGEST:
            counts = coach_digest_counts(user, reminder.on_date)
            if not (counts["today"] or counts["overdue"] or counts["wants_contact"]):
                return None, []
            context["subject"] = _("Kwint: %(n)s contactmoment(en) voor vandaag") % {
                "n": counts["today"] + counts["overdue"]
            }
            context["lines"] = []
            if counts["wants_contact"]:
                # At the top: a young person who asked for contact comes before the schedule.
                context["subject"] = _("Kwint: %(n)s jongere(n) vraagt om contact") % {"n": counts["wants_contact"]}
                context["lines"].append(_("Vraagt om contact (check-in): %(n)s") % {"n": counts["wants_contact"]})
            context["lines"] += [
                _("Vandaag gepland: %(n)s") % {"n": counts["today"]},
                _("Te laat: %(n)s") % {"n": counts["overdue"]},
            ]
            if counts["to_close"]:
                context["lines"].append(_("Trajecten om af te sluiten: %(n)s") % {"n": counts["to_close"]})
            context["link"] = base + reverse("coaching:caseload")
            context["link_label"] = _("Open mijn caseload")
        elif reminder.kind == Reminder.Kind.ESCALATIONS:
            items = _escalation_items(reminder)
            if not items:
                return None, []
            overdue = sum(1 for i in items if i.kind == Reminder.Kind.OVERDUE)
            context["subject"] = _("Kwint: %(n)s melding(en) over uw team") % {"n": len(items)}
            context["lines"] = [
                _("Contactmomenten meer dan %(days)s dagen te laat: %(n)s")
                % {"days": settings.KWINT_ESCALATE_AFTER_DAYS, "n": overdue},
                _("Jongeren drie keer op rij niet bereikt: %(n)s") % {"n": len(items) - overdue},
            ]
            context["items"] = [
                (_item_text(i), base + reverse("students:detail", args=[i.student.code])) for i in items
            ]
            context["link"] = base + reverse("coaching:team")
            context["link_label"] = _("Open Team en caseloads")
            item_ids = [i.pk for i in items]
        else:
            student = reminder.student
            if student is None or not _still_relevant(reminder):
                return None, []
            context["subject"] = _("Kwint: traject afsluiten")
            context["lines"] = [_("De twee jaar begeleiding na het diploma zijn voorbij. Sluit het traject af.")]
            context["link"] = base + reverse("coaching:close", args=[student.code])
            context["link_label"] = _("Traject afsluiten")
        subject = render_to_string("coaching/email/reminder_subject.txt", context).strip()
        text = render_to_string("coaching/email/reminder.txt", context)
        html = render_to_string("coaching/email/reminder.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message, item_ids


def _item_text(item: Reminder) -> str:
    trajectory = item.trajectory
    coach = trajectory.coach.full_name if trajectory and trajectory.coach else _("(geen coach)")
    if item.kind == Reminder.Kind.OVERDUE:
        days = (item.on_date - item.checkin.due_date).days
        return _("Contactmoment %(days)s dagen te laat (coach: %(coach)s)") % {"days": days, "coach": coach}
    return _("Drie keer op rij niet bereikt (coach: %(coach)s)") % {"coach": coach}


def _escalation_items(bundle: Reminder) -> list[Reminder]:
    """The coordinator's pending escalation rows that still matter; the rest are skipped.
    Relevance is checked in bulk: one visibility query per membership, not per row."""
    pending = list(
        Reminder.objects.filter(
            recipient_id=bundle.recipient_id,
            kind__in=ITEM_KINDS,
            status=Reminder.Status.PENDING,
            on_date__lte=bundle.on_date,
        )
        .select_related("student", "checkin", "trajectory__coach")
        .order_by("on_date", "pk")
    )
    memberships = list(
        Membership.objects.filter(user_id=bundle.recipient_id, is_active=True).filter(
            Q(role=Role.COORDINATOR) | Q(role=Role.ZORGCOORDINATOR)
        )
    )
    visible = _visible_ids(memberships, {i.student_id for i in pending})
    relevant, gone = [], []
    for item in pending:
        trajectory = item.trajectory
        ok = (
            trajectory is not None
            and trajectory.is_open
            and item.student_id in visible
            and (item.kind != Reminder.Kind.OVERDUE or (item.checkin and item.checkin.status == CheckIn.Status.PLANNED))
        )
        (relevant if ok else gone).append(item)
    Reminder.objects.filter(pk__in=[i.pk for i in gone], status=Reminder.Status.PENDING).update(
        status=Reminder.Status.SKIPPED, reason="not_relevant"
    )
    return relevant


def _still_relevant(reminder: Reminder) -> bool:
    """A close reminder: the trajectory is still open and the coach may still see the student."""
    trajectory = reminder.trajectory
    if trajectory is None or not trajectory.is_open:
        return False
    memberships = _coaching_memberships([reminder.recipient_id]).get(reminder.recipient_id, [])
    return reminder.student_id in _visible_ids(memberships, [reminder.student_id])


def _build(reminder: Reminder) -> outbox.Outgoing | None:
    message, item_ids = _message(reminder)
    return outbox.Outgoing(message, covers=item_ids) if message is not None else None


def _for_one_day(reminder: Reminder, now: dt.datetime) -> str | None:
    """A digest or bundle counts today's work: after an outage, an earlier day's is replaced by
    today's (escalation items stay pending and go with today's bundle), never sent late."""
    return "outdated" if reminder.on_date < timezone.localdate(now) else None


def register() -> None:
    """Coaching's kinds on the outbox (called from CoachingConfig.ready())."""
    for kind, label in Reminder.Kind.choices:
        if kind in ITEM_KINDS:
            # Never sent on their own: they travel in the coordinator's bundle.
            outbox.register(kind, label=label, build=lambda _row: None, channel=outbox.BUNDLED)
            continue
        daily = kind in (Reminder.Kind.DIGEST, Reminder.Kind.ESCALATIONS)
        outbox.register(kind, label=label, build=_build, expired=_for_one_day if daily else None)
