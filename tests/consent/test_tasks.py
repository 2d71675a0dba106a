"""At 18, a guardian's consent asks to be renewed: one reminder per answer, however often the sweep runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from consent.models import ConsentRecord, ConsentRenewalReminder, Purpose, Status
from consent.services import consent_answers_record, consent_withdraw
from consent.tasks import renewal_sweep
from kwint.celery import BEAT_SCHEDULE
from students.models import TimelineEvent
from tests.consent.factories import birthday_years_ago, make_student, publish_texts


@pytest.fixture
def texts(cast):
    return publish_texts(cast.region)


@pytest.fixture(autouse=True)
def send_at_once(monkeypatch):
    """The outbox hands new rows to a worker after commit; here the "worker" runs in-process."""
    from coaching import outbox as engine
    from kwint.lib import outbox

    monkeypatch.setattr(outbox, "_dispatch", lambda ids: [engine.deliver(pk) for pk in ids])


def test_the_renewal_reminder_goes_through_the_outbox_once_with_a_stable_message_id(
    cast, texts, django_capture_on_commit_callbacks
):
    from coaching.models import Reminder

    student = make_student(
        cast, date_of_birth=birthday_years_ago(18), guiding_organisation=cast.rmc, coach=cast.coach.user
    )
    _guardian_consent(student, texts)
    with django_capture_on_commit_callbacks(execute=True):
        renewal_sweep()
    row = Reminder.objects.get(kind="consent_renewal")
    assert (row.status, row.recipient, row.student) == ("sent", cast.coach.user, student)
    assert mail.outbox[0].message()["Message-ID"] == row.sent_ref
    sent = ConsentRenewalReminder.objects.filter(student=student).values_list("sent_at", flat=True)
    assert set(sent) == {row.sent_at}


def _guardian_consent(student, texts, purposes=(Purpose.SHARING, Purpose.CONTACT)):
    return consent_answers_record(
        student=student,
        answers=dict.fromkeys(purposes, Status.GIVEN),
        texts=texts,
        method=ConsentRecord.Method.PAPER,
        given_by=ConsentRecord.GivenBy.PARENT,
        representative_name="Mw. Bakker",
        answered_at=timezone.now() - dt.timedelta(days=1000),
    )


def test_the_sweep_reminds_the_coach_once_per_student_and_is_idempotent(
    cast, texts, django_capture_on_commit_callbacks
):
    student = make_student(
        cast, date_of_birth=birthday_years_ago(18), guiding_organisation=cast.rmc, coach=cast.coach.user
    )
    _guardian_consent(student, texts)
    make_student(cast, date_of_birth=birthday_years_ago(18, days=-1))  # 18 tomorrow, no consent anyway
    with django_capture_on_commit_callbacks(execute=True):
        assert renewal_sweep() == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [cast.coach.user.email]
    assert "18" in mail.outbox[0].subject
    assert ConsentRenewalReminder.objects.filter(student=student, sent_at__isnull=False).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert renewal_sweep() == 0
    assert len(mail.outbox) == 1
    assert TimelineEvent.objects.filter(student=student, event="consent_renewal_due").count() == 1


def test_without_a_coach_the_zorgcoordinator_is_reminded(cast, texts, django_capture_on_commit_callbacks):
    student = make_student(cast, date_of_birth=birthday_years_ago(19))
    _guardian_consent(student, texts, purposes=(Purpose.CONTACT,))
    with django_capture_on_commit_callbacks(execute=True):
        renewal_sweep()
    assert mail.outbox[0].to == [cast.zorg.user.email]


def test_no_reminder_before_18_or_for_the_young_persons_own_consent_or_after_withdrawal(cast, texts):
    younger = make_student(cast, date_of_birth=birthday_years_ago(17, days=360))
    _guardian_consent(younger, texts)
    own = make_student(cast, date_of_birth=birthday_years_ago(20))
    consent_answers_record(
        student=own, answers={Purpose.SHARING: Status.GIVEN}, texts=texts, method=ConsentRecord.Method.PAPER
    )
    withdrawn = make_student(cast, date_of_birth=birthday_years_ago(20))
    _guardian_consent(withdrawn, texts, purposes=(Purpose.SHARING,))
    consent_withdraw(student=withdrawn, purposes=[Purpose.SHARING], method=ConsentRecord.Method.PHONE)
    assert renewal_sweep() == 0
    assert not ConsentRenewalReminder.objects.exists()


def test_the_sweep_is_on_the_beat_schedule():
    assert BEAT_SCHEDULE["consent-renewal-sweep"]["task"] == "consent.renewal_sweep"
