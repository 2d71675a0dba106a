"""The self check-in in the browser: the young person answers on a 320 px phone (by touch and
by keyboard), and the coach sees the contact, the situation, the done check-in and the flag."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from coaching.models import CheckIn
from tests.browser.conftest import assert_accessible, browser_login
from tests.checkins.helpers import checkin_student, due, first_checkin, link_with_token

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # The live server sees every client as 127.0.0.1: earlier tests' bad links must not count.
    cache.clear()


@pytest.fixture
def small_phone(chromium, live_server):
    """The narrowest phone the issue names: 320 px wide, touch."""
    context = chromium.new_context(
        locale="nl-NL", viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.base_url = live_server.url
    yield pg
    context.close()


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def _tap(page, label: str) -> None:
    page.locator("label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).first.click()


PATHS = {
    "work": ("Werken", {"employer": "Bakkerij De Korf", "hours": "24", "contract": "Tijdelijk contract"}, "Werk"),
    "school": ("School of cursus", {"employer": "ROC Landstede", "hours": "16"}, "Opleiding"),
    "benefit": ("Ik heb een uitkering", None, "Uitkering"),
    "looking": ("Ik zoek werk", None, "Geen werk of opleiding (thuiszitter)"),
}


@pytest.mark.parametrize("path", sorted(PATHS))
def test_the_young_person_answers_each_path_on_a_320px_phone(small_phone, cast, path):
    page = small_phone
    student = checkin_student(cast)
    _link, token = link_with_token(student, due(first_checkin(student)))
    choice, details, _situation = PATHS[path]
    page.goto(f"{page.base_url}/c/{token}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hoi Sam, hoe gaat het nu met je?"
    _no_sideways_scroll(page)
    assert_accessible(page)
    _tap(page, choice)
    page.get_by_role("button", name="Volgende").click()
    if details:
        page.wait_for_url(re.compile(r"/meer/$"))
        _no_sideways_scroll(page)
        page.get_by_label(re.compile("werkgever of school|school of cursus", re.I)).fill(details["employer"])
        page.get_by_label("Hoeveel uur per week?").fill(details["hours"])
        if "contract" in details:
            _tap(page, details["contract"])
        assert_accessible(page)
        page.get_by_role("button", name="Volgende").click()
    page.wait_for_url(re.compile(r"/contact/$"))
    _no_sideways_scroll(page)
    assert_accessible(page)
    _tap(page, "Nee, alles is goed")
    page.get_by_role("button", name="Verstuur").click()
    page.wait_for_url(re.compile(r"/c-klaar/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Bedankt, je antwoord is verstuurd"
    assert cast.coach.user.full_name in page.content()
    assert page.get_by_role("link", name="Bekijk of verander je toestemming").is_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)
    assert page.console_errors == []


def test_by_keyboard_alone_and_asking_for_contact(small_phone, cast):
    page = small_phone
    student = checkin_student(cast)
    _link, token = link_with_token(student, due(first_checkin(student)))
    page.goto(f"{page.base_url}/c/{token}/")
    page.locator("#id_activity_0").focus()
    page.keyboard.press("ArrowDown")  # radio group: arrows move the choice (Werken -> School)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # Iets anders
    assert page.locator("#id_activity_6").is_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("Vrijwilligerswerk in de buurt")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/contact/$"))
    page.locator("#id_wants_contact_0").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # WhatsApp
    assert page.locator("#id_wants_contact_2").is_checked()
    page.locator("#id_message").focus()
    page.keyboard.type("Graag na het werk")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the submit button
    page.wait_for_url(re.compile(r"/c-klaar/$"))
    assert "neemt contact met je op" in page.content()


def test_the_coach_sees_the_contact_the_situation_the_done_checkin_and_the_flag(page, small_phone, cast, password):
    student = checkin_student(cast)
    checkin = due(first_checkin(student))
    _link, token = link_with_token(student, checkin)
    phone = small_phone
    phone.goto(f"{phone.base_url}/c/{token}/")
    _tap(phone, "Werken")
    phone.get_by_role("button", name="Volgende").click()
    phone.get_by_label(re.compile("werkgever of school", re.I)).fill("Bakkerij De Korf")
    phone.get_by_label("Hoeveel uur per week?").fill("24")
    phone.get_by_role("button", name="Volgende").click()
    _tap(phone, "Ja, bel me")
    _tap(phone, "Na 17.00 uur")
    phone.get_by_label(re.compile("iets zeggen tegen je coach")).fill("Mijn contract loopt af")
    phone.get_by_role("button", name="Verstuur").click()
    phone.wait_for_url(re.compile(r"/c-klaar/$"))

    browser_login(page, cast.coach.user.email, password)
    page.goto(f"{page.base_url}/coaching/caseload/")
    row = page.locator(f'tr[data-student="{student.code}"]')
    assert row.locator("[data-wants-contact]").inner_text() == "vraagt om contact"
    assert row.locator("[data-self-checkin]").inner_text() == "beantwoord"
    row.get_by_role("link").first.click()
    page.wait_for_url(re.compile(rf"/jongeren/{student.code}/$"))
    contacts = page.locator(".contact-list")
    assert "Check-in door de jongere zelf" in contacts.inner_text()
    assert "Mijn contract loopt af" in contacts.inner_text()
    assert "Werk" in page.locator(".coaching-panel").inner_text()
    answers = page.locator(".checkin-answers").inner_text()
    assert "Bakkerij De Korf" in answers and "Ja, bel me" in answers
    checkin.refresh_from_db()
    assert checkin.status == CheckIn.Status.DONE
    assert_accessible(page)
