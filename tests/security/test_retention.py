"""Erasure dates, the nightly erasure (pseudonymisation) and its idempotency."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from audit.models import AccessLogEntry, Action
from consent.models import ConsentRecord, Purpose, Status
from privacy.services import student_erase
from privacy.tasks import retention_sweep
from students.models import Handover, Outcome, Student, TimelineEvent
from students.retention import (
    REASON_CLOSED,
    REASON_NO_CONSENT,
    REASON_TWO_YEARS,
    REASON_WITHDRAWN,
    student_retention,
)
from students.services import timeline_add
from students.timeline import render
from tests.factories import HandoverFactory, StudentFactory, give_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def days(settings):
    settings.KWINT_RETENTION_DAYS_AFTER_CLOSE = 365
    settings.KWINT_RETENTION_DAYS_AFTER_WITHDRAWAL = 30
    settings.KWINT_RETENTION_DAYS_WITHOUT_CONSENT = 180
    return settings


def _student(cast, **kw):
    return StudentFactory(school=cast.school, municipality=cast.municipality, region=cast.region, **kw)


def test_a_student_still_at_school_has_no_erasure_date(cast, days):
    s = _student(cast, outcome=Outcome.STUDYING, outcome_date=None)
    assert student_retention(s).erase_after is None


def test_leaving_without_consent_lapses_after_the_configured_days(cast, days):
    s = _student(cast, outcome_date=dt.date(2026, 7, 1))
    r = student_retention(s)
    assert (r.erase_after, r.reason) == (dt.date(2026, 7, 1) + dt.timedelta(days=180), REASON_NO_CONSENT)


def test_with_consent_the_record_stays_until_two_years_after_the_diploma(cast, days):
    s = _student(cast, outcome_date=dt.date(2026, 7, 1))
    give_consent(s, Purpose.SHARING)
    r = student_retention(s)
    assert (r.erase_after, r.reason) == (dt.date(2028, 7, 1) + dt.timedelta(days=365), REASON_TWO_YEARS)


def test_withdrawal_sets_the_short_period(cast, days):
    s = _student(cast, outcome_date=dt.date(2026, 7, 1))
    give_consent(s, Purpose.SHARING)
    give_consent(s, Purpose.SHARING, Status.WITHDRAWN)
    r = student_retention(s)
    assert r.reason in {REASON_WITHDRAWN, REASON_NO_CONSENT}
    assert r.erase_after == min(
        timezone.localdate() + dt.timedelta(days=30), dt.date(2026, 7, 1) + dt.timedelta(days=180)
    )


def test_a_closed_trajectory_counts_from_the_closing_day(cast, days):
    from coaching.models import FollowUpPlan, Trajectory

    s = _student(cast, outcome_date=dt.date(2026, 7, 1))
    give_consent(s, Purpose.SHARING)
    plan = FollowUpPlan.objects.create(organisation=cast.rmc, name="Licht", rules=[])
    Trajectory.objects.create(
        student=s,
        organisation=cast.rmc,
        coach=cast.coach.user,
        plan=plan,
        diploma_date=dt.date(2026, 7, 1),
        start_date=dt.date(2026, 7, 1),
        end_date=dt.date(2028, 7, 1),
        closed_at=timezone.make_aware(dt.datetime(2027, 1, 10, 12)),
    )
    r = student_retention(s)
    assert (r.erase_after, r.reason) == (dt.date(2027, 1, 10) + dt.timedelta(days=365), REASON_CLOSED)


@pytest.fixture
def due_student(cast, days):
    s = _student(
        cast,
        first_name="Özlem",
        last_name="d'Amico",
        phone="+31612345678",
        email="ozlem@example.nl",
        postcode="8011 AB",
        woonplaats="Zwolle",
        outcome_date=dt.date(2024, 7, 15),
        class_name="LOG2A",
        coach=cast.school_coach.user,
    )
    give_consent(s, Purpose.SHARING, Status.REFUSED)
    ConsentRecord.objects.filter(student=s).update(representative_name="", note="")  # allowed by the trigger
    HandoverFactory(student=s, what_works="Rustig uitleggen", own_words_wants="Ik wil kok worden", risks="schulden")
    # A row from before events had names (a finished sentence), and one whose data names her.
    TimelineEvent.objects.create(
        student=s, kind=TimelineEvent.Kind.CONTACT, summary="Gebeld met Özlem over haar stage", at=timezone.now()
    )
    timeline_add(student=s, event="correction_requested", data={"what": "Özlem heet voortaan Ozzy"})
    # Her date came yesterday, and it has been shown for longer than the notice period.
    today = timezone.localdate()
    Student.objects.filter(pk=s.pk).update(
        erase_after=today - dt.timedelta(days=1),
        erase_reason=REASON_NO_CONSENT,
        erase_noticed_on=today - dt.timedelta(days=40),
    )
    return s


def test_the_sweep_pseudonymises_what_is_due_and_keeps_the_facts(due_student, cast):
    result = retention_sweep(today=timezone.localdate())
    assert result["erased"] == 1
    s = Student.objects.get(pk=due_student.pk)
    assert s.erased_at is not None
    assert (s.first_name, s.last_name, s.phone, s.email, s.postcode, s.woonplaats, s.student_number) == (
        "Gewist",
        "Gewist",
        "",
        "",
        "",
        "",
        "",
    )
    assert s.date_of_birth is None and s.class_name == "" and s.coach is None
    # Facts for the dashboards stay, dates at month precision.
    assert (s.school_id, s.region_id, s.municipality_id, s.programme_name, s.level, s.cohort, s.outcome) == (
        cast.school.pk,
        cast.region.pk,
        cast.municipality.pk,
        "Medewerker logistiek",
        2,
        2026,
        Outcome.DIPLOMA,
    )
    assert s.outcome_date == dt.date(2024, 7, 1)
    handover = Handover.objects.get(student=s)
    assert (handover.what_works, handover.own_words_wants, handover.risks) == ("", "", "")
    assert not TimelineEvent.objects.filter(student=s, summary__icontains="Özlem").exists()
    assert not any("Özlem" in render(e) or "Özlem" in str(e.data) for e in TimelineEvent.objects.filter(student=s))
    assert ConsentRecord.objects.filter(student=s).count() == 1  # the proof stays, without names
    entry = AccessLogEntry.objects.get(action=Action.ERASE, student_code=s.code)
    assert "Özlem" not in entry.detail and "Amico" not in entry.detail
    assert not Student.objects.active().filter(pk=s.pk).exists()


def test_related_models_declaring_privacy_fields_are_blanked(due_student, cast):
    from coaching.models import Contact

    Contact.objects.create(
        student=due_student,
        author=cast.coach.user,
        at=timezone.now(),
        discussed="Özlem heeft schulden",
        next_steps="bellen",
    )
    student_erase(student_id=due_student.pk, reason="test")
    assert list(Contact.objects.filter(student=due_student).values_list("discussed", "next_steps")) == [("", "")]


def test_the_sweep_is_safe_to_run_twice(due_student):
    retention_sweep()
    erased_at = Student.objects.get(pk=due_student.pk).erased_at
    entries = AccessLogEntry.objects.filter(action=Action.ERASE).count()
    second = retention_sweep()
    assert second == {"dates_changed": 0, "erased": 0}
    assert Student.objects.get(pk=due_student.pk).erased_at == erased_at
    assert AccessLogEntry.objects.filter(action=Action.ERASE).count() == entries
    assert student_erase(student_id=due_student.pk, reason="nogmaals") is False


def test_the_sweep_leaves_records_not_yet_due(cast, days):
    s = _student(cast, outcome_date=timezone.localdate() - dt.timedelta(days=10))
    retention_sweep()
    s.refresh_from_db()
    assert s.erased_at is None and s.erase_after == s.outcome_date + dt.timedelta(days=180)


def test_the_sweep_is_in_the_beat_schedule_at_night():
    from kwint.celery import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["privacy-retention-sweep"]
    assert entry["task"] == "privacy.retention_sweep"
    assert entry["schedule"].hour == {2} and entry["schedule"].minute == {30}


def test_the_celery_task_runs_the_sweep_and_a_missing_record_is_skipped_quietly(due_student):
    from privacy.tasks import retention_sweep_task

    assert retention_sweep_task.name == "privacy.retention_sweep"
    assert retention_sweep_task()["erased"] == 1
    assert student_erase(student_id=10**9, reason="weg") is False


@time_machine.travel("2026-09-01 10:00 +02:00", tick=False)
def test_erasing_ends_an_open_trajectory_and_its_planned_checkins(cast):
    from coaching.models import CheckIn, CloseReason, Trajectory
    from privacy.services import student_erase
    from tests.coaching.factories import guided_student

    student = guided_student(cast, coach=cast.coach)
    assert student_erase(student_id=student.pk, reason="test")
    trajectory = Trajectory.objects.get(student=student)
    assert trajectory.close_reason == CloseReason.ERASED and trajectory.closed_at is not None
    assert not CheckIn.objects.filter(trajectory=trajectory, status=CheckIn.Status.PLANNED).exists()
