"""Guidance periods: start, follow an assignment, switch plan, close (also after a withdrawal)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from audit.models import Action
from audit.services import access_log
from coaching.models import (
    CheckIn,
    CloseReason,
    FollowUpPlan,
    SituationKind,
    SituationRecord,
    Trajectory,
)
from coaching.schedule import end_date_for
from coaching.services.plans import _default_plan
from coaching.services.schedule import _today, diploma_date_of, schedule_regenerate
from coaching.services.situations import situation_record
from students.access import purpose_for_organisation
from students.models import Student
from students.retention import retention_update
from students.selectors import has_consent
from students.services import timeline_add

# The access-log detail of a reopening: "traject heropend: <reason>" (privacy translates the code).
REOPENED = "traject heropend"


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
    timeline_add(
        student=student,
        event="plan_started",
        data={"plan": trajectory.plan.names, "end": trajectory.end_date.isoformat()},
        actor=actor,
    )
    return trajectory


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
    timeline_add(student=trajectory.student, event="plan_changed", data={"plan": plan.names}, actor=actor)
    return trajectory


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
    # The erasure date is set now, not by the nightly sweep: the record shows it at once.
    retention = retention_update(trajectory.student)
    timeline_add(
        student=trajectory.student,
        event="trajectory_closed",
        data={"reason": reason, "erase_after": retention.erase_after.isoformat() if retention.erase_after else ""},
        actor=actor,
    )
    return trajectory


@transaction.atomic
def trajectory_reopen(*, trajectory: Trajectory, reason: str, request) -> Trajectory:
    """A coordinator reopens a closed trajectory (closed by mistake, the young person came back).
    The schedule from today is generated again and the erasure date is cleared or recomputed.
    The reason (free text) goes to the access log, not to the timeline."""
    trajectory = Trajectory.objects.select_for_update().select_related("student", "plan").get(pk=trajectory.pk)
    if trajectory.is_open:
        raise ValidationError(_("Dit traject is al open."))
    if Trajectory.objects.filter(student=trajectory.student, closed_at__isnull=True).exists():
        raise ValidationError(_("Deze jongere heeft al een open traject."))
    trajectory.closed_at = None
    trajectory.close_reason = ""
    trajectory.closed_by = None
    trajectory.final_situation = None
    trajectory.save(update_fields=["closed_at", "close_reason", "closed_by", "final_situation"])
    schedule_regenerate(trajectory=trajectory)
    retention = retention_update(trajectory.student)
    timeline_add(
        student=trajectory.student,
        event="trajectory_reopened",
        data={"erase_after": retention.erase_after.isoformat() if retention.erase_after else ""},
        actor=request.user,
    )
    access_log(request=request, action=Action.CHANGE, student=trajectory.student, detail=f"{REOPENED}: {reason}")
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
