"""Demo history for coaching, called by `seed_demo`: trajectories, past contacts, situations
and support actions for every demo student that has a coach. Idempotent (students that already
have a trajectory are skipped) and fast (bulk inserts, a few queries per student)."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import F
from django.utils import timezone

from coaching.models import (
    CheckIn,
    Contact,
    SituationKind,
    SituationRecord,
    SupportAction,
    Trajectory,
)
from coaching.schedule import end_date_for
from coaching.services import _default_plan, diploma_date_of, schedule_regenerate
from students.models import Student, TimelineEvent
from students.services import timeline_event

DISCUSSED = [
    "Gesproken over werk en hoe het gaat met de planning.",
    "Cv samen doorgenomen; vacature bij een distributiecentrum besproken.",
    "Gaat goed op het werk, wil graag meer uren.",
    "Twijfelt over een vervolgopleiding; informatie over niveau 3 gegeven.",
    "Geldzorgen besproken; afspraak met schuldhulp gemaakt.",
]
NEXT_STEPS = ["Over een maand weer bellen.", "Cv opsturen naar de coach.", "Samen naar de open dag.", ""]
CHANNELS = ["telefoon", "telefoon", "app", "app", "sms", "kantoor", "werkplek"]
WORK = [
    ("vast", 32, "Logistiek", "PostNL"),
    ("tijdelijk", 24, "Detailhandel", "Jumbo"),
    ("oproep", 12, "Horeca", "Van der Valk"),
    ("uitzend", 36, "Logistiek", "Randstad"),
    ("bbl", 32, "Zorg", "Zorggroep Noord"),
]


def _situation(rng: random.Random) -> dict:
    kind = rng.choices(
        [
            SituationKind.WORK,
            SituationKind.EDUCATION,
            SituationKind.BENEFIT,
            SituationKind.WORK_BENEFIT,
            SituationKind.NOTHING,
        ],
        weights=[5, 2, 1, 1, 1],
    )[0]
    data = {"kind": kind}
    if kind in {SituationKind.WORK, SituationKind.WORK_BENEFIT}:
        contract, hours, sector, employer = rng.choice(WORK)
        data.update(contract_type=contract, hours_per_week=hours, sector=sector, employer=employer)
    if kind in {SituationKind.BENEFIT, SituationKind.WORK_BENEFIT}:
        data["benefit"] = rng.choice(["participatiewet", "ww", "wajong"])
    if kind == SituationKind.EDUCATION:
        data["education_name"] = "Mbo niveau 3"
    return data


# Demo data of apps built on coaching (the self check-in): each a function called at the end of
# seed_coaching, registered from the app's ready(), so coaching never imports them.
DEMO_EXTENSIONS: list = []


def seed_coaching(*, seed: int = 2026) -> int:
    """Give every coached demo student without a trajectory a believable history."""
    rng = random.Random(seed)
    today = timezone.localdate()
    students = (
        Student.objects.filter(coach__isnull=False, guiding_organisation__isnull=False, trajectories__isnull=True)
        .select_related("guiding_organisation", "coach")
        .order_by("pk")
    )
    created = 0
    for student in students:
        assigned = (
            student.timeline.filter(kind=TimelineEvent.Kind.ASSIGNED)
            .order_by("at")
            .values_list("at", flat=True)
            .first()
        )
        diploma = diploma_date_of(student)
        start = max(diploma, timezone.localdate(assigned) if assigned else diploma)
        trajectory = Trajectory.objects.create(
            student=student,
            organisation=student.guiding_organisation,
            coach=student.coach,
            plan=_default_plan(student.guiding_organisation),
            diploma_date=diploma,
            start_date=start,
            end_date=end_date_for(diploma),
        )
        schedule_regenerate(trajectory=trajectory, today=start)
        _history(rng, student, trajectory, today)
        created += 1
    _share_with_stagiair()
    for extend in DEMO_EXTENSIONS:
        extend()
    return created


def _share_with_stagiair(coach_email: str = "coach@kwint.demo", stagiair_email: str = "stagiair@kwint.demo") -> None:
    """The demo stagiair helps the demo jobcoach with three young people (idempotent)."""
    from accounts.models import User
    from students.models import StudentShare

    stagiair = User.objects.filter(email=stagiair_email).first()
    coach = User.objects.filter(email=coach_email).first()
    if stagiair is None or coach is None or StudentShare.objects.filter(user=stagiair).exists():
        return
    for student in Student.objects.filter(coach=coach).order_by("pk")[:3]:
        StudentShare.objects.create(student=student, user=stagiair, shared_by=coach)


def _history(rng: random.Random, student: Student, trajectory: Trajectory, today: dt.date) -> None:
    past = list(trajectory.checkins.filter(due_date__lt=today).order_by("due_date"))
    # For about a third the most recent one or two stay open: the caseload shows some "te laat"
    # and "vandaag" among mostly up-to-date young people, as a real caseload would.
    keep_open = rng.choices([0, 1, 2], weights=[7, 2, 1])[0]
    contacts, timeline, situations, done = [], [], [], []
    tz = timezone.get_current_timezone()
    for index, checkin in enumerate(past):
        if index >= len(past) - keep_open:
            break
        at = dt.datetime.combine(checkin.due_date, dt.time(rng.randint(9, 16), rng.choice([0, 15, 30, 45])), tzinfo=tz)
        if rng.random() < 0.25:  # first an unanswered call
            contacts.append(
                Contact(
                    student=student,
                    trajectory=trajectory,
                    author=student.coach,
                    at=at - dt.timedelta(days=1),
                    channel="telefoon",
                    reached=False,
                )
            )
        reached = Contact(
            student=student,
            trajectory=trajectory,
            author=student.coach,
            at=at,
            channel=rng.choice(CHANNELS),
            reached=True,
            duration_minutes=rng.choice([5, 10, 15, 20, 30, 45]),
            discussed=rng.choice(DISCUSSED),
            next_steps=rng.choice(NEXT_STEPS),
        )
        contacts.append(reached)
        done.append((checkin, reached))
        if checkin.is_measurement or index == 0:
            situations.append((checkin, reached, _situation(rng)))
    Contact.objects.bulk_create(contacts)
    # Logged back then, not now: old demo notes are frozen like real ones.
    Contact.objects.filter(pk__in=[c.pk for c in contacts]).update(created_at=F("at"))
    for contact in contacts:
        timeline.append(
            timeline_event(
                student=student,
                at=contact.at,
                event="contact_logged",
                data={"channel": contact.channel, "reached": contact.reached},
                actor=student.coach,
            )
        )
    for checkin, contact in done:
        checkin.status = CheckIn.Status.DONE
        checkin.completed_by = contact
        checkin.completed_at = contact.at
    CheckIn.objects.bulk_update([c for c, _ in done], ["status", "completed_by", "completed_at"])
    records = [
        SituationRecord(
            student=student,
            trajectory=trajectory,
            date=timezone.localdate(contact.at),
            contact=contact,
            measurement_month=checkin.measurement_month if checkin.is_measurement else None,
            recorded_by=student.coach,
            **data,
        )
        for checkin, contact, data in situations
    ]
    SituationRecord.objects.bulk_create(records)
    timeline += [
        timeline_event(
            student=student,
            at=dt.datetime.combine(r.date, dt.time(12), tzinfo=tz),
            event="situation_recorded",
            data={"kind": r.kind, "measurement_month": r.measurement_month},
            actor=student.coach,
        )
        for r in records
    ]
    TimelineEvent.objects.bulk_create(timeline)
    if rng.random() < 0.5:
        SupportAction.objects.create(
            student=student,
            trajectory=trajectory,
            kind=rng.choice(SupportAction.Kind.values),
            status=rng.choice([SupportAction.Status.RUNNING, SupportAction.Status.PLANNED, SupportAction.Status.DONE]),
            started_on=trajectory.start_date + dt.timedelta(days=rng.randint(7, 60)),
            created_by=student.coach,
        )
