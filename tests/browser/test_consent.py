"""Consent in the browser: at the table, on the young person's phone, withdrawal, bad links."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from consent.links import consent_link_create
from consent.models import ConsentLink, ConsentRecord, CurrentConsent, Purpose, Status
from tests.browser.conftest import assert_accessible, browser_login
from tests.consent.factories import make_student, publish_texts
from tests.factories import give_consent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # The live server sees every client as 127.0.0.1: earlier tests' bad links must not count.
    cache.clear()


@pytest.fixture
def texts(cast):
    return publish_texts(cast.region)


def test_record_consent_at_the_table_and_print_the_form(page, cast, password, texts):
    student = make_student(cast, first_name="Noor", last_name="El Amrani")
    browser_login(page, cast.zorg.user.email, password)
    page.goto(f"{page.base_url}/toestemming/{student.code}/vastleggen/")
    assert page.get_by_text("Weigeren heeft geen gevolgen").is_visible()
    assert page.locator("input[type=radio]:checked").count() == 0
    assert_accessible(page)
    page.get_by_role("group", name=texts[Purpose.CONTACT].title_nl).get_by_label("Toestemming gegeven").check()
    page.get_by_role("group", name=texts[Purpose.SHARING].title_nl).get_by_label("Toestemming gegeven").check()
    page.get_by_role("group", name=texts[Purpose.MATCHTAFEL].title_nl).get_by_label("Geweigerd").check()
    page.get_by_role("group", name=texts[Purpose.RESEARCH].title_nl).get_by_label("Niet gevraagd").check()
    page.get_by_label("Op papier, bij de diplomapapieren").check()
    page.get_by_role("button", name="Antwoorden vastleggen").click()
    page.wait_for_url(re.compile(rf"/jongeren/{student.code}/$"))
    assert page.get_by_text("De antwoorden zijn vastgelegd.").is_visible()
    assert CurrentConsent.objects.get(student=student, purpose=Purpose.SHARING).status == Status.GIVEN
    assert ConsentRecord.objects.filter(student=student).count() == 3

    page.goto(f"{page.base_url}/toestemming/{student.code}/formulier/")
    assert page.get_by_role("heading", level=1).inner_text() == "Toestemming na je diploma"
    assert page.locator(".box").count() == 8  # ja/nee per purpose, all empty
    assert page.get_by_text("Handtekening jongere").is_visible()
    assert_accessible(page)
    assert page.console_errors == []


def test_the_young_person_answers_on_a_phone(phone_page, cast, texts):
    student = make_student(cast, first_name="Jay", email="jay@example.nl")
    _, token = consent_link_create(student=student, kind=ConsentLink.Kind.ANSWER)
    phone_page.goto(f"{phone_page.base_url}/toestemming/j/{token}/")
    assert phone_page.get_by_role("heading", level=1).inner_text().startswith("Hoi Jay")
    assert_accessible(phone_page)
    for purpose in Purpose.values:
        answer = "Nee, liever niet" if purpose == Purpose.RESEARCH else "Ja, dat mag"
        phone_page.get_by_role("group", name=texts[purpose].title_nl).get_by_label(answer).check()
    phone_page.get_by_role("button", name="Verstuur mijn antwoorden").click()
    phone_page.wait_for_url(re.compile(r"/toestemming/klaar/$"))
    assert phone_page.get_by_role("heading", name="Later van gedachten veranderen?").is_visible()
    assert_accessible(phone_page)
    assert set(CurrentConsent.objects.filter(student=student).values_list("purpose", "status")) == {
        (Purpose.CONTACT, Status.GIVEN),
        (Purpose.SHARING, Status.GIVEN),
        (Purpose.MATCHTAFEL, Status.GIVEN),
        (Purpose.RESEARCH, Status.REFUSED),
    }
    assert phone_page.console_errors == []


def test_withdrawing_by_link_removes_the_student_from_the_rmc_caseload(page, phone_page, cast, password, texts):
    student = make_student(cast, last_name="Verdwijnt", guiding_organisation=cast.rmc, coach=cast.coach.user)
    give_consent(student, Purpose.SHARING)
    browser_login(page, cast.coach.user.email, password)
    page.goto(page.base_url + "/coaching/caseload/")
    in_caseload = page.get_by_role("link", name=student.sort_name, exact=True)
    assert in_caseload.count() == 1

    _, token = consent_link_create(student=student, kind=ConsentLink.Kind.WITHDRAW)
    phone_page.goto(f"{phone_page.base_url}/toestemming/j/{token}/intrekken/")
    assert_accessible(phone_page)
    phone_page.get_by_label(texts[Purpose.SHARING].title_nl).check()
    phone_page.get_by_role("button", name="Toestemming intrekken").click()
    phone_page.wait_for_url(re.compile(r"/toestemming/klaar/$"))
    assert phone_page.get_by_text("Dat is meteen ingegaan.").is_visible()

    page.reload()
    assert in_caseload.count() == 0
    assert "Verdwijnt" not in page.content()
    assert page.goto(f"{page.base_url}/jongeren/{student.code}/").status == 404


@pytest.mark.parametrize("kind", ["expired", "tampered"])
def test_a_bad_link_shows_a_friendly_dutch_page_and_changes_nothing(phone_page, cast, texts, kind):
    student = make_student(cast)
    link, token = consent_link_create(student=student, kind=ConsentLink.Kind.ANSWER)
    if kind == "expired":
        from django.utils import timezone

        ConsentLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    else:
        token = token[:10] + ("x" if token[10] != "x" else "y") + token[11:]
    response = phone_page.goto(f"{phone_page.base_url}/toestemming/j/{token}/")
    assert response.status == 404
    assert phone_page.get_by_role("heading", level=1).inner_text() == "Deze link werkt niet (meer)"
    assert phone_page.get_by_text("Er is niets veranderd.").is_visible()
    assert student.first_name not in phone_page.content()
    assert_accessible(phone_page)
    assert not ConsentRecord.objects.exists()
    assert ConsentLink.objects.get().used_at is None
