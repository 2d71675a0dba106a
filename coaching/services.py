"""Writes for coaching: trajectories, the schedule, contacts, situations and support actions.

Every write is a `<thing>_<verb>` service with keyword-only arguments, inside one transaction,
and leaves a timeline event on the student (without free text: the timeline is shown widely
and the notes are personal data).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organisation
from coaching.models import (
    CheckIn,
    CloseReason,
    Contact,
    ContactRevision,
    FollowUpPlan,
    SituationKind,
    SituationRecord,
    SupportAction,
    Trajectory,
)
from coaching.schedule import DEFAULT_PLANS, end_date_for, generate_schedule
from consent.selectors import has_consent
from students.access import purpose_for_organisation
from students.models import Student, TimelineEvent
from students.services import timeline_add

# A reached contact completes the earliest open check-in due up to this many days ahead:
# the coach who calls on Friday for Monday's moment has done Monday's moment.
COMPLETE_AHEAD_DAYS = 7


def _today() -> dt.date:
    return timezone.localdate()


def contact_edit_window() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "KWINT_CONTACT_EDIT_MINUTES", 30))


# --- plans -------------------------------------------------------------------------------


def followup_plans_ensure(*, organisation: Organisation) -> list[FollowUpPlan]:
    """The organisation's plans, creating the three default plans on first use."""
    plans = list(FollowUpPlan.objects.filter(organisation=organisation, is_active=True))
    if plans:
        return plans
    for spec in DEFAULT_PLANS:
        FollowUpPlan.objects.get_or_create(
            organisation=organisation,
            name=spec["name"],
            defaults={
                "kind": spec["kind"],
                "description": spec["description"],
                "rules": spec["rules"],
                "is_default": spec.get("is_default", False),
            },
        )
    return list(FollowUpPlan.objects.filter(organisation=organisation, is_active=True))


def _default_plan(organisation: Organisation) -> FollowUpPlan:
    plans = followup_plans_ensure(organisation=organisation)
    return next((p for p in plans if p.is_default), plans[0])


# --- trajectories and the schedule ---------------------------------------------------------


def diploma_date_of(student: Student) -> dt.date:
    return student.outcome_date or student.expected_diploma_date or _today()


def schedule_regenerate(*, trajectory: Trajectory, today: dt.date | None = None) -> int:
    """Replace the generated FUTURE planned check-ins; the past, done ones and the coach's own
    (added or moved) check-ins are never touched. Returns the number created."""
    today = today or _today()
    if not trajectory.is_open:
        return 0
    trajectory.checkins.filter(status=CheckIn.Status.PLANNED, is_manual=False, due_date__gte=today).delete()
    kept = trajectory.checkins.exclude(status=CheckIn.Status.CANCELLED)
    taken_months = set(kept.filter(measurement_month__isnull=False).values_list("measurement_month", flat=True))
    taken_dates = set(kept.filter(status=CheckIn.Status.PLANNED).values_list("due_date", flat=True))
    planned = generate_schedule(
        rules=trajectory.plan.rules,
        diploma_date=trajectory.diploma_date,
        start=trajectory.start_date,
        end=trajectory.end_date,
        today=today,
    )
    new = [
        CheckIn(
            trajectory=trajectory,
            coach=trajectory.coach,
            due_date=p.due_date,
            is_measurement=p.measurement_month is not None,
            measurement_month=p.measurement_month,
        )
        for p in planned
        if p.measurement_month not in taken_months and p.due_date not in taken_dates
    ]
    CheckIn.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def trajectory_start(
    *, student: Student, organisation: Organisation, coach, actor=None, plan: FollowUpPlan | None = None
) -> Trajectory:
    """Open the guidance period and generate its schedule. Start: the diploma date, or today
    when the student is handed over later; end: two years after the diploma."""
    today = _today()
    diploma = diploma_date_of(student)
    trajectory = Trajectory.objects.create(
        student=student,
        organisation=organisation,
        coach=coach,
        plan=plan or _default_plan(organisation),
        diploma_date=diploma,
        start_date=max(diploma, today),
        end_date=end_date_for(diploma),
    )
    schedule_regenerate(trajectory=trajectory, today=today)
    with translation.override("nl"):  # the timeline is a record: always Dutch
        timeline_add(
            student=student,
            kind=TimelineEvent.Kind.CHECKIN,
            summary=_("Contactplan %(plan)s gestart (tot %(end)s)")
            % {"plan": trajectory.plan.name, "end": trajectory.end_date.strftime("%d-%m-%Y")},
            actor=actor,
        )
    return trajectory


def open_trajectory(student: Student) -> Trajectory | None:
    return Trajectory.objects.filter(student=student, closed_at__isnull=True).select_related("plan").first()


@transaction.atomic
def trajectory_assign(*, student: Student, organisation: Organisation, coach, actor=None) -> Trajectory | None:
    """Follow an assignment (called for `students.signals.student_assigned`): open the
    trajectory on the first coach, or move the open one and its planned check-ins to the new
    coach. Contacts and done check-ins keep their author: the history stays whole."""
    trajectory = Trajectory.objects.select_for_update().filter(student=student, closed_at__isnull=True).first()
    if trajectory is None:
        if coach is None:
            return None
        return trajectory_start(student=student, organisation=organisation, coach=coach, actor=actor)
    changed = []
    if trajectory.organisation_id != organisation.pk:
        trajectory.organisation = organisation
        changed.append("organisation")
        # Plans belong to an organisation: the new one's default plan takes over the future.
        trajectory.plan = _default_plan(organisation)
        changed.append("plan")
    if trajectory.coach_id != (coach.pk if coach else None):
        trajectory.coach = coach
        changed.append("coach")
    if changed:
        trajectory.save(update_fields=changed)
        trajectory.checkins.filter(status=CheckIn.Status.PLANNED).update(coach=coach)
        if "plan" in changed:
            schedule_regenerate(trajectory=trajectory)
    return trajectory


@transaction.atomic
def trajectory_switch_plan(*, trajectory: Trajectory, plan: FollowUpPlan, actor=None) -> Trajectory:
    if plan.organisation_id != trajectory.organisation_id:
        raise ValidationError({"plan": _("Dit contactplan hoort niet bij deze organisatie.")})
    trajectory.plan = plan
    trajectory.save(update_fields=["plan"])
    schedule_regenerate(trajectory=trajectory)
    with translation.override("nl"):  # the timeline is a record: always Dutch
        timeline_add(
            student=trajectory.student,
            kind=TimelineEvent.Kind.CHECKIN,
            summary=_("Contactplan gewijzigd naar %(plan)s") % {"plan": plan.name},
            actor=actor,
        )
    return trajectory


def _check_future(due_date: dt.date, trajectory: Trajectory) -> None:
    if due_date < _today():
        raise ValidationError({"due_date": _("Kies een datum vandaag of later.")})
    if due_date > trajectory.end_date:
        raise ValidationError(
            {"due_date": _("Kies een datum voor het einde van het traject (%(end)s).") % {"end": trajectory.end_date}}
        )


@transaction.atomic
def checkin_add(*, trajectory: Trajectory, due_date: dt.date, actor=None) -> CheckIn:
    if not trajectory.is_open:
        raise ValidationError(_("Dit traject is afgesloten."))
    _check_future(due_date, trajectory)
    checkin = CheckIn.objects.create(trajectory=trajectory, coach=trajectory.coach, due_date=due_date, is_manual=True)
    with translation.override("nl"):  # the timeline is a record: always Dutch
        timeline_add(
            student=trajectory.student,
            kind=TimelineEvent.Kind.CHECKIN,
            summary=_("Contactmoment toegevoegd op %(date)s") % {"date": due_date.strftime("%d-%m-%Y")},
            actor=actor,
        )
    return checkin


@transaction.atomic
def checkin_move(*, checkin: CheckIn, due_date: dt.date, actor=None) -> CheckIn:
    """Move one planned check-in. It becomes the coach's own: regenerating keeps it."""
    checkin = CheckIn.objects.select_for_update().select_related("trajectory__student").get(pk=checkin.pk)
    if checkin.status != CheckIn.Status.PLANNED:
        raise ValidationError(_("Alleen een gepland contactmoment kan verplaatst worden."))
    _check_future(due_date, checkin.trajectory)
    old = checkin.due_date
    checkin.due_date = due_date
    checkin.is_manual = True
    checkin.save(update_fields=["due_date", "is_manual"])
    with translation.override("nl"):  # the timeline is a record: always Dutch
        timeline_add(
            student=checkin.trajectory.student,
            kind=TimelineEvent.Kind.CHECKIN,
            summary=_("Contactmoment verplaatst van %(old)s naar %(new)s")
            % {"old": old.strftime("%d-%m-%Y"), "new": due_date.strftime("%d-%m-%Y")},
            actor=actor,
        )
    return checkin


# --- situations and support actions ------------------------------------------------------


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
        with translation.override("nl"):  # the timeline is a record: always Dutch
            summary = _("Situatie: %(kind)s") % {"kind": record.get_kind_display()}
            if measurement_month:
                summary += " " + _("(meetmoment %(m)s maanden)") % {"m": measurement_month}
        timeline_add(student=student, kind=TimelineEvent.Kind.SITUATION, summary=summary, actor=recorded_by)
    return record


@transaction.atomic
def support_action_add(
    *,
    student: Student,
    kind: str,
    status: str = SupportAction.Status.PLANNED,
    started_on=None,
    note: str = "",
    actor=None,
) -> SupportAction:
    action = SupportAction.objects.create(
        student=student,
        trajectory=open_trajectory(student),
        kind=kind,
        status=status,
        started_on=started_on or _today(),
        note=note,
        created_by=actor,
    )
    with translation.override("nl"):  # the timeline is a record: always Dutch
        timeline_add(
            student=student,
            kind=TimelineEvent.Kind.SUPPORT,
            summary=_("Begeleidingsaanbod: %(kind)s (%(status)s)")
            % {"kind": action.get_kind_display(), "status": action.get_status_display()},
            actor=actor,
        )
    return action


@transaction.atomic
def support_action_update(*, action: SupportAction, status: str, actor=None) -> SupportAction:
    if status not in SupportAction.Status.values:
        raise ValidationError({"status": _("Kies een status.")})
    action.status = status
    action.ended_on = None if status in SupportAction.OPEN_STATUSES else _today()
    action.save(update_fields=["status", "ended_on"])
    with translation.override("nl"):  # the timeline is a record: always Dutch
        timeline_add(
            student=action.student,
            kind=TimelineEvent.Kind.SUPPORT,
            summary=_("Begeleidingsaanbod %(kind)s: %(status)s")
            % {"kind": action.get_kind_display(), "status": action.get_status_display()},
            actor=actor,
        )
    return action


# --- contacts ------------------------------------------------------------------------------


def due_checkin(trajectory: Trajectory | None, today: dt.date | None = None) -> CheckIn | None:
    """The check-in a reached contact now would complete."""
    if trajectory is None or not trajectory.is_open:
        return None
    horizon = (today or _today()) + dt.timedelta(days=COMPLETE_AHEAD_DAYS)
    return trajectory.checkins.filter(status=CheckIn.Status.PLANNED, due_date__lte=horizon).order_by("due_date").first()


def contact_log(
    *,
    student: Student,
    author,
    channel: str,
    reached: bool,
    at: dt.datetime | None = None,
    duration_minutes: int | None = None,
    discussed: str = "",
    next_steps: str = "",
    situation: dict | None = None,
    support_actions: list[dict] | None = None,
) -> Contact:
    """Log a contact or an attempt. A reached contact completes the due check-in; at a
    measurement moment (6/12/24 months) that needs a situation, or nothing is written."""
    at = at or timezone.now()
    with transaction.atomic():
        trajectory = Trajectory.objects.select_for_update().filter(student=student, closed_at__isnull=True).first()
        checkin = due_checkin(trajectory, timezone.localdate(at)) if reached else None
        if checkin is not None and checkin.is_measurement and not situation:
            raise ValidationError(
                {
                    "situation_kind": _(
                        "Dit contact is het meetmoment van %(m)s maanden: vul de situatie van de jongere in."
                    )
                    % {"m": checkin.measurement_month}
                }
            )
        contact = Contact.objects.create(
            student=student,
            trajectory=trajectory,
            author=author,
            at=at,
            channel=channel,
            reached=reached,
            duration_minutes=duration_minutes,
            discussed=discussed,
            next_steps=next_steps,
        )
        with translation.override("nl"):  # the timeline is a record: always Dutch
            timeline_add(
                student=student,
                kind=TimelineEvent.Kind.CONTACT,
                summary=_("Contact via %(channel)s: %(result)s")
                % {
                    "channel": contact.get_channel_display().lower(),
                    "result": _("bereikt") if reached else _("niet bereikt"),
                },
                actor=author,
                at=at,
            )
        if situation:
            situation_record(
                student=student,
                date=timezone.localdate(at),
                recorded_by=author,
                contact=contact,
                measurement_month=checkin.measurement_month if checkin and checkin.is_measurement else None,
                **situation,
            )
        for spec in support_actions or []:
            support_action_add(student=student, actor=author, **spec)
        if checkin is not None:
            checkin.status = CheckIn.Status.DONE
            checkin.completed_by = contact
            checkin.completed_at = timezone.now()
            checkin.save(update_fields=["status", "completed_by", "completed_at"])
            # One call after a silence catches up: older ordinary moments count as missed, so
            # the caseload shows the next real moment. Measurements stay open: they need data.
            trajectory.checkins.filter(
                status=CheckIn.Status.PLANNED, due_date__lt=timezone.localdate(at), is_measurement=False
            ).update(status=CheckIn.Status.MISSED)
    return contact


def contact_is_editable(contact: Contact, user) -> bool:
    return contact.author_id == user.pk and timezone.now() - contact.created_at <= contact_edit_window()


@transaction.atomic
def contact_edit(
    *,
    contact: Contact,
    editor,
    channel: str,
    reached: bool,
    duration_minutes: int | None,
    discussed: str,
    next_steps: str,
) -> Contact:
    """Correct a note: only its author, only within the edit window; the old text is kept."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if not contact_is_editable(contact, editor):
        raise PermissionDenied(_("Dit contact kan niet meer gewijzigd worden."))
    now = timezone.now()
    ContactRevision.objects.create(
        contact=contact,
        edited_by=editor,
        edited_at=now,
        channel=contact.channel,
        reached=contact.reached,
        duration_minutes=contact.duration_minutes,
        discussed=contact.discussed,
        next_steps=contact.next_steps,
    )
    contact.channel = channel
    contact.reached = reached
    contact.duration_minutes = duration_minutes
    contact.discussed = discussed
    contact.next_steps = next_steps
    contact.edited_at = now
    contact.save(update_fields=["channel", "reached", "duration_minutes", "discussed", "next_steps", "edited_at"])
    return contact


# --- closing -------------------------------------------------------------------


@transaction.atomic
def trajectory_close(*, trajectory: Trajectory, reason: str, situation: dict, actor=None) -> Trajectory:
    """Close with a reason and a final situation; the remaining planned check-ins lapse."""
    if reason not in CloseReason.values:
        raise ValidationError({"reason": _("Kies een reden.")})
    trajectory = Trajectory.objects.select_for_update().select_related("student").get(pk=trajectory.pk)
    if not trajectory.is_open:
        raise ValidationError(_("Dit traject is al afgesloten."))
    final = situation_record(student=trajectory.student, date=_today(), recorded_by=actor, **situation)
    trajectory.closed_at = timezone.now()
    trajectory.close_reason = reason
    trajectory.final_situation = final
    trajectory.closed_by = actor
    trajectory.save(update_fields=["closed_at", "close_reason", "final_situation", "closed_by"])
    trajectory.checkins.filter(status=CheckIn.Status.PLANNED).update(status=CheckIn.Status.CANCELLED)
    with translation.override("nl"):  # the timeline is a record: always Dutch
        timeline_add(
            student=trajectory.student,
            kind=TimelineEvent.Kind.CLOSED,
            summary=_("Traject afgesloten: %(reason)s") % {"reason": trajectory.get_close_reason_display()},
            actor=actor,
        )
    return trajectory


def trajectories_close_after_withdrawal(*, student: Student, actor=None) -> list[Trajectory]:
    """Close every open trajectory whose organisation lost its consent basis for `student`.

    The final situation is the last one known (or "onbekend"): nothing new is made up."""
    closed = []
    for trajectory in Trajectory.objects.filter(student=student, closed_at__isnull=True).select_related("organisation"):
        purpose = purpose_for_organisation(trajectory.organisation)
        if purpose is None or has_consent(student, purpose):
            continue
        last = SituationRecord.objects.filter(student=student).order_by("-date", "-id").first()
        situation = {"kind": last.kind if last else SituationKind.UNKNOWN}
        if last is not None:
            situation.update(
                contract_type=last.contract_type,
                hours_per_week=last.hours_per_week,
                sector=last.sector,
                benefit=last.benefit,
            )
        closed.append(
            trajectory_close(
                trajectory=trajectory, reason=CloseReason.CONSENT_WITHDRAWN, situation=situation, actor=actor
            )
        )
    return closed
