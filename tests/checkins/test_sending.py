"""Check-in messages through the outbox: automatic sends on the right days, once, within the
hours, the weekly limit, the reminder after no answer, and a worker that dies mid-send."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from checkins.models import Link, Message, Preference
from checkins.sending import checkin_send_by_hand, checkins_plan, send_moment
from checkins.services import answer_submit, link_token
from coaching import outbox
from coaching.models import CheckIn, Reminder
from consent.models import ConsentRecord, Purpose
from consent.services import consent_withdraw
from tests.checkins.helpers import checkin_student, measurement

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMS)


def deliver_all() -> list[str]:
    """What the redispatch and the workers do, in-process."""
    return [outbox.deliver(pk) for pk in outbox.owed_ids()]


@pytest.fixture
def sam(cast):
    """Sam, whose coach did every ordinary moment so far: only the measurements are open."""
    student = checkin_student(cast)
    CheckIn.objects.filter(trajectory__student=student, is_measurement=False).update(status=CheckIn.Status.DONE)
    return student


def test_the_six_month_measurement_sends_one_sms_on_its_day_even_when_the_sweep_runs_twice(cast, sam, standin):
    day = measurement(sam, 6).due_date
    with time_machine.travel(local(day.year, day.month, day.day, 9, 30), tick=False):
        assert checkins_plan() == 1
        assert checkins_plan() == 0  # a second beat, a retry: nothing new
        assert deliver_all() == ["sent"]
        assert deliver_all() == []
    assert len(standin.received) == 1
    body = standin.received[0]["body"]
    coach_first = cast.coach.user.full_name.split()[0]
    assert body.startswith(f"Hoi Sam, hoe gaat het nu met je? Laat het {coach_first} even weten: http")
    message = Message.objects.get(student=sam)
    assert message.status == Message.Status.SENT and message.provider_reference == standin.received[0]["id"]
    # The link in the SMS is the live one of this measurement.
    link = Link.objects.get(student=sam)
    assert link.checkin == measurement(sam, 6) and body.endswith(f"/c/{link_token(link)}/")


def test_the_day_before_the_measurement_nothing_is_sent(sam, standin):
    day = measurement(sam, 6).due_date - dt.timedelta(days=1)
    with time_machine.travel(local(day.year, day.month, day.day, 9, 30), tick=False):
        assert checkins_plan() == 0


def test_an_ordinary_checkin_is_sent_when_a_week_overdue_not_before(cast, standin):
    student = checkin_student(cast)
    checkin = CheckIn.objects.filter(trajectory__student=student, is_measurement=False).order_by("due_date")[0]
    for late, expected in ((6, 0), (7, 1)):
        day = checkin.due_date + dt.timedelta(days=late)
        with time_machine.travel(local(day.year, day.month, day.day, 9, 30), tick=False):
            assert checkins_plan() == expected


def test_plan_settings_switch_moments_off(sam, standin):
    from checkins.services import plan_settings_set

    plan_settings_set(plan=sam.trajectories.get().plan, at_measurements=False, when_overdue=False)
    day = measurement(sam, 6).due_date
    with time_machine.travel(local(day.year, day.month, day.day, 9, 30), tick=False):
        assert checkins_plan() == 0


def test_never_at_night_the_message_waits_for_eight_oclock(sam, standin):
    day = measurement(sam, 6).due_date
    with time_machine.travel(local(day.year, day.month, day.day, 21, 15), tick=False) as traveller:
        assert checkins_plan() == 1
        row = Reminder.objects.get(kind="checkin_sms")
        assert row.not_before == local(day.year, day.month, day.day + 1, 8, 0)
        assert deliver_all() == []  # not owed before 08:00
        traveller.move_to(local(day.year, day.month, day.day + 1, 7, 59))
        assert deliver_all() == []
        traveller.move_to(local(day.year, day.month, day.day + 1, 8, 0))
        assert deliver_all() == ["sent"]
    assert len(standin.received) == 1


def test_a_row_claimed_at_night_is_put_back_until_eight(sam, standin):
    with time_machine.travel(local(2027, 1, 4, 10, 0), tick=False) as traveller:
        checkin_send_by_hand(student=sam, actor=None)
        row = Reminder.objects.get(kind="checkin_sms")
        traveller.move_to(local(2027, 1, 4, 20, 30))  # an outage: the worker gets to it at 20:30
        assert outbox.deliver(row.pk) == "deferred"
        row.refresh_from_db()
        assert row.status == Reminder.Status.PENDING and row.not_before == local(2027, 1, 5, 8, 0)
        assert standin.received == []


@pytest.mark.parametrize(
    "now,expected",
    [
        (local(2027, 3, 28, 7, 59), local(2027, 3, 28, 8, 0)),  # the DST switch night
        (local(2027, 3, 28, 8, 0), local(2027, 3, 28, 8, 0)),
        (local(2027, 3, 28, 19, 59), local(2027, 3, 28, 19, 59)),
        (local(2027, 3, 28, 20, 0), local(2027, 3, 29, 8, 0)),
    ],
)
def test_the_sending_hours_are_dutch_time(now, expected):
    assert send_moment(now) == expected


def test_one_message_a_week_a_coach_cannot_send_a_second(sam, standin):
    with time_machine.travel(local(2027, 1, 4, 10, 0), tick=False) as traveller:
        checkin_send_by_hand(student=sam, actor=None)
        deliver_all()
        traveller.move_to(local(2027, 1, 10, 10, 0))
        with pytest.raises(ValidationError, match="Deze week is al een check-in gestuurd"):
            checkin_send_by_hand(student=sam, actor=None)
        traveller.move_to(local(2027, 1, 11, 10, 1))
        checkin_send_by_hand(student=sam, actor=None)
        deliver_all()
    assert len(standin.received) == 2


def test_the_weekly_limit_stops_the_sweep_too(sam, standin):
    day = measurement(sam, 6).due_date
    with time_machine.travel(local(day.year, day.month, day.day, 9, 0) - dt.timedelta(days=2), tick=False):
        checkin_send_by_hand(student=sam, actor=None)
    with time_machine.travel(local(day.year, day.month, day.day, 9, 30), tick=False):
        # The hand-sent message was about the moment due then; the measurement waits a week.
        assert checkins_plan() == 0


def test_one_reminder_after_five_days_without_an_answer_and_no_more(sam, standin):
    day = measurement(sam, 6).due_date
    start = local(day.year, day.month, day.day, 9, 30)
    with time_machine.travel(start, tick=False) as traveller:
        checkins_plan()
        deliver_all()
        traveller.move_to(start + dt.timedelta(days=4))
        assert checkins_plan() == 0
        traveller.move_to(start + dt.timedelta(days=7, minutes=1))  # five days, and the weekly limit
        assert checkins_plan() == 1
        deliver_all()
        traveller.move_to(start + dt.timedelta(days=20))
        assert checkins_plan() == 0  # default: one reminder
    kinds = list(Message.objects.filter(student=sam).order_by("round").values_list("kind", flat=True))
    assert kinds == [Message.Kind.FIRST, Message.Kind.FOLLOWUP]
    assert len({r["body"] for r in standin.received}) == 1  # the same personal link both times


def test_no_reminder_once_answered(sam, standin):
    day = measurement(sam, 6).due_date
    start = local(day.year, day.month, day.day, 9, 30)
    with time_machine.travel(start, tick=False) as traveller:
        checkins_plan()
        deliver_all()
        answer_submit(link=Link.objects.get(student=sam), activity="work", wants_contact="no")
        traveller.move_to(start + dt.timedelta(days=8))
        assert checkins_plan() == 0


def test_a_withdrawal_between_planning_and_sending_stops_the_message(sam, standin):
    day = measurement(sam, 6).due_date
    with time_machine.travel(local(day.year, day.month, day.day, 9, 30), tick=False):
        checkins_plan()
        consent_withdraw(student=sam, purposes=[Purpose.CONTACT], method=ConsentRecord.Method.DIGITAL, note="")
        assert deliver_all() == ["skipped"]
    assert standin.received == []
    message = Message.objects.get(student=sam)
    assert message.status == Message.Status.SKIPPED and message.skip_reason == "no_consent"


@pytest.mark.parametrize("rule", ["under_16", "guardian", "no_consent", "paused", "off", "no_address"])
def test_nothing_is_sent_automatically_when_a_rule_says_no(cast, standin, rule):
    student = checkin_student(
        cast,
        phone="" if rule == "no_address" else "06-12345678",
        email="" if rule == "no_address" else "sam@example.nl",
    )
    if rule == "under_16":
        student.date_of_birth = dt.date(2012, 1, 1)
        student.save()
    if rule == "guardian":
        from consent.models import ConsentText
        from consent.services import consent_record

        consent_record(
            student=student,
            purpose=Purpose.CONTACT,
            status="given",
            method=ConsentRecord.Method.PAPER,
            text=ConsentText.objects.filter(purpose=Purpose.CONTACT).first(),
            given_by=ConsentRecord.GivenBy.PARENT,
            representative_name="Ouder",
        )
    if rule == "no_consent":
        consent_withdraw(student=student, purposes=[Purpose.CONTACT], method=ConsentRecord.Method.DIGITAL, note="")
    if rule in {"paused", "off"}:
        Preference.objects.create(
            student=student, mode=rule, paused_until=dt.date(2099, 1, 1) if rule == "paused" else None
        )
    day = measurement(student, 6).due_date
    with time_machine.travel(local(day.year, day.month, day.day, 9, 30), tick=False):
        assert checkins_plan() == 0
        if rule in {"paused", "off"}:
            checkin_send_by_hand(student=student, actor=None)  # the coach still may
            assert deliver_all() == ["sent"]
        else:
            with pytest.raises(ValidationError):
                checkin_send_by_hand(student=student, actor=None)


def test_email_when_there_is_no_phone_number(cast, standin):
    student = checkin_student(cast, phone="")
    with time_machine.travel(local(2027, 1, 4, 10, 0), tick=False):
        checkin_send_by_hand(student=student, actor=None)
        assert deliver_all() == ["sent"]
    assert len(mail.outbox) == 1 and standin.received == []
    email = mail.outbox[0]
    assert email.to == ["sam@example.nl"] and "Hoi Sam" in email.body
    assert Message.objects.get(student=student).status == Message.Status.SENT


def test_both_channels_when_the_young_person_wants_both_one_message_for_the_week(cast, standin):
    student = checkin_student(cast)
    Preference.objects.create(student=student, channel=Preference.Channel.BOTH, language="en")
    with time_machine.travel(local(2027, 1, 4, 10, 0), tick=False):
        checkin_send_by_hand(student=student, actor=None)
        assert sorted(deliver_all()) == ["sent", "sent"]
    assert standin.received[0]["body"].startswith("Hi Sam, how are you doing now?")
    assert "how are you doing" in mail.outbox[0].body


def test_a_provider_failure_is_retried_later_and_sent_once(sam, standin):
    standin.fail_next = 1
    with time_machine.travel(local(2027, 1, 4, 10, 0), tick=False) as traveller:
        checkin_send_by_hand(student=sam, actor=None)
        assert deliver_all() == ["retry"]
        assert Message.objects.get(student=sam).status == Message.Status.PENDING
        traveller.move_to(local(2027, 1, 4, 10, 5))
        assert deliver_all() == ["sent"]
    assert len(standin.received) == 1


def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(sam, standin, monkeypatch, settings):
    """The worker dies between the claim and the provider call (the outbox's _before_send
    hook is where the real-worker crash test kills it): the row stays claimed; a second worker
    is refused while the claim is fresh, and takes over once it is stale. One SMS in total."""

    class Killed(BaseException):
        pass

    def die(row):
        raise Killed

    with time_machine.travel(local(2027, 1, 4, 10, 0), tick=False) as traveller:
        checkin_send_by_hand(student=sam, actor=None)
        row = Reminder.objects.get(kind="checkin_sms")
        monkeypatch.setattr(outbox, "_before_send", die)
        with pytest.raises(Killed):
            outbox.deliver(row.pk)
        monkeypatch.undo()
        assert outbox.deliver(row.pk) == "busy"
        assert standin.received == []
        traveller.move_to(local(2027, 1, 4, 10, 0) + dt.timedelta(seconds=settings.KWINT_REMINDER_CLAIM_SECONDS + 1))
        assert row.pk in outbox.owed_ids()
        assert outbox.deliver(row.pk) == "sent"
        assert outbox.deliver(row.pk) == "sent"  # already sent: nothing happens
    assert len(standin.received) == 1


def test_every_message_is_in_the_young_persons_inzage(cast, sam, standin):
    from privacy.selectors import inzage_collect

    with time_machine.travel(local(2027, 1, 4, 10, 0), tick=False):
        checkin_send_by_hand(student=sam, actor=None)
        deliver_all()
    sections = {s.key: s for s in inzage_collect(sam)}
    rows = sections["checkins.message"].rows
    assert len(rows) == 1
    row = dict(rows[0])
    assert row["kanaal"] == "Sms" and row["status"] == "Verzonden" and row["verzonden op"]
    # No token, hash or salt in the inzage.
    link_rows = [dict(r) for r in sections["checkins.link"].rows]
    assert all("token" not in k and "hash" not in k for r in link_rows for k in r)
