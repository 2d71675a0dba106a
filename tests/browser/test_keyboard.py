"""Keyboard only (issue 15): a coach logs a contact without touching the mouse, in the order the
form is filled in, and reaches Opslaan in few Tabs (a native date and a time field, the
situation folded away), where it took 27 Tabs with a seven-stop date-time field."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from coaching.models import Contact
from tests.browser.conftest import browser_login
from tests.coaching.factories import guided_student

pytestmark = pytest.mark.django_db(transaction=True)

# From the skip link to Opslaan, measured in Chromium: the date field is four stops (day, month,
# year, picker) and the time field four, then channel, reached, "op initiatief van de jongere",
# duration, the two notes and the folded part's summary: 16 (27 before, with a datetime-local).
MAX_TABS_TO_SAVE = 16


@pytest.fixture
def student(cast):
    with time_machine.travel(dt.datetime.now().astimezone() - dt.timedelta(days=10)):
        return guided_student(cast, diploma=dt.date.today() - dt.timedelta(days=10))


def _focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
        return {tag: e.tagName, name: e.name || '', type: e.type || '', text: (e.innerText || '').trim()}; }"""
    )


def _tab_to(page, matches, limit: int) -> int:
    """Press Tab until the focused element matches; return how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if matches(_focused(page)):
            return presses
    raise AssertionError(f"not reached in {limit} Tabs; focus on {_focused(page)}")


def test_a_coach_logs_a_contact_by_keyboard_only(page, cast, password, student):
    browser_login(page, cast.coach.user.email, password)
    page.goto(page.base_url + f"/coaching/jongeren/{student.code}/contact/")
    # The first Tab reaches the skip link; Enter jumps past the menu to the content.
    page.keyboard.press("Tab")
    assert _focused(page)["text"] == "Naar de inhoud"
    page.keyboard.press("Enter")
    tabs = _tab_to(page, lambda f: f["name"] == "date", 10)
    tabs += _tab_to(page, lambda f: f["name"] == "channel", 8)
    page.keyboard.type("Wh")  # type-ahead in the closed select: "WhatsApp / app"
    tabs += _tab_to(page, lambda f: f["name"] == "reached", 2)
    page.keyboard.press("Space")  # the first option, "Ja, bereikt"
    tabs += _tab_to(page, lambda f: f["name"] == "duration_minutes", 3)
    page.keyboard.type("10")
    tabs += _tab_to(page, lambda f: f["name"] == "discussed", 2)
    page.keyboard.type("Sollicitatie besproken.")
    tabs += _tab_to(page, lambda f: f["text"] == "Opslaan", 4)
    assert tabs <= MAX_TABS_TO_SAVE, tabs
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Contact vastgelegd.").is_visible()
    contact = Contact.objects.get(student=student)
    assert (contact.channel, contact.reached, contact.duration_minutes) == ("app", True, 10)
    assert contact.discussed == "Sollicitatie besproken."


def test_an_untouched_form_sent_by_keyboard_is_refused_and_the_summary_takes_the_focus(page, cast, password, student):
    browser_login(page, cast.coach.user.email, password)
    page.goto(page.base_url + f"/coaching/jongeren/{student.code}/contact/")
    page.locator("#id_date").focus()
    _tab_to(page, lambda f: f["text"] == "Opslaan", 20)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Fout: ")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    summary = page.locator("[data-error-summary]").inner_text()
    assert "Kies hoe het contact was." in summary and "Kies of je de jongere hebt bereikt." in summary
    # The summary's first link brings the keyboard straight back to the first wrong field.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert _focused(page)["name"] == "channel"
    assert not Contact.objects.filter(student=student).exists()
