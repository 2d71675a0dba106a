"""Consent for contact refused or withdrawn: "geen contact gewenst" everywhere, at once.

One predicate (`students.selectors.contact_declined`) drives the schedule, the reminder sweep,
the caseload and contact logging; giving consent again restores everything."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from coaching import reminders
from coaching.models import Channel, CheckIn, Contact, Trajectory
from coaching.selectors import caseload_for, caseload_no_contact
from coaching.services import contact_log, due_checkin
from consent.models import ConsentRecord, ConsentText, Purpose, Status
from consent.services import consent_answers_record, consent_withdraw
from tests.coaching.factories import guided_student
from tests.factories import give_consent

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
HANDOVER = dt.datetime(2026, 7, 1, 10, 0, tzinfo=AMS)
WITHDRAWN_AT = dt.datetime(2026, 7, 6, 12, 0, tzinfo=AMS)
DUE_DAY = dt.datetime(2026, 7, 8, 7, 0, tzinfo=AMS)  # the first call (7 days after the start)


@pytest.fixture
def student(cast):
    with time_machine.travel(HANDOVER, tick=False):
        student = guided_student(cast)
        give_consent(student, Purpose.CONTACT)
    return student


def withdraw_contact(student, by=None):
    with time_machine.travel(WITHDRAWN_AT, tick=False):
        consent_withdraw(student=student, purposes=[Purpose.CONTACT], method=ConsentRecord.Method.PHONE, recorded_by=by)


def give_contact_again(student, when):
    text = ConsentText.objects.get(region=student.region, purpose=Purpose.CONTACT)
    with time_machine.travel(when, tick=False):
        consent_answers_record(
            student=student,
            answers={Purpose.CONTACT: Status.GIVEN},
            texts={Purpose.CONTACT: text},
            method=ConsentRecord.Method.DIGITAL,
        )


def test_withdrawing_contact_stops_checkins_reminders_and_outreach_at_once(cast, student):
    trajectory = Trajectory.objects.get(student=student)
    with time_machine.travel(DUE_DAY, tick=False):
        assert due_checkin(trajectory) is not None  # before: the first call is due
    withdraw_contact(student, by=cast.coach.user)

    with time_machine.travel(DUE_DAY, tick=False):
        # The schedule: nothing due, though the planned moments are kept for a later "yes".
        assert due_checkin(trajectory) is None
        assert trajectory.checkins.filter(status=CheckIn.Status.PLANNED).exists()
        # The sweep: no digest, no escalation, no e-mail.
        assert reminders.reminders_plan(today=DUE_DAY.date()) == []
        counts = reminders.coach_digest_counts(cast.coach.user, DUE_DAY.date())
        assert (counts["today"], counts["overdue"]) == (0, 0)
        # The caseload: not among those to call, but apart with the date.
        assert student not in list(caseload_for(cast.coach))
        apart = list(caseload_no_contact(cast.coach))
        assert apart == [student]
        assert apart[0].no_contact_since == WITHDRAWN_AT
        # Outreach is refused with a clear message, and nothing is written.
        for reached in (False, True):
            with pytest.raises(ValidationError) as error:
                contact_log(student=student, author=cast.coach.user, channel=Channel.PHONE, reached=reached)
            assert "wil geen contact (sinds 6 juli 2026)" in " ".join(error.value.messages)
        assert not Contact.objects.filter(student=student).exists()
        # What the young person started themselves is recorded, and completes no check-in.
        contact = contact_log(
            student=student, author=cast.coach.user, channel=Channel.PHONE, reached=True, by_student=True
        )
    assert contact.by_student
    assert not trajectory.checkins.filter(status=CheckIn.Status.DONE).exists()
    assert len(mail.outbox) == 0
    # The trajectory stays open: the young person may still want sharing and say yes again.
    trajectory.refresh_from_db()
    assert trajectory.is_open


def test_a_refusal_of_contact_counts_the_same(cast):
    with time_machine.travel(HANDOVER, tick=False):
        student = guided_student(cast)
        give_consent(student, Purpose.CONTACT, status=Status.REFUSED)
        assert list(caseload_no_contact(cast.coach)) == [student]
        assert student not in list(caseload_for(cast.coach))


def test_giving_contact_again_restores_everything_and_lets_the_pause_lapse(cast, student):
    withdraw_contact(student)
    # Back a month later: the first call and the monthly moment fell due in the pause.
    back = dt.datetime(2026, 8, 5, 10, 0, tzinfo=AMS)
    give_contact_again(student, back)
    trajectory = Trajectory.objects.get(student=student)
    lapsed = trajectory.checkins.filter(status=CheckIn.Status.CANCELLED)
    assert lapsed.exists() and all(WITHDRAWN_AT.date() <= c.due_date < back.date() for c in lapsed), (
        "only what fell due during the pause lapses"
    )
    with time_machine.travel(back, tick=False):
        assert student in list(caseload_for(cast.coach))
        assert list(caseload_no_contact(cast.coach)) == []
        contact_log(student=student, author=cast.coach.user, channel=Channel.PHONE, reached=False)
        next_checkin = trajectory.checkins.filter(status=CheckIn.Status.PLANNED).order_by("due_date").first()
    with time_machine.travel(dt.datetime.combine(next_checkin.due_date, dt.time(7), tzinfo=AMS), tick=False):
        assert due_checkin(trajectory) == next_checkin
        assert len(reminders.reminders_plan(today=next_checkin.due_date)) == 1


def test_caseload_page_shows_the_student_apart_without_call_buttons(cast, login, student):
    withdraw_contact(student)
    with time_machine.travel(DUE_DAY, tick=False):
        client = login(cast.coach)
        response = client.get(reverse("coaching:caseload"))
        body = response.content.decode()
        assert response.context["rows"] == []
        assert "Geen contact gewenst" in body
        assert "geen contact gewenst sinds 6 jul. 2026" in body
        assert reverse("coaching:contact_unreached", args=[student.code]) not in body
        # The one-click "niet bereikt" is refused with the reason, nothing logged.
        response = client.post(reverse("coaching:contact_unreached", args=[student.code]), follow=True)
        assert "wil geen contact" in response.content.decode()
        assert not Contact.objects.filter(student=student).exists()
        # The student page says so and offers no attempt button.
        body = client.get(reverse("students:detail", args=[student.code])).content.decode()
        assert "Geen contact gewenst sinds 6 juli 2026" in body
        assert reverse("coaching:contact_unreached", args=[student.code]) not in body
        # The contact form: only with "de jongere nam zelf contact op".
        url = reverse("coaching:contact_new", args=[student.code])
        form = {
            "date": "2026-07-08",
            "time": "06:30",
            "channel": "telefoon",
            "reached": "1",
            "discussed": "Belde zelf.",
        }
        response = client.post(url, form)
        assert response.status_code == 200
        assert "Kruis dat dan aan" in response.content.decode(), response.context["form"].errors
        response = client.post(url, {**form, "by_student": "on"})
        assert response.status_code == 302
    assert Contact.objects.get(student=student).by_student


def test_caseload_queries_do_not_grow_with_students_who_want_no_contact(cast, login, django_assert_num_queries):
    with time_machine.travel(HANDOVER, tick=False):
        students = [guided_student(cast) for _ in range(2)]
        for s in students:
            give_consent(s, Purpose.CONTACT, status=Status.REFUSED)
        client = login(cast.coach)
        client.get(reverse("coaching:caseload"))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as two:
            client.get(reverse("coaching:caseload"))
        more = [guided_student(cast) for _ in range(3)]
        for s in more:
            give_consent(s, Purpose.CONTACT, status=Status.WITHDRAWN)
        with django_assert_num_queries(len(two.captured_queries)):
            response = client.get(reverse("coaching:caseload"))
    assert len(response.context["no_contact"]) == 5


def test_a_contact_the_young_person_started_reads_so_on_the_timeline():
    from django.utils import timezone, translation

    from students.models import TimelineEvent
    from students.timeline import render

    event = TimelineEvent(
        event="contact_logged",
        kind=TimelineEvent.Kind.CONTACT,
        data={"channel": "telefoon", "reached": True, "by_student": True},
        at=timezone.now(),
    )
    with translation.override("nl"):
        assert render(event) == "Contact via telefoon: bereikt (de jongere nam zelf contact op)"
    with translation.override("en"):
        assert "nam" not in render(event) and "got in touch" in render(event)
