"""Recording at the table, withdrawal by staff, the personal link, history and the panel."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consent.links import token_hash
from consent.models import ConsentLink, ConsentRecord, CurrentConsent, Purpose, Status
from tests.consent.factories import birthday_years_ago, make_student, publish_texts
from tests.factories import give_consent


@pytest.fixture
def texts(cast):
    return publish_texts(cast.region)


def _post(client, student, **overrides):
    data = {
        "answer_contact": "given",
        "answer_sharing": "given",
        "answer_matchtafel": "refused",
        "answer_research": "not_asked",
        "method": "paper",
        "answered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "given_by": "student",
        "representative_name": "",
        "note": "",
    }
    data.update(overrides)
    return client.post(reverse("consent:record", args=[student.code]), data)


def test_the_form_shows_the_texts_with_nothing_pre_selected(cast, login, texts, student):
    response = login(cast.zorg).get(reverse("consent:record", args=[student.code]))
    html = response.content.decode()
    assert "Weigeren heeft geen gevolgen" in html
    assert texts[Purpose.SHARING].body_nl in html
    radios = re.findall(r'<input type="radio" name="answer_[a-z]+"[^>]*>', html)
    assert len(radios) == 12
    assert not any("checked" in r for r in radios)


def test_recording_appends_one_record_per_answered_purpose(cast, login, texts, student):
    response = _post(login(cast.zorg), student)
    assert response.status_code == 302
    records = {r.purpose: r for r in ConsentRecord.objects.filter(student=student)}
    assert set(records) == {Purpose.CONTACT, Purpose.SHARING, Purpose.MATCHTAFEL}
    sharing = records[Purpose.SHARING]
    assert (sharing.status, sharing.method, sharing.recorded_by, sharing.text) == (
        Status.GIVEN,
        "paper",
        cast.zorg.user,
        texts[Purpose.SHARING],
    )
    assert records[Purpose.MATCHTAFEL].status == Status.REFUSED


def test_missing_answers_give_dutch_errors_and_write_nothing(cast, login, texts, student):
    response = _post(login(cast.zorg), student, answer_sharing="", method="")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kies een antwoord voor dit doel." in html
    assert "Kies hoe het antwoord is gegeven." in html
    assert not ConsentRecord.objects.exists()


def test_only_not_asked_is_not_an_answer(cast, login, texts, student):
    response = _post(
        login(cast.zorg),
        student,
        answer_contact="not_asked",
        answer_sharing="not_asked",
        answer_matchtafel="not_asked",
    )
    # Once, in the error summary that takes the focus: never a second alert beside it.
    assert response.content.decode().count("minstens één doel") == 1
    assert not ConsentRecord.objects.exists()


def test_under_16_needs_a_named_parent(cast, login, texts):
    student = make_student(cast, date_of_birth=birthday_years_ago(15))
    client = login(cast.zorg)
    response = _post(client, student)
    assert "een ouder of voogd moet het antwoord geven" in response.content.decode()
    response = _post(client, student, given_by="parent")
    assert "Vul de naam van de ouder of voogd in." in response.content.decode()
    assert not ConsentRecord.objects.exists()
    assert _post(client, student, given_by="parent", representative_name="Mevr. d'Amico").status_code == 302
    assert set(ConsentRecord.objects.values_list("representative_name", flat=True)) == {"Mevr. d'Amico"}


def test_a_future_moment_is_refused(cast, login, texts, student):
    response = _post(login(cast.zorg), student, answered_at="2099-01-01T10:00")
    assert "in de toekomst" in response.content.decode()


def test_the_rmc_coach_recording_a_refusal_loses_sight_at_once(cast, login, texts):
    student = make_student(cast, guiding_organisation=cast.rmc, coach=cast.coach.user)
    give_consent(student, Purpose.SHARING)
    response = _post(login(cast.coach), student, answer_sharing="refused")
    assert response.status_code == 302
    assert response["Location"] == reverse("coaching:caseload")


def test_staff_withdrawal_needs_reconfirmation(cast, login, texts):
    student = make_student(cast, guiding_organisation=cast.rmc, coach=cast.coach.user)
    give_consent(student, Purpose.SHARING)
    client = login(cast.zorg)
    url = reverse("consent:withdraw", args=[student.code])
    response = client.post(url, {"purposes": ["sharing"], "method": "phone"})
    assert "Bevestig dat de jongere dit zelf heeft gevraagd." in response.content.decode()
    assert CurrentConsent.objects.get(student=student).status == Status.GIVEN
    response = client.post(url, {"purposes": ["sharing"], "method": "phone", "confirm": "on"})
    assert response.status_code == 302
    current = CurrentConsent.objects.get(student=student)
    assert (current.status, current.record.recorded_by) == (Status.WITHDRAWN, cast.zorg.user)
    assert ConsentRecord.objects.filter(student=student).count() == 2


def test_a_personal_link_is_shown_as_qr_and_its_hash_stored(cast, login, texts):
    student = make_student(cast, email="sanne@example.nl")
    response = login(cast.zorg).post(reverse("consent:link", args=[student.code]), {"delivery": "show"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert 'src="data:image/svg+xml;base64,' in html
    url = re.search(r'value="(http[^"]+/toestemming/j/([^/"]+)/)"', html)
    token = url.group(2)
    link = ConsentLink.objects.get(student=student)
    assert link.token_hash == token_hash(token) and token not in link.token_hash
    assert mail.outbox == []  # shown, not sent: sending is the other choice (test_link_make)


def test_no_young_persons_own_link_under_16(cast, login, texts):
    student = make_student(cast, date_of_birth=birthday_years_ago(14))
    response = login(cast.zorg).post(reverse("consent:link", args=[student.code]), {"delivery": "show"})
    assert "Vul de naam van de ouder of voogd in." in response.content.decode()
    assert not ConsentLink.objects.exists()


def test_history_lists_every_answer_and_links_the_exact_text(cast, login, texts, student):
    give_consent(student, Purpose.SHARING)
    give_consent(student, Purpose.SHARING, Status.WITHDRAWN)
    client = login(cast.zorg)
    html = client.get(reverse("consent:history", args=[student.code])).content.decode()
    assert html.count("<tr>") == 3  # header + two answers
    text_url = reverse("consent:text_detail", args=[texts[Purpose.SHARING].code])
    assert text_url in html
    assert texts[Purpose.SHARING].body_nl in client.get(text_url).content.decode()


def test_the_student_panel_shows_state_erase_date_and_renewal(cast, login, texts):
    student = make_student(cast, date_of_birth=birthday_years_ago(18), erase_after=timezone.localdate())
    from consent.services import consent_answers_record

    consent_answers_record(
        student=student,
        answers={Purpose.SHARING: Status.GIVEN},
        texts=texts,
        method="paper",
        given_by="guardian",
        representative_name="Voogd Pietersen",
        answered_at=timezone.now() - timezone.timedelta(days=900),
    )
    html = login(cast.zorg).get(reverse("students:detail", args=[student.code])).content.decode()
    assert "Toestemming vernieuwen (18 jaar)" in html
    assert "Voogd Pietersen" in html
    assert "Gepland om te wissen na" in html
    assert reverse("consent:record", args=[student.code]) in html
    assert reverse("consent:history", args=[student.code]) in html


def test_the_panel_offers_no_actions_to_read_only_roles(cast, login, texts):
    student = make_student(cast, guiding_organisation=cast.rmc)
    give_consent(student, Purpose.SHARING)
    html = login(cast.coordinator).get(reverse("students:detail", args=[student.code])).content.decode()
    assert reverse("consent:history", args=[student.code]) in html
    assert reverse("consent:record", args=[student.code]) not in html


def test_the_history_page_costs_the_same_queries_for_few_and_many_answers(cast, login, texts, student):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(cast.zorg)
    url = reverse("consent:history", args=[student.code])
    give_consent(student, Purpose.SHARING)
    client.get(url)  # warm the session and membership caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for purpose in Purpose.values * 5:
        give_consent(student, purpose, Status.GIVEN, by=cast.school_coach.user)
        give_consent(student, purpose, Status.WITHDRAWN, by=cast.zorg.user)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many)
