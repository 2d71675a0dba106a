"""The young person's check-in pages: each path, the thank-you page, and every way a link can
be wrong (tampered, expired, used up, guessed), with bad input refused in Dutch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from checkins.models import Answer, Link
from checkins.services import MISSES_PER_CLIENT
from coaching.models import Channel, CheckIn, Contact, SituationRecord
from consent.models import Purpose
from consent.services import consent_withdraw
from tests.checkins.helpers import checkin_student, due, first_checkin, link_with_token, measurement

pytestmark = pytest.mark.django_db


def _start(token):
    return reverse("checkins:public_start", args=[token])


def _answer(client, token, activity, details=None, contact=None):
    """Walk the three screens; returns the last response."""
    response = client.post(_start(token), {"activity": activity, "activity_other": "Vrijwilligerswerk"})
    assert response.status_code == 302, response.content
    if response["Location"].endswith("/meer/"):
        response = client.post(response["Location"], details or {"hours_per_week": "32", "contract_type": "tijdelijk"})
        assert response.status_code == 302, response.content
    return client.post(
        reverse("checkins:public_contact", args=[token]),
        contact or {"wants_contact": "no", "moment": "any", "message": ""},
    )


def test_the_first_screen_greets_by_name_and_names_the_coach(client, cast):
    student = checkin_student(cast)
    _link, token = link_with_token(student)
    response = client.get(_start(token))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Hoi Sam" in text and cast.coach.user.full_name in text
    assert "Vraag 1 van 3" in text
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    "activity,kind",
    [
        ("work", "werk"),
        ("school", "opleiding"),
        ("work_school", "werk"),
        ("benefit", "uitkering"),
        ("looking", "niets"),
        ("nothing", "niets"),
    ],
)
def test_each_path_becomes_a_contact_a_situation_and_a_done_checkin(client, cast, activity, kind):
    student = checkin_student(cast)
    checkin = due(first_checkin(student))
    _link, token = link_with_token(student, checkin)
    response = _answer(client, token, activity, details={"organisation_name": "Albert Heijn", "hours_per_week": "24"})
    assert response.status_code == 302 and response["Location"] == reverse("checkins:public_done")
    contact = Contact.objects.get(student=student)
    assert contact.channel == Channel.SELF_CHECKIN and contact.reached and contact.author is None
    situation = SituationRecord.objects.get(student=student)
    assert situation.kind == kind and situation.contact == contact
    if activity in {"work", "work_school"}:
        assert situation.employer == "Albert Heijn" and situation.hours_per_week == 24
    if activity == "school":
        assert situation.education_name == "Albert Heijn"
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.DONE and checkin.completed_by == contact
    answer = Answer.objects.get(student=student)
    assert answer.activity == activity and answer.contact == contact


def test_something_else_logs_the_contact_but_leaves_a_measurement_open_for_the_coach(client, cast):
    student = checkin_student(cast)
    checkin = due(measurement(student, 6))
    _link, token = link_with_token(student, checkin)
    _answer(client, token, "other")
    assert Contact.objects.filter(student=student, channel=Channel.SELF_CHECKIN).count() == 1
    assert not SituationRecord.objects.filter(student=student).exists()
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.PLANNED
    assert Answer.objects.get(student=student).activity_other == "Vrijwilligerswerk"


def test_a_measurement_answer_is_recorded_as_the_measurement(client, cast):
    student = checkin_student(cast)
    checkin = due(measurement(student, 12))
    _link, token = link_with_token(student, checkin)
    _answer(client, token, "work")
    situation = SituationRecord.objects.get(student=student)
    assert situation.measurement_month == 12
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.DONE


def test_an_unchanged_situation_writes_no_new_situation_record(client, cast):
    student = checkin_student(cast)
    checkin = due(first_checkin(student))
    link, token = link_with_token(student, checkin)
    _answer(client, token, "looking")
    _answer(client, token, "looking")  # the correction, same answer
    assert SituationRecord.objects.filter(student=student).count() == 1
    assert Contact.objects.filter(student=student).count() == 2


def test_wants_contact_is_flagged_on_the_contact_and_the_thank_you_page_names_the_coach(client, cast):
    cast.coach.user.phone = "038-1234567"
    cast.coach.user.save()
    student = checkin_student(cast)
    _link, token = link_with_token(student)
    response = _answer(
        client, token, "looking", contact={"wants_contact": "whatsapp", "moment": "evening", "message": "Bel me"}
    )
    contact = Contact.objects.get(student=student)
    assert contact.wants_contact and contact.discussed == "Bel me"
    page = client.get(response["Location"]).content.decode()
    assert cast.coach.user.full_name in page and "038-1234567" in page
    assert "neemt contact met je op" in page
    # The consent page is one tap away, with "no more contact" on it.
    withdraw_url = page.split('href="')[-1].split('"')[0]
    assert "/toestemming/j/" in withdraw_url
    withdraw_page = client.get(withdraw_url.replace("http://127.0.0.1:8000", ""))
    assert withdraw_page.status_code == 200


def test_a_link_takes_two_answers_then_shows_the_friendly_page(client, cast):
    student = checkin_student(cast)
    _link, token = link_with_token(student)
    _answer(client, token, "work")
    _answer(client, token, "school", details={"organisation_name": "ROC"})
    response = client.get(_start(token))
    assert response.status_code == 404
    assert "Deze link werkt niet (meer)" in response.content.decode()
    assert Answer.objects.filter(student=student).count() == 2


def _invalid_page(client, token):
    import re

    response = client.get(_start(token))
    # The language switch carries the page's own address (the visitor's input) back.
    text = response.content.decode().replace(token, "TOKEN")
    # The CSP nonce and the masked CSRF token differ per response by design.
    text = re.sub(r'value="[A-Za-z0-9]{64}"', "", text)
    return response.status_code, re.sub(r'nonce="[^"]*"', "", text)


def test_expired_tampered_guessed_and_reused_tokens_get_one_identical_page(client, cast):
    student = checkin_student(cast)
    link, token = link_with_token(student)
    expired_student = checkin_student(cast)
    expired, expired_token = link_with_token(expired_student)
    Link.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    used_student = checkin_student(cast)
    used, used_token = link_with_token(used_student)
    Link.objects.filter(pk=used.pk).update(answer_count=2)
    pages = {
        "expired": _invalid_page(client, expired_token),
        "tampered": _invalid_page(client, token[:-1] + ("A" if token[-1] != "A" else "B")),
        "guessed": _invalid_page(client, "x" * 43),
        "used": _invalid_page(client, used_token),
    }
    assert len(set(pages.values())) == 1, "the pages differ: a guesser could tell which links exist"
    status, text = pages["guessed"]
    assert status == 404 and "Neem contact op met je coach" in text
    assert "Sam" not in text
    # The real link still works.
    assert client.get(_start(token)).status_code == 200


def test_every_message_about_one_moment_carries_the_same_link(client, cast):
    student = checkin_student(cast)
    checkin = first_checkin(student)
    link, first = link_with_token(student, checkin)
    again, second = link_with_token(student, checkin)
    assert again.pk == link.pk and first == second
    assert client.get(_start(first)).status_code == 200
    # Only the hash and a salt are stored: the token needs the SECRET_KEY too.
    link.refresh_from_db()
    assert first not in (link.token_hash, link.token_salt)


def test_an_expired_unanswered_link_gets_a_fresh_token_when_sent_again(client, cast):
    student = checkin_student(cast)
    checkin = first_checkin(student)
    link, old = link_with_token(student, checkin)
    Link.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    again, new = link_with_token(student, checkin)
    assert again.pk == link.pk and new != old
    assert client.get(_start(old)).status_code == 404
    assert client.get(_start(new)).status_code == 200


def test_guessing_is_rate_limited_per_address_also_for_a_right_token(client, cast):
    student = checkin_student(cast)
    _link, token = link_with_token(student)
    for i in range(MISSES_PER_CLIENT.limit):
        client.get(_start(f"guess-{i}"))
    assert client.get(_start(token)).status_code == 404


def test_a_withdrawn_contact_consent_stops_the_link(client, cast):
    student = checkin_student(cast)
    _link, token = link_with_token(student)
    consent_withdraw(student=student, purposes=[Purpose.CONTACT], method="digital", note="")
    assert client.get(_start(token)).status_code == 404


@pytest.mark.parametrize(
    "hours,message",
    [("200", "van 1 tot en met 60"), ("-5", "van 1 tot en met 60"), ("veel", "heel aantal uren")],
)
def test_absurd_hours_are_refused_in_dutch_and_nothing_is_written(client, cast, hours, message):
    student = checkin_student(cast)
    _link, token = link_with_token(student)
    client.post(_start(token), {"activity": "work"})
    response = client.post(reverse("checkins:public_details", args=[token]), {"hours_per_week": hours})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contact.objects.filter(student=student).exists()


def test_a_ten_thousand_character_message_is_refused_and_nothing_is_written(client, cast):
    student = checkin_student(cast)
    _link, token = link_with_token(student)
    client.post(_start(token), {"activity": "nothing"})
    response = client.post(
        reverse("checkins:public_contact", args=[token]), {"wants_contact": "no", "message": "x" * 10_000}
    )
    assert response.status_code == 200
    assert "Je bericht is te lang" in response.content.decode()
    assert not Contact.objects.filter(student=student).exists()
    assert not Answer.objects.exists()


def test_no_choice_is_refused_with_a_field_error(client, cast):
    student = checkin_student(cast)
    _link, token = link_with_token(student)
    response = client.post(_start(token), {})
    assert response.status_code == 200 and "Kies wat je nu doet." in response.content.decode()
    response = client.post(_start(token), {"activity": "other", "activity_other": ""})
    assert "Schrijf kort wat je doet." in response.content.decode()


def test_script_in_text_fields_is_stored_as_text_and_shown_escaped(client, cast, login):
    student = checkin_student(cast)
    _link, token = link_with_token(student)
    script = "<script>alert('x')</script>"
    client.post(_start(token), {"activity": "other", "activity_other": script})
    client.post(reverse("checkins:public_contact", args=[token]), {"wants_contact": "phone", "message": script})
    assert Answer.objects.get(student=student).message == script
    client.logout()
    page = login(cast.coach).get(reverse("students:detail", args=[student.code])).content.decode()
    assert script not in page
    assert "&lt;script&gt;" in page


def test_skipping_ahead_without_the_first_answer_goes_back_to_the_start(client, cast):
    student = checkin_student(cast)
    _link, token = link_with_token(student)
    response = client.get(reverse("checkins:public_contact", args=[token]))
    assert response.status_code == 302 and response["Location"] == _start(token)
    response = client.post(reverse("checkins:public_contact", args=[token]), {"wants_contact": "no"})
    assert response.status_code == 302 and not Contact.objects.exists()


def test_the_done_page_without_an_answer_is_a_plain_thank_you(client):
    response = client.get(reverse("checkins:public_done"))
    assert response.status_code == 200
