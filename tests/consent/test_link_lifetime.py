"""The young person's link works for its lifetime (change one's mind at any moment), and
"stuur me een nieuwe link" never reveals whether an address is known."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from consent import public_views
from consent.links import consent_link_create, consent_link_request
from consent.models import ConsentLink, ConsentRecord, CurrentConsent, Purpose, Status
from consent.tasks import consent_link_request_task
from students.models import TimelineEvent
from tests.consent.factories import birthday_years_ago, make_student, publish_texts

ALL_GIVEN = {f"answer_{p}": "given" for p in Purpose.values}


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def texts(cast):
    return publish_texts(cast.region)


@pytest.fixture
def youth(cast, texts):
    return make_student(
        cast,
        email="jay@example.nl",
        phone="06-12345678",
        date_of_birth=birthday_years_ago(19),
        guiding_organisation=cast.rmc,
        coach=cast.coach.user,
    )


def status(student, purpose):
    return CurrentConsent.objects.get(student=student, purpose=purpose).status


def test_the_link_from_the_confirmation_changes_the_answers_any_number_of_times(
    client, youth, django_capture_on_commit_callbacks
):
    _, token = consent_link_create(student=youth, kind=ConsentLink.Kind.ANSWER)
    answer = reverse("consent:public_answer", args=[token])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(answer, ALL_GIVEN)
    # The confirmation e-mail holds the long-lived link.
    kept = mail.outbox[0].body.split("/toestemming/j/")[1].split("/")[0]
    withdraw = reverse("consent:public_withdraw", args=[kept])
    # 1. Withdraw contact.
    assert client.post(withdraw, {"purposes": ["contact"]}).status_code == 302
    assert status(youth, Purpose.CONTACT) == Status.WITHDRAWN
    # 2. Withdraw everything else: the link still works afterwards.
    assert client.post(withdraw, {"purposes": ["sharing", "matchtafel", "research"]}).status_code == 302
    page = client.get(withdraw)
    assert page.status_code == 200
    assert "Toch (weer) toestemming geven" in page.content.decode()
    # 3. Give contact again through the same link, a year later, and say no to research.
    ConsentLink.objects.update(created_at=timezone.now() - dt.timedelta(days=365))
    again = reverse("consent:public_answer", args=[kept])
    page = client.get(again).content.decode()
    assert "Je trok je toestemming hiervoor in" in page and "checked" not in page
    answers = ALL_GIVEN | {"answer_research": "refused"}
    assert client.post(again, answers).status_code == 302
    assert status(youth, Purpose.CONTACT) == Status.GIVEN
    assert status(youth, Purpose.RESEARCH) == Status.WITHDRAWN  # said no again: stays withdrawn
    # 4. "Nee" now to something given is a withdrawal, not a refusal.
    assert (
        client.post(again, ALL_GIVEN | {"answer_sharing": "refused", "answer_research": "refused"}).status_code == 302
    )
    assert status(youth, Purpose.SHARING) == Status.WITHDRAWN
    # Only changes are recorded: no record for an answer that stayed the same.
    contact = ConsentRecord.objects.filter(student=youth, purpose=Purpose.CONTACT)
    assert list(contact.order_by("recorded_at", "id").values_list("status", flat=True)) == [
        Status.GIVEN,
        Status.WITHDRAWN,
        Status.GIVEN,
    ]
    # No second long-lived link was made: the one kept is the one to use.
    assert ConsentLink.objects.filter(kind=ConsentLink.Kind.WITHDRAW).count() == 1


def test_the_invitation_link_itself_works_again_until_it_expires(client, youth):
    link, token = consent_link_create(student=youth, kind=ConsentLink.Kind.ANSWER)
    url = reverse("consent:public_answer", args=[token])
    client.post(url, {f"answer_{p}": "refused" for p in Purpose.values})
    assert client.get(url).status_code == 200
    client.post(url, ALL_GIVEN)
    assert status(youth, Purpose.SHARING) == Status.GIVEN
    ConsentLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    expired = client.get(url)
    assert expired.status_code == 404
    assert reverse("consent:public_new_link") in expired.content.decode()


def _ask(client, monkeypatch, address, django_capture_on_commit_callbacks, **extra):
    calls = []
    monkeypatch.setattr(consent_link_request_task, "delay", lambda **kw: calls.append(kw))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("consent:public_new_link"), {"address": address}, **extra)
    return response, calls


def _page(response) -> str:
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.mark.parametrize("known", ["jay@example.nl", "JAY@example.nl", "06 1234 5678", "+31612345678"])
def test_asking_for_a_new_link_looks_the_same_for_known_and_unknown_addresses(
    client, youth, monkeypatch, django_capture_on_commit_callbacks, known
):
    page = client.get(reverse("consent:public_new_link"))
    assert page.status_code == 200 and "Stuur me een nieuwe link" in page.content.decode()
    known_response, known_calls = _ask(client, monkeypatch, known, django_capture_on_commit_callbacks)
    unknown_response, unknown_calls = _ask(
        client, monkeypatch, "niemand@example.nl", django_capture_on_commit_callbacks
    )
    # Same redirect, same page, and in both cases the work is handed to the worker.
    assert known_response.status_code == unknown_response.status_code == 302
    assert known_response["Location"] == unknown_response["Location"] == reverse("consent:public_new_link_sent")
    assert len(known_calls) == len(unknown_calls) == 1
    done = client.get(known_response["Location"])
    assert "Kennen we je e-mailadres of nummer" in done.content.decode()
    # The worker sends to the address on record, never to what was typed.
    with django_capture_on_commit_callbacks(execute=True):
        assert consent_link_request_task(**unknown_calls[0]) == 0
        assert consent_link_request_task(**known_calls[0]) == 1
    assert [m.to for m in mail.outbox] == [["jay@example.nl"]]
    token = mail.outbox[0].body.split("/toestemming/j/")[1].split("/")[0]
    assert client.get(reverse("consent:public_answer", args=[token])).status_code == 200
    event = TimelineEvent.objects.get(student=youth, event="consent_link_requested")
    assert event.data == {"sent": True}


def test_a_known_phone_without_e_mail_is_noted_for_the_coach(cast, texts):
    student = make_student(cast, phone="0612345678", email="", date_of_birth=birthday_years_ago(20))
    assert consent_link_request(address="06-12345678") == 0
    assert mail.outbox == []
    assert TimelineEvent.objects.get(student=student, event="consent_link_requested").data == {"sent": False}


def test_no_link_for_a_young_person_under_16(cast, texts):
    student = make_student(cast, email="kid@example.nl", date_of_birth=birthday_years_ago(15))
    assert consent_link_request(address="kid@example.nl") == 0
    assert not ConsentLink.objects.filter(student=student).exists()


def test_bad_input_gets_a_dutch_field_error(client):
    for value, message in [("", "Vul je e-mailadres of mobiele nummer in."), ("abc", "Vul een e-mailadres in")]:
        response = client.post(reverse("consent:public_new_link"), {"address": value})
        assert response.status_code == 200
        assert message in response.content.decode()


def test_new_links_are_rate_limited_per_connection_and_silently_per_address(
    client, youth, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(consent_link_request_task, "delay", lambda **kw: calls.append(kw))
    url = reverse("consent:public_new_link")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(public_views.NEW_LINKS_PER_CLIENT.limit):
            assert client.post(url, {"address": "jay@example.nl"}).status_code == 302
    # Per address: only the first few reach the worker, the page stays the same.
    assert len(calls) == public_views.NEW_LINKS_PER_ADDRESS.limit
    blocked = client.post(url, {"address": "jay@example.nl"})
    assert blocked.status_code == 429
    assert "te vaak een nieuwe link gevraagd" in blocked.content.decode()
    # Another connection is not blocked.
    assert client.post(url, {"address": "ander@example.nl"}, REMOTE_ADDR="10.4.4.4").status_code == 302


def test_the_new_link_pages_refuse_other_methods(client):
    assert client.put(reverse("consent:public_new_link")).status_code == 405
    assert client.post(reverse("consent:public_new_link_sent")).status_code == 405
