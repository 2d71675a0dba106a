"""The renewal sweep for real: through Redis, in a worker process, twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from consent.models import ConsentRecord, ConsentRenewalReminder, Purpose, Status
from consent.services import consent_answers_record
from consent.tasks import renewal_sweep
from tests.consent.factories import birthday_years_ago, make_student, publish_texts
from tests.integration.conftest import celery_worker_process  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_the_sweep_runs_in_a_worker_and_reminds_once(cast, celery_worker_process):  # noqa: F811
    texts = publish_texts(cast.region)
    student = make_student(
        cast, date_of_birth=birthday_years_ago(18), guiding_organisation=cast.rmc, coach=cast.coach.user
    )
    consent_answers_record(
        student=student,
        answers={Purpose.SHARING: Status.GIVEN},
        texts=texts,
        method=ConsentRecord.Method.PAPER,
        given_by=ConsentRecord.GivenBy.GUARDIAN,
        representative_name="Voogd de Boer",
        answered_at=timezone.now() - dt.timedelta(days=900),
    )
    assert renewal_sweep.delay().get(timeout=20) == 1
    assert renewal_sweep.delay().get(timeout=20) == 0
    # The e-mail is an outbox row; what beat's redispatch does, here onto this worker's queue
    # (the worker's own hand-over goes to the default queue, which this test's worker does not read).
    from coaching import outbox
    from coaching.tasks import reminder_send

    [pk] = outbox.owed_ids()
    assert reminder_send.delay(pk).get(timeout=20) == "sent"
    assert reminder_send.delay(pk).get(timeout=20) == "sent"  # a second hand-over sends nothing
    reminder = ConsentRenewalReminder.objects.get()
    assert reminder.sent_to == cast.coach.user
    assert reminder.sent_at is not None
    assert celery_worker_process.log().count("Subject: Toestemming vernieuwen") == 1
