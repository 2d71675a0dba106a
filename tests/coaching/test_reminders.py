"""The morning sweep: one digest per coach per day, escalations once, claims never send twice."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from celery.schedules import crontab
from django.core import mail
from django.db.models import F
from django.utils import timezone

from coaching import outbox, reminders, tasks
from coaching.models import CheckIn, Reminder, Trajectory
from coaching.services import contact_log
from consent.models import Purpose, Status
from kwint.celery import BEAT_SCHEDULE, app
from kwint.lib import outbox as kwint_outbox
from tests.coaching.factories import guided_student
from tests.factories import give_consent

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
HANDOVER = dt.datetime(2026, 7, 1, 10, 0, tzinfo=AMS)


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMS)


def sweep_and_send(today: dt.date) -> list[str]:
    """What beat + the workers do, in-process: plan the rows, then deliver each."""
    return [outbox.deliver(pk) for pk in reminders.reminders_plan(today=today)]


@pytest.fixture
def two_students(cast):
    with time_machine.travel(HANDOVER, tick=False):
        return [guided_student(cast), guided_student(cast)]


def test_digest_once_per_coach_even_when_the_sweep_runs_twice(cast, two_students, settings):
    settings.KWINT_BASE_URL = "https://kwint.example.nl"
    with time_machine.travel(local(2026, 7, 8, 7, 0), tick=False):  # both first calls due today
        assert sweep_and_send(dt.date(2026, 7, 8)) == ["sent"]
        assert sweep_and_send(dt.date(2026, 7, 8)) == []
        tasks.reminder_sweep()  # the task path too: nothing new to send
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cast.coach.user.email]
    assert "2 contactmoment" in message.subject
    assert "Vandaag gepland: 2" in message.body
    assert "https://kwint.example.nl/coaching/caseload/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'href="https://kwint.example.nl/coaching/caseload/"' in html
    # No names in e-mail: it leaves our systems.
    assert all(s.last_name not in message.body and s.last_name not in html for s in two_students)
    reminder = Reminder.objects.get()
    assert reminder.status == Reminder.Status.SENT and reminder.attempts == 1


def test_digest_is_in_the_coachs_language(cast, two_students):
    cast.coach.user.language = "en"
    cast.coach.user.save()
    with time_machine.travel(local(2026, 7, 9, 7, 0), tick=False):
        sweep_and_send(dt.date(2026, 7, 9))
    assert len(mail.outbox) == 1
    assert "Open my caseload" in mail.outbox[0].body and "Overdue: 2" in mail.outbox[0].body
    assert '<html lang="en">' in mail.outbox[0].alternatives[0][0]


def test_the_task_enqueues_each_reminder_after_commit(
    cast, two_students, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(tasks.reminder_send, "delay", lambda pk: sent.append(pk))
    with time_machine.travel(local(2026, 7, 8, 7, 0), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert tasks.reminder_sweep() == 1
    assert sent == list(Reminder.objects.values_list("pk", flat=True))


def test_no_digest_without_anything_due(cast, two_students):
    with time_machine.travel(local(2026, 7, 3, 7, 0), tick=False):
        assert sweep_and_send(dt.date(2026, 7, 3)) == []
    assert mail.outbox == []


def test_no_reminder_once_consent_is_withdrawn(cast, two_students):
    for student in two_students:
        give_consent(student, Purpose.SHARING, Status.WITHDRAWN)
    with time_machine.travel(local(2026, 7, 8, 7, 0), tick=False):
        # The sweep plans by due date alone; who may still see whom is read when the message
        # is built, so the digest is skipped then (and the reason kept).
        assert sweep_and_send(dt.date(2026, 7, 8)) == ["skipped"]
    assert mail.outbox == []
    assert Reminder.objects.get().reason == "not_relevant"


def test_a_concurrent_claim_is_never_sent_twice_and_a_stale_one_is_taken_over(cast, two_students, settings):
    settings.KWINT_REMINDER_CLAIM_SECONDS = 600
    with time_machine.travel(local(2026, 7, 8, 7, 0), tick=False) as traveller:
        [pk] = reminders.reminders_plan(today=dt.date(2026, 7, 8))
        # Another worker claimed it a moment ago (same conditional UPDATE the service uses).
        assert (
            Reminder.objects.filter(pk=pk, status="pending").update(
                status="sending", claimed_at=timezone.now(), attempts=F("attempts") + 1
            )
            == 1
        )
        assert outbox.deliver(pk) == "busy"
        assert mail.outbox == []
        # That worker died: after the claim timeout the row is claimed again and sent once.
        traveller.shift(dt.timedelta(seconds=601))
        assert outbox.deliver(pk) == "sent"
        assert outbox.deliver(pk) == "sent"  # already sent: nothing happens
        assert outbox.owed_ids() == []
    assert len(mail.outbox) == 1
    assert Reminder.objects.get(pk=pk).attempts == 2


def test_a_failed_send_is_retried_from_the_database_not_the_broker(cast, two_students, monkeypatch):
    def boom(self, *args, **kwargs):
        raise ConnectionError("smtp down")

    with time_machine.travel(local(2026, 7, 8, 7, 0), tick=False) as traveller:
        [pk] = reminders.reminders_plan(today=dt.date(2026, 7, 8))
        monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", boom)
        assert outbox.deliver(pk) == "retry"  # no exception: nothing for Celery to retry
        row = Reminder.objects.get(pk=pk)
        assert row.status == Reminder.Status.PENDING and row.claimed_at is None
        assert row.not_before == timezone.now() + dt.timedelta(minutes=1)
        assert row.last_error == "ConnectionError: smtp down"
        assert outbox.owed_ids() == []  # backing off: the redispatch leaves it for now
        assert outbox.deliver(pk) == "pending"
        monkeypatch.undo()
        traveller.shift(dt.timedelta(minutes=1))
        assert outbox.owed_ids() == [pk]
        assert outbox.deliver(pk) == "sent"
    assert len(mail.outbox) == 1
    assert Reminder.objects.get(pk=pk).last_error == ""


def test_a_send_that_keeps_failing_ends_failed_with_the_reason(cast, two_students, monkeypatch):
    def boom(self, *args, **kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", boom)
    with time_machine.travel(local(2026, 7, 8, 7, 0), tick=False) as traveller:
        [pk] = reminders.reminders_plan(today=dt.date(2026, 7, 8))
        results = []
        for _ in range(outbox.MAX_ATTEMPTS):
            results.append(outbox.deliver(pk))
            traveller.shift(dt.timedelta(hours=1))
    assert results == ["retry"] * (outbox.MAX_ATTEMPTS - 1) + ["failed"]
    row = Reminder.objects.get(pk=pk)
    assert (row.status, row.reason, row.attempts) == ("failed", "failed", outbox.MAX_ATTEMPTS)
    assert outbox.owed_ids() == []


def test_every_reminder_mail_has_a_message_id_derived_from_its_key(cast, two_students):
    with time_machine.travel(local(2026, 7, 8, 7, 0), tick=False):
        sweep_and_send(dt.date(2026, 7, 8))
    row = Reminder.objects.get()
    message = mail.outbox[0].message()
    assert message["Message-ID"] == row.sent_ref == kwint_outbox.message_id(row.key, "kwint.example")
    assert message["X-Kwint-Reminder"] == row.key
    assert kwint_outbox.message_id(row.key, "x") == kwint_outbox.message_id(row.key, "x")
    assert kwint_outbox.message_id(row.key, "x") != kwint_outbox.message_id(row.key + "1", "x")


def test_overdue_beyond_the_limit_escalates_to_the_coordinator_once(cast, two_students, settings):
    settings.KWINT_ESCALATE_AFTER_DAYS = 14
    with time_machine.travel(local(2026, 7, 23, 7, 0), tick=False):  # first call (8 July) is 15 days late
        sweep_and_send(dt.date(2026, 7, 23))
    with time_machine.travel(local(2026, 7, 24, 7, 0), tick=False):
        sweep_and_send(dt.date(2026, 7, 24))
    escalations = [m for m in mail.outbox if cast.coordinator.user.email in m.to]
    # One bundle listing both overdue check-ins; nothing again the next day.
    assert len(escalations) == 1
    body = escalations[0].body
    assert "2 melding" in escalations[0].subject
    assert body.count("15 dagen te laat") == 2 and cast.coach.user.full_name in body
    assert all(f"/jongeren/{s.code}/" in body for s in two_students)
    assert all(s.last_name not in body for s in two_students)
    assert set(Reminder.objects.filter(kind="overdue").values_list("status", flat=True)) == {"sent"}
    digests = [m for m in mail.outbox if cast.coach.user.email in m.to]
    assert len(digests) == 2  # the coach still gets a digest each morning


def test_an_escalation_that_resolved_before_sending_is_skipped(cast, two_students, settings):
    settings.KWINT_ESCALATE_AFTER_DAYS = 14
    with time_machine.travel(local(2026, 7, 23, 7, 0), tick=False):
        ids = reminders.reminders_plan(today=dt.date(2026, 7, 23))
        CheckIn.objects.filter(due_date=dt.date(2026, 7, 8)).update(status=CheckIn.Status.DONE)
        for pk in ids:
            outbox.deliver(pk)
    assert not [m for m in mail.outbox if cast.coordinator.user.email in m.to]
    assert set(Reminder.objects.filter(kind="overdue").values_list("status", flat=True)) == {"skipped"}


def test_three_unanswered_attempts_in_a_row_escalate_once(cast, two_students):
    student = two_students[0]
    with time_machine.travel(local(2026, 7, 6, 10, 0), tick=False) as traveller:
        contact_log(student=student, author=cast.coach.user, channel="telefoon", reached=True)
        for _ in range(3):
            traveller.shift(dt.timedelta(hours=2))
            contact_log(student=student, author=cast.coach.user, channel="telefoon", reached=False)
    with time_machine.travel(local(2026, 7, 7, 7, 0), tick=False):
        sweep_and_send(dt.date(2026, 7, 7))
        contact_log(student=student, author=cast.coach.user, channel="sms", reached=False)  # a fourth
    with time_machine.travel(local(2026, 7, 8, 7, 0), tick=False):
        sweep_and_send(dt.date(2026, 7, 8))
    unanswered = Reminder.objects.filter(kind=Reminder.Kind.UNANSWERED)
    assert unanswered.count() == 1 and unanswered.get().status == Reminder.Status.SENT
    bundles = [m for m in mail.outbox if "melding" in m.subject]
    assert len(bundles) == 1 and "Drie keer op rij niet bereikt" in bundles[0].body


def test_two_years_after_the_diploma_the_coach_is_reminded_to_close(cast, two_students):
    end = Trajectory.objects.first().end_date
    CheckIn.objects.update(status=CheckIn.Status.DONE)
    with time_machine.travel(dt.datetime.combine(end, dt.time(7, 0), tzinfo=AMS), tick=False):
        sweep_and_send(end)
        sweep_and_send(end)
    close = [m for m in mail.outbox if "afsluiten" in m.subject]
    assert len(close) == 2  # one per trajectory, once
    assert "/afsluiten/" in close[0].body


def test_the_beat_entry_fires_at_0700_amsterdam_once_a_day_across_dst():
    entry = BEAT_SCHEDULE["coaching-reminder-sweep"]
    assert entry["task"] == tasks.reminder_sweep.name
    assert app.conf.timezone == "Europe/Amsterdam"
    for day, utc_hour in ((dt.date(2026, 3, 29), 5), (dt.date(2026, 10, 25), 6)):
        now = [dt.datetime.combine(day - dt.timedelta(days=1), dt.time(12, 0), tzinfo=dt.UTC)]
        schedule = crontab(
            minute=entry["schedule"]._orig_minute, hour=entry["schedule"]._orig_hour, app=app, nowfun=lambda: now[0]
        )
        # Walk the clock minute by minute for two days, as beat does, from noon the day before.
        last, fires, stop = now[0], [], now[0] + dt.timedelta(days=2)
        while now[0] < stop:
            if schedule.is_due(last).is_due:
                fires.append(now[0])
                last = now[0]
            now[0] += dt.timedelta(minutes=1)
        # Exactly one run on the DST day, at 07:00 local (05:00 UTC in summer time, 06:00 in winter).
        on_day = [f for f in fires if f.astimezone(AMS).date() == day]
        assert [f.astimezone(AMS).time() for f in fires] == [dt.time(7, 0), dt.time(7, 0)]
        assert len(on_day) == 1 and on_day[0].hour == utc_hour


@pytest.mark.parametrize("moment", [local(2026, 3, 29, 7, 0), local(2026, 10, 25, 7, 0)])
def test_on_the_dst_days_the_sweep_sends_one_digest(cast, moment):
    with time_machine.travel(moment - dt.timedelta(days=20), tick=False):
        guided_student(cast, diploma=(moment - dt.timedelta(days=20)).date())
    with time_machine.travel(moment, tick=False):
        tasks.reminder_sweep()  # plans the rows; here the sends run in-process below
        for pk in outbox.owed_ids():
            outbox.deliver(pk)
        tasks.reminder_sweep()
        for pk in outbox.owed_ids():
            outbox.deliver(pk)
    assert len(mail.outbox) == 1
    assert Reminder.objects.get().key.endswith(moment.date().isoformat())


def test_redispatch_re_enqueues_pending_and_stale_claims_only(
    cast, two_students, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.KWINT_REMINDER_CLAIM_SECONDS = 600
    enqueued = []
    monkeypatch.setattr(tasks.reminder_send, "delay", lambda pk: enqueued.append(pk))
    with time_machine.travel(local(2026, 7, 8, 7, 0), tick=False) as traveller:
        [pk] = reminders.reminders_plan(today=dt.date(2026, 7, 8))
        Reminder.objects.filter(pk=pk).update(status="sending", claimed_at=timezone.now())
        assert tasks.reminder_redispatch() == 0  # a fresh claim belongs to a live worker
        traveller.shift(dt.timedelta(minutes=11))
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.reminder_redispatch() == 1  # that worker died: send it again
        outbox.deliver(pk)
        assert tasks.reminder_redispatch() == 0  # sent rows never go out again
    assert enqueued == [pk] and len(mail.outbox) == 1


def _plan_queries(today: dt.date) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        reminders.reminders_plan(today=today)
    return len(queries)


def test_the_sweep_reads_by_due_date_in_a_fixed_number_of_queries(cast, settings):
    """Issue 16: the sweep finds what is due through indexes, not by walking every young
    person: the same number of queries for 2 or 8 young people with 1 or 4 coaches, overdue,
    unanswered and ending alike, and a rerun inserts nothing."""
    from tests.factories import MembershipFactory

    settings.KWINT_ESCALATE_AFTER_DAYS = 14

    def world(coaches: int, day: dt.date):
        members = [cast.coach] + [MembershipFactory(organisation=cast.rmc, role="coach") for _ in range(coaches - 1)]
        with time_machine.travel(HANDOVER, tick=False):
            students = [guided_student(cast, coach=m) for m in members for _ in range(2)]
        with time_machine.travel(local(2026, 7, day.day - 1, 10, 0), tick=False):  # since the last sweep
            for student in students:
                for _ in range(3):
                    contact_log(student=student, author=cast.coach.user, channel="telefoon", reached=False)
        return students

    counts = []
    for coaches, day in ((1, dt.date(2026, 7, 23)), (4, dt.date(2026, 7, 24))):
        Reminder.objects.all().delete()
        world(coaches, day)
        with time_machine.travel(local(*day.timetuple()[:3], 7, 0), tick=False):
            counts.append(_plan_queries(day))
            assert (
                Reminder.objects.filter(kind="digest").count()
                == Reminder.objects.values("recipient").filter(kind="digest").count()
            )
            before = Reminder.objects.count()
            rerun = _plan_queries(day)
            assert Reminder.objects.count() == before  # a rerun finds nothing new
    assert Reminder.objects.filter(kind="overdue").exists() and Reminder.objects.filter(kind="unanswered").exists()
    assert counts[0] == counts[1], counts
    assert rerun <= counts[1]


def test_each_sweep_escalates_what_became_overdue_since_the_last_one(cast, two_students, settings):
    settings.KWINT_ESCALATE_AFTER_DAYS = 14
    # First calls were due 8 July: not yet 14 days late on 20 July, more than 14 on 23 July.
    for day in (20, 21, 22):
        with time_machine.travel(local(2026, 7, day, 7, 0), tick=False):
            reminders.reminders_plan(today=dt.date(2026, 7, day))
    assert not Reminder.objects.filter(kind="overdue").exists()
    with time_machine.travel(local(2026, 7, 23, 7, 0), tick=False):
        reminders.reminders_plan(today=dt.date(2026, 7, 23))
    assert Reminder.objects.filter(kind="overdue").count() == 2
    # A sweep missed for days (an outage) catches up: the window starts at the last sweep.
    CheckIn.objects.filter(due_date=dt.date(2026, 7, 8)).update(due_date=dt.date(2026, 7, 9))
    Reminder.objects.filter(kind="overdue").delete()
    with time_machine.travel(local(2026, 7, 30, 7, 0), tick=False):
        reminders.reminders_plan(today=dt.date(2026, 7, 30))
    assert Reminder.objects.filter(kind="overdue").count() == 2


def test_attempts_logged_after_a_sweep_for_an_earlier_date_still_escalate(cast, two_students):
    """The window is what was logged since the last sweep, not the date the attempt is for: a
    coach entering yesterday's three missed calls this afternoon is seen tomorrow morning."""
    student = two_students[0]
    with time_machine.travel(local(2026, 7, 7, 7, 0), tick=False):
        reminders.reminders_plan(today=dt.date(2026, 7, 7))
    with time_machine.travel(local(2026, 7, 7, 15, 0), tick=False):
        for hour in (9, 11, 13):
            contact_log(
                student=student,
                author=cast.coach.user,
                channel="telefoon",
                reached=False,
                at=local(2026, 7, 6, hour, 0),
            )
    with time_machine.travel(local(2026, 7, 8, 7, 0), tick=False):
        reminders.reminders_plan(today=dt.date(2026, 7, 8))
    assert Reminder.objects.filter(kind=Reminder.Kind.UNANSWERED, student=student).count() == 1


def test_sends_are_never_retried_by_the_broker():
    """A countdown retry lives in Redis and can die with it (issue 17): the database's
    not_before and the redispatch retry instead."""
    task = tasks.reminder_send
    assert not getattr(task, "autoretry_for", ())
    assert task.acks_late and task.reject_on_worker_lost
    source = (Path(tasks.__file__)).read_text()
    assert "countdown=" not in source and ".retry(" not in source
