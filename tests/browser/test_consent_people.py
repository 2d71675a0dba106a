"""Consent for everyone, in the browser: a parent's link for an under-16, the renewal page at
18 that says why, and a withdrawal of contact seen on the caseload at once."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from consent.links import consent_link_create
from consent.models import ConsentLink, ConsentRecord, CurrentConsent, Purpose, Status
from consent.services import consent_record
from tests.browser.conftest import assert_accessible, browser_login
from tests.coaching.factories import guided_student
from tests.consent.factories import birthday_years_ago, make_student, publish_texts
from tests.factories import give_consent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.fixture
def texts(cast):
    return publish_texts(cast.region)


def answer_all(pg, texts, answer="Ja, dat mag"):
    for purpose in Purpose.values:
        pg.get_by_role("group", name=texts[purpose].title_nl).get_by_label(answer).check()


def test_a_parent_answers_for_an_under_16_through_their_own_link(page, phone_page, cast, password, texts):
    student = make_student(cast, first_name="Noor", last_name="Bakker", date_of_birth=birthday_years_ago(15))
    browser_login(page, cast.zorg.user.email, password)
    page.goto(f"{page.base_url}/toestemming/{student.code}/link/")
    assert page.get_by_role("heading", level=1).inner_text() == "Laat een ouder of voogd antwoorden"
    assert page.get_by_text("Laat de jongere zelf antwoorden").count() == 0
    assert page.locator("input[type=radio]:checked").count() == 0
    assert_accessible(page)
    page.get_by_label("Ouder", exact=True).check()
    page.get_by_label("Naam ouder / voogd").fill("Fatima Bakker")
    page.get_by_role("radio", name=re.compile("Laten zien")).check()
    page.get_by_role("button", name="Link maken").click()
    assert page.get_by_text("Laat de ouder of voogd deze QR-code scannen").is_visible()
    url = page.get_by_label("De link").input_value()
    assert_accessible(page)

    # The link carries the installation's address; the test server has its own.
    phone_page.goto(phone_page.base_url + re.search(r"/toestemming/j/[^/]+/", url).group(0))
    heading = phone_page.get_by_role("heading", level=1).inner_text()
    assert heading == "Beste Fatima Bakker, mogen we Noor blijven helpen?"
    assert phone_page.get_by_label("Uw naam").input_value() == "Fatima Bakker"
    assert_accessible(phone_page)
    answer_all(phone_page, texts)
    phone_page.get_by_role("button", name="Verstuur mijn antwoorden").click()
    phone_page.wait_for_url(re.compile(r"/toestemming/klaar/$"))
    assert phone_page.get_by_role("heading", level=1).inner_text() == "Bedankt, uw antwoord is opgeslagen"
    records = ConsentRecord.objects.filter(student=student)
    assert {(r.given_by, r.representative_name) for r in records} == {("parent", "Fatima Bakker")}
    assert phone_page.console_errors == [] and page.console_errors == []


def test_at_18_the_page_says_why_the_young_person_is_asked_again(phone_page, cast, texts):
    student = make_student(cast, first_name="Sem", date_of_birth=birthday_years_ago(18, days=2))
    for purpose in (Purpose.CONTACT, Purpose.SHARING):
        consent_record(
            student=student,
            purpose=purpose,
            status=Status.GIVEN,
            method=ConsentRecord.Method.PAPER,
            text=texts[purpose],
            given_by=ConsentRecord.GivenBy.PARENT,
            representative_name="Anja de Wit",
        )
    _, token = consent_link_create(student=student, kind=ConsentLink.Kind.ANSWER)
    phone_page.goto(f"{phone_page.base_url}/toestemming/j/{token}/")
    assert phone_page.get_by_role("heading", level=1).inner_text() == "Hoi Sem, nu beslis je zelf"
    why = phone_page.locator(".renewal-why")
    assert why.is_visible()
    assert "je ouder of voogd (Anja de Wit) voor jou toestemming gegeven" in why.inner_text()
    assert "Je bent nu 18" in why.inner_text()
    assert_accessible(phone_page)
    answer_all(phone_page, texts)
    phone_page.get_by_role("button", name="Verstuur mijn antwoorden").click()
    phone_page.wait_for_url(re.compile(r"/toestemming/klaar/$"))
    current = CurrentConsent.objects.get(student=student, purpose=Purpose.SHARING)
    assert current.record.given_by == ConsentRecord.GivenBy.STUDENT
    assert phone_page.console_errors == []


def test_withdrawing_contact_shows_on_the_caseload_at_once(page, phone_page, cast, password, texts):
    student = guided_student(cast, last_name="Terugtrekker")
    give_consent(student, Purpose.CONTACT)
    browser_login(page, cast.coach.user.email, password)
    page.goto(page.base_url + "/coaching/caseload/")
    row = page.locator(f'.caseload-table [data-student="{student.code}"]')
    assert row.count() == 1
    assert page.get_by_role("heading", name="Geen contact gewenst").count() == 0

    _, token = consent_link_create(student=student, kind=ConsentLink.Kind.WITHDRAW)
    phone_page.goto(f"{phone_page.base_url}/toestemming/j/{token}/intrekken/")
    phone_page.get_by_label(texts[Purpose.CONTACT].title_nl).check()
    phone_page.get_by_role("button", name="Toestemming intrekken").click()
    phone_page.wait_for_url(re.compile(r"/toestemming/klaar/$"))

    page.reload()
    section = page.locator("section.no-contact")
    assert section.get_by_role("heading", name="Geen contact gewenst").is_visible()
    assert section.get_by_role("link", name=student.sort_name).is_visible()
    assert "geen contact gewenst sinds" in section.inner_text()
    # Not among those to call: no row with call buttons for them.
    assert row.count() == 0
    assert_accessible(page)
    # The student page says so, and offers no "niet bereikt".
    page.get_by_role("link", name=student.sort_name).click()
    assert page.get_by_text(re.compile("^Geen contact gewenst sinds")).is_visible()
    assert page.get_by_role("button", name="Niet bereikt (telefoon)").count() == 0
    assert page.console_errors == []
