"""The coach's side: the panel on the student page, sending by hand after a preview, pausing,
the plan settings, the caseload column and flag, and the morning digest."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from checkins.models import Link, Message, PlanSettings, Preference
from checkins.services import answer_submit
from coaching import outbox
from coaching.models import Reminder
from coaching.reminders import reminders_plan
from tests.checkins.helpers import checkin_student, link_with_token

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


def test_the_student_page_shows_the_answer_as_written_by_the_young_person(cast, login):
    student = checkin_student(cast)
    link, _token = link_with_token(student)
    answer_submit(
        link=link,
        activity="work",
        organisation_name="Bakkerij De Korf",
        hours_per_week=20,
        contract_type="tijdelijk",
        wants_contact="phone",
        moment="evening",
        message="Graag na vijf uur",
    )
    page = login(cast.coach).get(reverse("students:detail", args=[student.code])).content.decode()
    assert "Check-in door de jongere zelf" in page  # the contact's channel
    assert "Bakkerij De Korf" in page and "Graag na vijf uur" in page
    assert "Ja, bel me" in page and "Na 17.00 uur" in page
    # The situation it told and the done moment are on the page too.
    assert "Situatie: Werk" in page


def test_what_the_young_person_wrote_is_not_shown_to_the_school(cast, login):
    student = checkin_student(cast)
    link, _token = link_with_token(student)
    answer_submit(
        link=link, activity="work", organisation_name="Bakkerij De Korf", wants_contact="no", message="Geheim"
    )
    page = login(cast.zorg).get(reverse("students:detail", args=[student.code])).content.decode()
    assert "Geheim" not in page
    # (The employer reaches the school as part of the situation record, as coaching shows it.)
    assert "Werkgever of school: Bakkerij De Korf" not in page


def test_send_by_hand_shows_the_preview_then_plans_the_message(cast, login, settings):
    settings.KWINT_BASE_URL = "https://kwint.example.nl"
    student = checkin_student(cast)
    client = login(cast.coach)
    url = reverse("checkins:send", args=[student.code])
    page = client.get(url).content.decode()
    coach_first = cast.coach.user.full_name.split()[0]
    assert f"Hoi Sam, hoe gaat het nu met je? Laat het {coach_first} even weten:" in page
    assert not Message.objects.exists() and not Link.objects.exists()  # a preview makes nothing
    response = client.post(url)
    assert response.status_code == 302
    message = Message.objects.get(student=student)
    assert message.kind == Message.Kind.MANUAL and message.created_by == cast.coach.user
    assert Reminder.objects.filter(key=message.key, kind="checkin_sms").exists()


def test_send_by_hand_twice_in_a_week_is_refused_with_the_date(cast, login):
    student = checkin_student(cast)
    client = login(cast.coach)
    url = reverse("checkins:send", args=[student.code])
    client.post(url)
    response = client.post(url)
    assert response.status_code == 400
    assert "Deze week is al een check-in gestuurd" in response.content.decode()
    assert Message.objects.filter(student=student).count() == 1


def test_no_send_without_consent_for_contact_and_the_page_says_why(cast, login):
    from tests.coaching.factories import guided_student

    student = guided_student(cast, phone="0612345678")  # sharing consent only
    client = login(cast.coach)
    url = reverse("checkins:send", args=[student.code])
    assert "Er is geen toestemming voor contact door een coach." in client.get(url).content.decode()
    assert client.post(url).status_code == 400
    assert not Message.objects.exists()


def test_pause_until_a_date_needs_the_date(cast, login):
    student = checkin_student(cast)
    client = login(cast.coach)
    url = reverse("checkins:preference", args=[student.code])
    response = client.post(url, {"mode": "paused", "channel": "auto", "language": "nl"})
    assert response.status_code == 200
    assert "Vul in tot wanneer de check-ins gepauzeerd zijn." in response.content.decode()
    assert not Preference.objects.exists()
    client.post(url, {"mode": "paused", "paused_until": "2027-03-01", "channel": "sms", "language": "en"})
    preference = Preference.objects.get(student=student)
    assert preference.mode == "paused" and preference.paused_until == dt.date(2027, 3, 1)
    assert preference.changed_by == cast.coach.user


def test_an_outsider_cannot_send_or_change_anything(cast, login):
    student = checkin_student(cast)
    for who in (cast.outsider_coach, cast.outsider_coordinator):
        client = login(who)
        assert client.post(reverse("checkins:send", args=[student.code])).status_code == 404
        assert client.post(reverse("checkins:preference", args=[student.code]), {"mode": "off"}).status_code == 404
    assert not Message.objects.exists() and not Preference.objects.exists()


def test_the_coordinator_sets_the_plan_and_bad_numbers_are_refused(cast, login):
    student = checkin_student(cast)
    plan = student.trajectories.get().plan
    client = login(cast.coordinator)
    assert plan.display_name in client.get(reverse("checkins:plans")).content.decode()
    url = reverse("checkins:plan_edit", args=[plan.code])
    response = client.post(url, {"at_measurements": "on", "overdue_days": "7", "followups": "9", "followup_days": "5"})
    assert response.status_code == 200 and "Kies een getal van 0 tot en met 3." in response.content.decode()
    assert not PlanSettings.objects.exists()
    client.post(url, {"at_measurements": "on", "overdue_days": "10", "followups": "2", "followup_days": "4"})
    saved = PlanSettings.objects.get(plan=plan)
    assert (saved.at_measurements, saved.when_overdue, saved.overdue_days, saved.followups) == (True, False, 10, 2)
    # Another region's coordinator does not find the plan.
    assert login(cast.outsider_coordinator).get(url).status_code == 404


def _caseload(client):
    return client.get(reverse("coaching:caseload")).content.decode()


def test_the_caseload_shows_sent_answered_and_no_answer_and_the_wants_contact_flag(cast, login):
    from checkins.sending import checkin_send_by_hand

    sent, answered, silent, wants = (checkin_student(cast) for _ in range(4))
    with time_machine.travel(dt.datetime(2027, 1, 4, 10, 0, tzinfo=AMS), tick=False):
        for student in (sent, answered, silent, wants):
            checkin_send_by_hand(student=student, actor=None)
        [outbox.deliver(pk) for pk in outbox.owed_ids()]
    answer_submit(link=Link.objects.get(student=answered), activity="school", wants_contact="no")
    answer_submit(link=Link.objects.get(student=wants), activity="looking", wants_contact="whatsapp")
    Message.objects.filter(student=silent).update(sent_at=dt.datetime(2026, 1, 1, tzinfo=AMS))
    Message.objects.filter(student__in=[sent, answered, wants]).update(sent_at=dt.datetime.now(tz=AMS))
    Link.objects.update(created_at=dt.datetime.now(tz=AMS))
    page = _caseload(login(cast.coach))

    def cell(student):
        row = page.split(f'data-student="{student.code}"')[1].split("</tr>")[0]
        return row.split("data-self-checkin=")[1].split(">")[0].strip('"'), "data-wants-contact" in row

    assert cell(sent) == ("sent", False)
    assert cell(answered) == ("answered", False)
    assert cell(silent) == ("no_answer", False)
    assert cell(wants) == ("answered", True)


def test_the_flag_goes_once_a_coach_has_reached_them(cast, login):
    from coaching.services import contact_log

    student = checkin_student(cast)
    link, _token = link_with_token(student)
    answer_submit(link=link, activity="looking", wants_contact="phone")
    assert "data-wants-contact" in _caseload(login(cast.coach))
    contact_log(student=student, author=cast.coach.user, channel="telefoon", reached=True)
    assert "data-wants-contact" not in _caseload(login(cast.coach))


def test_the_caseload_query_count_does_not_grow_with_check_ins(cast, login, django_assert_max_num_queries):
    client = login(cast.coach)
    checkin_student(cast)
    _caseload(client)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        _caseload(client)
    for _ in range(5):
        student = checkin_student(cast)
        link, _token = link_with_token(student)
        answer_submit(link=link, activity="work", wants_contact="phone")
    with CaptureQueriesContext(connection) as large:
        _caseload(client)
    assert len(large) == len(small)


def test_the_morning_digest_puts_wants_contact_at_the_top(cast, settings):
    student = checkin_student(cast)
    link, _token = link_with_token(student)
    answer_submit(link=link, activity="looking", wants_contact="phone")
    today = dt.date.today()
    reminders_plan(today=today)
    [outbox.deliver(pk) for pk in outbox.owed_ids()]
    digest = next(m for m in mail.outbox if m.to == [cast.coach.user.email])
    assert "vraagt om contact" in digest.subject
    body_lines = [line for line in digest.body.splitlines() if line.strip()]
    first = next(i for i, line in enumerate(body_lines) if "Vraagt om contact (check-in): 1" in line)
    planned = next(i for i, line in enumerate(body_lines) if "Vandaag gepland" in line)
    assert first < planned
    assert student.last_name not in digest.body  # counts and links, never names


@pytest.mark.parametrize(
    "role,status,sees_words",
    [
        ("coach", 200, True),
        ("stagiair", 200, True),
        ("coordinator", 200, True),
        ("zorg", 200, False),
        ("gemeente_coordinator", 200, False),
        ("school_coach", 404, False),
        ("matchtafel", 404, False),
        ("outsider_coach", 404, False),
        ("outsider_coordinator", 404, False),
        ("outsider_zorg", 404, False),
    ],
)
def test_who_sees_what_the_young_person_wrote(cast, login, role, status, sees_words):
    from students.models import StudentShare

    student = checkin_student(cast)
    StudentShare.objects.create(student=student, user=cast.stagiair.user, shared_by=cast.coach.user)
    link, _token = link_with_token(student)
    answer_submit(
        link=link, activity="other", activity_other="Mantelzorg voor oma", wants_contact="phone", message="Privé"
    )
    response = login(getattr(cast, role)).get(reverse("students:detail", args=[student.code]))
    assert response.status_code == status
    page = response.content.decode()
    assert ("Mantelzorg voor oma" in page) is sees_words
    assert ("Privé" in page) is sees_words


def test_a_self_check_in_counts_as_a_reached_contact_for_the_unanswered_streak(cast):
    """Three missed calls then the young person's own check-in: no "three times unreached"
    escalation, exactly as after a call that got through."""
    from django.utils import timezone

    from coaching.services import contact_log

    answered, silent = checkin_student(cast), checkin_student(cast)
    earlier = timezone.now() - dt.timedelta(hours=5)
    for student in (answered, silent):
        for n in range(3):
            contact_log(
                student=student,
                author=cast.coach.user,
                channel="telefoon",
                reached=False,
                at=earlier + dt.timedelta(minutes=n),
            )
    link, _token = link_with_token(answered)
    answer_submit(link=link, activity="work", wants_contact="no")
    reminders_plan(today=timezone.localdate())
    escalated = set(Reminder.objects.filter(kind=Reminder.Kind.UNANSWERED).values_list("student_id", flat=True))
    assert silent.pk in escalated and answered.pk not in escalated
