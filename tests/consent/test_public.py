"""The young person's link: answer, withdraw, and one friendly page for every bad link."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from consent.links import RATE_LIMIT, consent_link_create
from consent.models import ConsentLink, ConsentRecord, CurrentConsent, Purpose, Status
from students.access import students_visible_to
from tests.consent.factories import make_student, publish_texts
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


@pytest.fixture
def youth(cast, texts):
    return make_student(cast, email="jay@example.nl", guiding_organisation=cast.rmc, coach=cast.coach.user)


def answer_url(token):
    return reverse("consent:public_answer", args=[token])


def test_the_page_needs_no_login_and_shows_the_texts(client, youth, texts):
    _, token = consent_link_create(student=youth, kind=ConsentLink.Kind.ANSWER)
    response = client.get(answer_url(token))
    html = response.content.decode()
    assert response.status_code == 200
    assert texts[Purpose.SHARING].body_nl in html
    assert "Nee zeggen mag altijd en heeft geen gevolgen" in html
    assert "checked" not in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_page_switches_to_english(client, youth, texts):
    _, token = consent_link_create(student=youth, kind=ConsentLink.Kind.ANSWER)
    client.post(reverse("set_language"), {"language": "en", "next": answer_url(token)})
    html = client.get(answer_url(token)).content.decode()
    assert texts[Purpose.SHARING].body_en in html


def test_answering_records_digital_answers_once_and_offers_a_withdraw_link(
    client, youth, texts, django_capture_on_commit_callbacks
):
    _, token = consent_link_create(student=youth, kind=ConsentLink.Kind.ANSWER)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(answer_url(token), ALL_GIVEN | {"answer_research": "refused"})
    assert response["Location"] == reverse("consent:public_done")
    records = ConsentRecord.objects.filter(student=youth)
    assert records.count() == 4
    assert {r.method for r in records} == {ConsentRecord.Method.DIGITAL}
    assert records.get(purpose=Purpose.SHARING).text == texts[Purpose.SHARING]
    assert records.get(purpose=Purpose.RESEARCH).status == Status.REFUSED
    done = client.get(response["Location"]).content.decode()
    assert "/toestemming/j/" in done and "/intrekken/" in done
    assert len(mail.outbox) == 1 and "/intrekken/" in mail.outbox[0].body
    # Second use: the link still works (change one's mind at any moment); the same answers
    # again record nothing new.
    again = client.post(answer_url(token), ALL_GIVEN | {"answer_research": "refused"})
    assert again.status_code == 302
    assert records.count() == 4


def test_every_purpose_needs_an_answer(client, youth):
    _, token = consent_link_create(student=youth, kind=ConsentLink.Kind.ANSWER)
    response = client.post(answer_url(token), {"answer_sharing": "given"})
    assert response.status_code == 200
    assert "Kies bij elk onderdeel ja of nee." in response.content.decode()
    assert not ConsentRecord.objects.exists()
    assert ConsentLink.objects.get().used_at is None


def _expired(youth):
    link, token = consent_link_create(student=youth, kind=ConsentLink.Kind.ANSWER)
    ConsentLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    return token


def _tampered(youth):
    _, token = consent_link_create(student=youth, kind=ConsentLink.Kind.ANSWER)
    return token[:-2] + ("AA" if not token.endswith("AA") else "BB")


def _erased(youth):
    _, token = consent_link_create(student=youth, kind=ConsentLink.Kind.ANSWER)
    type(youth).objects.filter(pk=youth.pk).update(erased_at=timezone.now())
    return token


def _page(response) -> str:
    """The page without what differs per request anyway (CSRF token, the language form's own address)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'name="next" value="[^"]+"', "", html)


@pytest.mark.parametrize("make_token", [_expired, _tampered, _erased])
def test_bad_links_all_get_the_same_friendly_page_and_change_nothing(client, youth, make_token):
    token = make_token(youth)
    before = ConsentRecord.objects.count()
    reference = _page(client.get(answer_url("volkomen-verzonnen-token")))
    for response in (client.get(answer_url(token)), client.post(answer_url(token), ALL_GIVEN)):
        assert response.status_code == 404
        assert _page(response) == reference
        assert youth.first_name not in response.content.decode()
    assert ConsentRecord.objects.count() == before


def test_guessing_is_rate_limited_per_address(client, youth):
    _, token = consent_link_create(student=youth, kind=ConsentLink.Kind.ANSWER)
    for n in range(RATE_LIMIT):
        client.get(answer_url(f"guess-{n}"))
    # Even the right token shows the friendly page now, from this address.
    assert client.get(answer_url(token)).status_code == 404
    assert client.get(answer_url(token), REMOTE_ADDR="10.1.2.3").status_code == 200


def test_withdrawing_by_link_takes_effect_at_once(client, cast, youth):
    give_consent(youth, Purpose.SHARING)
    give_consent(youth, Purpose.RESEARCH)
    assert youth in students_visible_to(cast.coach)
    _, token = consent_link_create(student=youth, kind=ConsentLink.Kind.WITHDRAW)
    url = reverse("consent:public_withdraw", args=[token])
    page = client.get(url).content.decode()
    assert "checked" not in page
    response = client.post(url, {"purposes": ["sharing"]})
    assert response["Location"] == reverse("consent:public_done")
    assert youth not in students_visible_to(cast.coach)
    current = CurrentConsent.objects.get(student=youth, purpose=Purpose.SHARING)
    assert (current.status, current.record.method) == (Status.WITHDRAWN, ConsentRecord.Method.DIGITAL)
    # Research is still given, so the link still works for that; and after that too (to give
    # consent again: see test_link_lifetime).
    assert client.post(url, {"purposes": ["research"]}).status_code == 302
    assert client.get(url).status_code == 200


def test_a_withdraw_link_cannot_withdraw_what_was_not_given(client, youth):
    give_consent(youth, Purpose.SHARING)
    _, token = consent_link_create(student=youth, kind=ConsentLink.Kind.WITHDRAW)
    response = client.post(reverse("consent:public_withdraw", args=[token]), {"purposes": ["research"]})
    assert response.status_code == 200
    assert CurrentConsent.objects.get(student=youth).status == Status.GIVEN


def test_public_pages_refuse_other_methods(client, youth):
    _, token = consent_link_create(student=youth, kind=ConsentLink.Kind.ANSWER)
    assert client.put(answer_url(token)).status_code == 405
    assert client.post(reverse("consent:public_done")).status_code == 405


def test_the_done_page_without_a_session_reveals_nothing(client):
    response = client.get(reverse("consent:public_done"))
    assert response.status_code == 200
    assert "/intrekken/" not in response.content.decode()


def test_behind_the_proxy_the_forwarded_address_is_rate_limited(client, youth, settings):
    settings.KWINT_TRUSTED_PROXIES = 1
    _, token = consent_link_create(student=youth, kind=ConsentLink.Kind.ANSWER)
    for n in range(RATE_LIMIT):
        # A guesser's own X-Forwarded-For value, to which the proxy appends the real address.
        client.get(answer_url(f"guess-{n}"), HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.9")
    assert client.get(answer_url(token), HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404
    # Another young person behind the same proxy is not locked out.
    assert client.get(answer_url(token), HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 200


def test_without_a_trusted_proxy_a_forged_header_does_not_bypass_the_limit(client, youth, settings):
    settings.KWINT_TRUSTED_PROXIES = 0
    _, token = consent_link_create(student=youth, kind=ConsentLink.Kind.ANSWER)
    for n in range(RATE_LIMIT):
        client.get(answer_url(f"guess-{n}"), HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")
    assert client.get(answer_url(token), HTTP_X_FORWARDED_FOR="10.9.9.250").status_code == 404
