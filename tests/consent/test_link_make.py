""" "Link maken": show or send (with a preview first); under 16 a link for the parent or
guardian whose page addresses them and records who answered; the printed form's signatures;
at 18 the renewal page says why."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from consent.links import consent_link_create, token_hash
from consent.models import ConsentLink, ConsentRecord, CurrentConsent, Purpose, Status
from tests.consent.factories import birthday_years_ago, make_student, publish_texts
from tests.factories import give_consent

ALL_GIVEN = {f"answer_{p}": "given" for p in Purpose.values}


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def texts(cast):
    return publish_texts(cast.region)


def link_url(student):
    return reverse("consent:link", args=[student.code])


def token_in(html: str) -> str:
    return re.search(r'value="http[^"]+/toestemming/j/([^/"]+)/"', html).group(1)


# --- show or send ----------------------------------------------------------------------------


def test_nothing_is_chosen_in_advance_and_the_choice_is_required(cast, login, texts):
    student = make_student(cast, email="sanne@example.nl", date_of_birth=birthday_years_ago(19))
    client = login(cast.zorg)
    page = client.get(link_url(student)).content.decode()
    assert "Laten zien" in page and "Versturen per e-mail naar sanne@example.nl" in page
    assert "checked" not in page
    response = client.post(link_url(student), {})
    assert "Kies of u de link laat zien of verstuurt." in response.content.decode()
    assert not ConsentLink.objects.exists()


def test_show_makes_the_link_and_sends_nothing(cast, login, texts):
    student = make_student(cast, email="sanne@example.nl", date_of_birth=birthday_years_ago(19))
    response = login(cast.zorg).post(link_url(student), {"delivery": "show"})
    html = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert 'src="data:image/svg+xml;base64,' in html
    assert ConsentLink.objects.get(student=student).token_hash == token_hash(token_in(html))
    assert mail.outbox == []


def test_send_shows_a_preview_first_then_sends_on_confirm(cast, login, texts):
    student = make_student(cast, email="sanne@example.nl", date_of_birth=birthday_years_ago(19))
    client = login(cast.zorg)
    preview = client.post(link_url(student), {"delivery": "send"})
    html = preview.content.decode()
    assert "Voorbeeld van het bericht" in html and "sanne@example.nl" in html
    assert "[de persoonlijke link]" in html and f"Hoi {student.display_first_name}" in html
    # Nothing exists yet: an abandoned preview leaves no live link and sends nothing.
    assert not ConsentLink.objects.exists() and mail.outbox == []
    # "Terug en wijzigen" goes back to the form with the choice kept.
    back = client.post(link_url(student), {"delivery": "send", "edit": "1"}).content.decode()
    assert "Link maken" in back and re.search(r'value="send"[^>]*checked', back)
    sent = client.post(link_url(student), {"delivery": "send", "confirm": "1"})
    body = sent.content.decode()
    assert "De link is verstuurd naar sanne@example.nl" in body
    assert "/toestemming/j/" not in body  # sent, not shown
    link = ConsentLink.objects.get(student=student)
    assert [m.to for m in mail.outbox] == [["sanne@example.nl"]]
    token = mail.outbox[0].body.split("/toestemming/j/")[1].split("/")[0]
    assert link.token_hash == token_hash(token)
    # The message sent is the one previewed, with the real link in place of the stand-in.
    assert mail.outbox[0].subject == preview.context["subject"]
    url = re.search(r"http\S+/toestemming/j/\S+/", mail.outbox[0].body).group(0)
    assert mail.outbox[0].body == preview.context["text"].replace("[de persoonlijke link]", url)


def test_send_is_not_offered_without_an_e_mail_address(cast, login, texts):
    student = make_student(cast, email="", date_of_birth=birthday_years_ago(19))
    page = login(cast.zorg).get(link_url(student)).content.decode()
    assert "Versturen" not in page
    response = login(cast.zorg).post(link_url(student), {"delivery": "send", "confirm": "1"})
    assert response.status_code == 200 and not ConsentLink.objects.exists()


# --- under 16: the parent's or guardian's link ------------------------------------------------


def test_under_16_the_coach_is_offered_a_parents_link_not_the_young_persons(cast, login, texts):
    student = make_student(cast, email="kid@example.nl", date_of_birth=birthday_years_ago(14))
    client = login(cast.zorg)
    page = client.get(link_url(student)).content.decode()
    assert "Laat een ouder of voogd antwoorden" in page
    assert "Laat de jongere zelf antwoorden" not in page
    assert "Naam ouder / voogd" in page and "kid@example.nl" not in page
    # Missing name: one clear field error, shown once in the field and once in the summary
    # that links to it, never as a repeated alert.
    response = client.post(link_url(student), {"delivery": "show", "given_by": "parent"})
    html = response.content.decode()
    assert html.count("Vul de naam van de ouder of voogd in.") == 2
    assert 'class="alert alert-danger"' not in html
    assert not ConsentLink.objects.exists()


def test_the_parents_link_is_sent_to_the_parent_and_their_page_addresses_them(client, cast, login, texts):
    student = make_student(cast, first_name="Noor", email="kid@example.nl", date_of_birth=birthday_years_ago(14))
    coach = login(cast.zorg)
    form = {"delivery": "send", "given_by": "parent", "representative_name": "Fatima Bakker", "email": "f@example.nl"}
    preview = coach.post(link_url(student), form).content.decode()
    assert "Beste Fatima Bakker" in preview and "f@example.nl" in preview
    coach.post(link_url(student), form | {"confirm": "1"})
    assert [m.to for m in mail.outbox] == [["f@example.nl"]]
    link = ConsentLink.objects.get(student=student)
    assert (link.given_by, link.representative_name) == ("parent", "Fatima Bakker")
    token = mail.outbox[0].body.split("/toestemming/j/")[1].split("/")[0]

    client.logout()
    page = client.get(reverse("consent:public_answer", args=[token])).content.decode()
    assert "Beste Fatima Bakker, mogen we Noor blijven helpen?" in page
    assert "Hoi Noor" not in page
    # The parent confirms (here: corrects) their name; that is who is recorded.
    answer = ALL_GIVEN | {"representative_name": "Fatima el Bakker"}
    response = client.post(reverse("consent:public_answer", args=[token]), answer)
    assert response.status_code == 302
    records = ConsentRecord.objects.filter(student=student)
    assert records.count() == 4
    assert {(r.given_by, r.representative_name, r.method) for r in records} == {
        ("parent", "Fatima el Bakker", ConsentRecord.Method.DIGITAL)
    }
    done = client.get(response["Location"]).content.decode()
    assert "Bedankt, uw antwoord is opgeslagen" in done
    # No confirmation to the child's address: the parent keeps the link shown on the page.
    assert len(mail.outbox) == 1
    # Withdrawing through the kept link is recorded as the parent's too.
    kept = re.search(r"/toestemming/j/([^/]+)/intrekken/", done).group(1)
    client.post(reverse("consent:public_withdraw", args=[kept]), {"purposes": ["research"]})
    withdrawal = CurrentConsent.objects.get(student=student, purpose=Purpose.RESEARCH).record
    assert (withdrawal.status, withdrawal.given_by, withdrawal.representative_name) == (
        Status.WITHDRAWN,
        "parent",
        "Fatima el Bakker",
    )


def test_a_parents_link_can_be_shown_for_a_phone_and_needs_an_address_to_send(cast, login, texts):
    student = make_student(cast, date_of_birth=birthday_years_ago(15))
    client = login(cast.coach if student.coach_id else cast.zorg)
    base = {"given_by": "guardian", "representative_name": "J. de Vries"}
    response = client.post(link_url(student), base | {"delivery": "send"})
    assert "Vul het e-mailadres van de ouder of voogd in" in response.content.decode()
    html = client.post(link_url(student), base | {"delivery": "show"}).content.decode()
    assert "Laat de ouder of voogd deze QR-code scannen" in html
    assert ConsentLink.objects.get(student=student).given_by == "guardian"


def test_the_service_still_refuses_a_young_persons_own_link_under_16(cast, texts):
    from django.core.exceptions import ValidationError

    student = make_student(cast, date_of_birth=birthday_years_ago(14))
    with pytest.raises(ValidationError):
        consent_link_create(student=student, kind=ConsentLink.Kind.ANSWER)


# --- the printed form --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "shown", "absent"),
    [
        (14, ["Handtekening ouder / voogd", "Naam ouder / voogd"], ["Handtekening jongere"]),
        (19, ["Handtekening jongere"], ["Handtekening ouder / voogd", "Naam ouder / voogd"]),
    ],
)
def test_the_printed_form_has_only_the_signatures_that_count(cast, login, texts, age, shown, absent):
    student = make_student(cast, date_of_birth=birthday_years_ago(age))
    html = login(cast.zorg).get(reverse("consent:print", args=[student.code])).content.decode()
    for text in shown:
        assert text in html
    for text in absent:
        assert text not in html


# --- at 18: renewal -----------------------------------------------------------------------------


def test_at_18_the_young_persons_page_says_why_they_are_asked_again(client, cast, texts):
    student = make_student(cast, first_name="Sem", date_of_birth=birthday_years_ago(18, days=3))
    _parent_answered(student, texts)
    _, token = consent_link_create(student=student, kind=ConsentLink.Kind.ANSWER)
    page = client.get(reverse("consent:public_answer", args=[token])).content.decode()
    assert "nu beslis je zelf" in page
    assert "heeft je ouder of voogd (Anja de Wit) voor jou toestemming gegeven" in page
    assert "Je bent nu 18" in page
    assert "Je ouder of voogd zei hier ja op" in page
    # Saying yes again is recorded as the young person's own answer: the renewal is done.
    client.post(reverse("consent:public_answer", args=[token]), ALL_GIVEN)
    current = CurrentConsent.objects.get(student=student, purpose=Purpose.SHARING).record
    assert current.given_by == ConsentRecord.GivenBy.STUDENT
    page = client.get(reverse("consent:public_answer", args=[token])).content.decode()
    assert "nu beslis je zelf" not in page


def test_an_ordinary_page_does_not_mention_a_renewal(client, cast, texts):
    student = make_student(cast, date_of_birth=birthday_years_ago(19))
    give_consent(student, Purpose.SHARING)
    _, token = consent_link_create(student=student, kind=ConsentLink.Kind.ANSWER)
    page = client.get(reverse("consent:public_answer", args=[token])).content.decode()
    assert "nu beslis je zelf" not in page and "mogen we je blijven helpen?" in page


def _parent_answered(student, texts):
    """Consent a parent gave on paper when the young person was 15."""
    import datetime as dt

    from django.utils import timezone

    from consent.services import consent_record

    when = timezone.now() - dt.timedelta(days=3 * 365)
    for purpose in (Purpose.CONTACT, Purpose.SHARING):
        consent_record(
            student=student,
            purpose=purpose,
            status=Status.GIVEN,
            method=ConsentRecord.Method.PAPER,
            text=texts[purpose],
            given_by=ConsentRecord.GivenBy.PARENT,
            representative_name="Anja de Wit",
            answered_at=when,
        )
