"""Trajectories follow assignments; contacts complete check-ins; the past is never rewritten."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coaching import services
from coaching.models import CheckIn, Contact, ContactRevision, FollowUpPlan, SituationRecord, SupportAction, Trajectory
from students.models import TimelineEvent
from students.services import student_assign
from tests.coaching.factories import guided_student
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
DAY_ONE = "2026-07-01 10:00 +02:00"


@time_machine.travel(DAY_ONE, tick=False)
def test_assigning_a_coach_opens_the_trajectory_and_its_schedule(cast):
    student = guided_student(cast)
    trajectory = Trajectory.objects.get(student=student)
    assert trajectory.coach == cast.coach.user
    assert trajectory.organisation == cast.rmc
    assert trajectory.plan.name == "Regulier"  # the organisation's default plan, created on first use
    assert trajectory.start_date == dt.date(2026, 7, 1)
    assert trajectory.end_date == dt.date(2028, 7, 1)
    months = set(trajectory.checkins.exclude(measurement_month=None).values_list("measurement_month", flat=True))
    assert months == {6, 12, 24}
    assert set(trajectory.checkins.values_list("coach", flat=True)) == {cast.coach.user_id}
    assert FollowUpPlan.objects.filter(organisation=cast.rmc).count() == 3


@time_machine.travel("2026-11-02 10:00 +01:00", tick=False)
def test_a_late_handover_starts_on_the_handover_day(cast):
    student = guided_student(cast, diploma=dt.date(2026, 7, 1))
    trajectory = student.trajectories.get()
    assert trajectory.start_date == dt.date(2026, 11, 2)
    assert trajectory.checkins.filter(due_date__lt=dt.date(2026, 11, 2)).count() == 0


def test_moving_a_student_moves_open_check_ins_and_keeps_history(cast):
    with time_machine.travel(DAY_ONE, tick=False):
        student = guided_student(cast)
        other = MembershipFactory(organisation=cast.rmc, role="coach")
    with time_machine.travel("2026-08-03 10:00 +02:00", tick=False):
        contact = services.contact_log(student=student, author=cast.coach.user, channel="telefoon", reached=True)
        student_assign(student=student, organisation=cast.rmc, coach=other.user, actor=cast.coordinator.user)
    trajectory = Trajectory.objects.get(student=student)  # still one trajectory
    assert trajectory.coach == other.user
    assert not trajectory.checkins.filter(status=CheckIn.Status.PLANNED).exclude(coach=other.user).exists()
    done = trajectory.checkins.get(status=CheckIn.Status.DONE)
    assert done.completed_by == contact and contact.author == cast.coach.user
    assert student.timeline.filter(kind=TimelineEvent.Kind.ASSIGNED).count() == 2


def test_a_reached_contact_completes_the_due_check_in_and_an_unreached_one_does_not(cast):
    with time_machine.travel(DAY_ONE, tick=False):
        student = guided_student(cast)
    trajectory = student.trajectories.get()
    first = trajectory.checkins.order_by("due_date").first()
    assert first.due_date == dt.date(2026, 7, 8)
    with time_machine.travel("2026-07-06 10:00 +02:00", tick=False):  # two days early: within the week
        services.contact_log(student=student, author=cast.coach.user, channel="telefoon", reached=False)
        first.refresh_from_db()
        assert first.status == CheckIn.Status.PLANNED
        contact = services.contact_log(
            student=student, author=cast.coach.user, channel="app", reached=True, discussed="Gaat goed."
        )
    first.refresh_from_db()
    assert first.status == CheckIn.Status.DONE and first.completed_by == contact


def test_a_measurement_moment_needs_a_situation_and_writes_nothing_without_it(cast):
    with time_machine.travel(DAY_ONE, tick=False):
        student = guided_student(cast)
    trajectory = student.trajectories.get()
    with time_machine.travel("2027-01-01 11:00 +01:00", tick=False):
        # Catch up: everything before the measurement is done or missed.
        trajectory.checkins.filter(due_date__lt=dt.date(2027, 1, 1)).update(status=CheckIn.Status.DONE)
        before = Contact.objects.count()
        with pytest.raises(ValidationError) as error:
            services.contact_log(student=student, author=cast.coach.user, channel="telefoon", reached=True)
        assert "situation_kind" in error.value.message_dict
        assert Contact.objects.count() == before
        services.contact_log(
            student=student,
            author=cast.coach.user,
            channel="telefoon",
            reached=True,
            situation={"kind": "werk", "contract_type": "tijdelijk", "hours_per_week": 24, "sector": "Logistiek"},
        )
    measurement = trajectory.checkins.get(measurement_month=6)
    assert measurement.status == CheckIn.Status.DONE
    record = SituationRecord.objects.get(student=student)
    assert record.measurement_month == 6 and record.hours_per_week == 24


def test_one_call_after_a_silence_marks_older_ordinary_moments_missed(cast):
    with time_machine.travel(DAY_ONE, tick=False):
        student = guided_student(cast)
    trajectory = student.trajectories.get()
    with time_machine.travel("2026-10-02 10:00 +02:00", tick=False):
        services.contact_log(student=student, author=cast.coach.user, channel="telefoon", reached=True)
    statuses = list(trajectory.checkins.filter(due_date__lte=dt.date(2026, 10, 2)).values_list("status", flat=True))
    assert statuses.count(CheckIn.Status.DONE) == 1
    assert set(statuses) == {CheckIn.Status.DONE, CheckIn.Status.MISSED}


def test_switching_plan_regenerates_only_the_future(cast):
    with time_machine.travel(DAY_ONE, tick=False):
        student = guided_student(cast)
    trajectory = student.trajectories.get()
    with time_machine.travel("2026-09-15 10:00 +02:00", tick=False):
        past = list(trajectory.checkins.filter(due_date__lt=dt.date(2026, 9, 15)).values_list("pk", "due_date"))
        services.contact_log(student=student, author=cast.coach.user, channel="telefoon", reached=True)
        moved = trajectory.checkins.filter(status=CheckIn.Status.PLANNED).order_by("due_date").first()
        services.checkin_move(checkin=moved, due_date=dt.date(2026, 12, 14))
        intensief = FollowUpPlan.objects.get(organisation=cast.rmc, kind="intensief")
        services.trajectory_switch_plan(trajectory=trajectory, plan=intensief)
    # The past check-ins are the same rows; the moved one survived; measurements are not doubled.
    assert set(trajectory.checkins.filter(due_date__lt=dt.date(2026, 9, 15)).values_list("pk", "due_date")) == set(past)
    assert trajectory.checkins.filter(pk=moved.pk, due_date=dt.date(2026, 12, 14), is_manual=True).exists()
    assert trajectory.checkins.filter(measurement_month=6).count() == 1
    future = trajectory.checkins.filter(status=CheckIn.Status.PLANNED, due_date__gte=dt.date(2026, 9, 15))
    assert future.count() > 40  # every two weeks now


def test_moving_a_check_in_into_the_past_is_refused(cast):
    with time_machine.travel(DAY_ONE, tick=False):
        student = guided_student(cast)
        checkin = student.trajectories.get().checkins.first()
        with pytest.raises(ValidationError):
            services.checkin_move(checkin=checkin, due_date=dt.date(2026, 6, 30))
        with pytest.raises(ValidationError):
            services.checkin_add(trajectory=checkin.trajectory, due_date=dt.date(2029, 1, 1))


def test_notes_are_editable_by_the_author_for_a_short_while_and_keep_history(cast, settings):
    settings.KWINT_CONTACT_EDIT_MINUTES = 30
    with time_machine.travel(DAY_ONE, tick=False) as traveller:
        student = guided_student(cast)
        contact = services.contact_log(
            student=student, author=cast.coach.user, channel="telefoon", reached=True, discussed="Eerst"
        )
        edit = {"channel": "telefoon", "reached": True, "duration_minutes": 10, "next_steps": ""}
        with pytest.raises(PermissionDenied):
            services.contact_edit(contact=contact, editor=cast.coordinator.user, discussed="Niet van mij", **edit)
        services.contact_edit(contact=contact, editor=cast.coach.user, discussed="Tweede", **edit)
        traveller.shift(dt.timedelta(minutes=31))
        with pytest.raises(PermissionDenied):
            services.contact_edit(contact=contact, editor=cast.coach.user, discussed="Te laat", **edit)
    contact.refresh_from_db()
    assert contact.discussed == "Tweede" and contact.edited_at is not None
    assert list(ContactRevision.objects.filter(contact=contact).values_list("discussed", flat=True)) == ["Eerst"]


def test_closing_cancels_the_planned_check_ins_and_keeps_the_final_situation(cast):
    with time_machine.travel(DAY_ONE, tick=False):
        student = guided_student(cast)
        trajectory = student.trajectories.get()
        services.trajectory_close(
            trajectory=trajectory, reason="doel_bereikt", situation={"kind": "opleiding", "education_name": "Niveau 3"}
        )
    trajectory.refresh_from_db()
    assert trajectory.closed_at is not None and trajectory.final_situation.kind == "opleiding"
    assert not trajectory.checkins.filter(status=CheckIn.Status.PLANNED).exists()
    with pytest.raises(ValidationError):
        services.trajectory_close(trajectory=trajectory, reason="doel_bereikt", situation={"kind": "werk"})


def test_support_actions_open_and_close(cast):
    student = guided_student(cast)
    action = services.support_action_add(student=student, kind=SupportAction.Kind.CV, actor=cast.coach.user)
    assert action.is_open and action.trajectory is not None
    services.support_action_update(action=action, status=SupportAction.Status.DONE)
    action.refresh_from_db()
    assert action.ended_on == timezone.localdate() and not action.is_open


def test_privacy_fields_are_declared_on_models_with_free_text():
    assert Contact.PRIVACY_FIELDS == ("discussed", "next_steps")
    assert "employer" in SituationRecord.PRIVACY_FIELDS
    assert SupportAction.PRIVACY_FIELDS == ("note",)


def test_a_handover_to_another_organisation_keeps_one_trajectory_with_its_plan(cast):
    from accounts.models import Role

    with time_machine.travel(DAY_ONE, tick=False):
        student = guided_student(cast, coach=cast.school_coach, consent=False)
        trajectory = Trajectory.objects.get(student=student)
        assert trajectory.organisation == cast.school
        done = trajectory.checkins.order_by("due_date").first()
        CheckIn.objects.filter(pk=done.pk).update(status=CheckIn.Status.DONE)
    with time_machine.travel("2026-09-01 10:00 +02:00", tick=False):
        rmc_coach = MembershipFactory(organisation=cast.rmc, role=Role.COACH)
        student_assign(student=student, organisation=cast.rmc, coach=rmc_coach.user)
    trajectory.refresh_from_db()
    assert Trajectory.objects.filter(student=student).count() == 1
    assert trajectory.organisation == cast.rmc and trajectory.plan.organisation == cast.rmc
    assert trajectory.checkins.get(pk=done.pk).status == CheckIn.Status.DONE
    future = trajectory.checkins.filter(status=CheckIn.Status.PLANNED)
    assert future.exists() and not future.exclude(coach=rmc_coach.user).exists()
