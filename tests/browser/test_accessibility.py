"""Accessibility across the interface, in Chromium on the seeded demo.

- axe-core (WCAG 2.1 A/AA, colour contrast included) finds nothing on any main page of any role,
  at 1280 px and at 360 px;
- after an invalid submit every form shows an error summary that takes the focus, links to each
  field, and the page title starts with "Fout:";
- every focusable element shows the same focus ring, at least 3:1 against what is around it;
- the inzage prints without banner, navigation or buttons, labels in sentence case.
"""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from coaching.management.commands.seed_demo import DEMO_PASSWORD
from consent.links import consent_link_create
from consent.models import ConsentLink
from tests.browser.conftest import axe_violations, browser_login
from tests.main_pages import PUBLIC, demo_world, main_pages

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (1280, 360)


@pytest.fixture
def world(settings):
    return demo_world(settings, students=30)


def visit_as(page, who: str, current: dict) -> None:
    if current.get("who") == who:
        return
    page.context.clear_cookies()
    if who != PUBLIC:
        browser_login(page, who, DEMO_PASSWORD)
    current["who"] = who


def test_axe_finds_no_violation_on_any_main_page_at_1280_and_360_px(page, world):
    pages = main_pages(world)
    assert len(pages) >= 25
    violations, current = {}, {}
    for main_page in pages:
        visit_as(page, main_page.who, current)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(page.base_url + main_page.path)
            assert page.title() and "Niet gevonden" not in page.title(), main_page.id
            found = axe_violations(page)
            if found:
                violations[f"{main_page.id} @ {width}px"] = found
    assert violations == {}, json.dumps(violations, indent=1)
    assert page.console_errors == []


# --- the error summary ----------------------------------------------------------------------


def assert_error_summary(page, *, fields: int | None = None) -> list[str]:
    """The summary is there, has the focus, the title says "Fout:", and each link moves the
    focus to its field."""
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.title().startswith("Fout: ")
    links = summary.locator("a[data-error-link]")
    targets = [links.nth(i).get_attribute("data-error-link") for i in range(links.count())]
    assert targets, "the summary links to no field"
    if fields is not None:
        assert len(targets) == fields
    for i, target in enumerate(targets):
        links.nth(i).click()
        assert page.evaluate("document.activeElement.id") == target
        page.locator("[data-error-summary]").focus()
    return targets


def test_the_login_form_error_summary_takes_the_focus(page, world):
    page.goto(page.base_url + reverse("login"))
    page.get_by_label("E-mailadres").fill("coach@kwint.demo")
    page.get_by_label("Wachtwoord").fill("niet-het-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    targets = assert_error_summary(page)
    assert targets == ["id_username"]
    # Keyboard: one Tab from the summary reaches its first link.
    page.locator("[data-error-summary]").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.errorLink") == "id_username"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_username"


def test_the_student_edit_form_error_summary_takes_the_focus(page, world):
    browser_login(page, "zorg@kwint.demo", DEMO_PASSWORD)
    page.goto(page.base_url + reverse("students:edit", args=[world.school_student.code]))
    page.get_by_label("Voornaam").fill("")
    page.get_by_label("Achternaam").fill("")
    page.get_by_role("button", name="Opslaan").click()
    targets = assert_error_summary(page)
    assert targets == ["id_first_name", "id_last_name"]
    assert axe_violations(page) == []


def test_the_contact_form_error_summary_takes_the_focus(page, world):
    browser_login(page, "coach@kwint.demo", DEMO_PASSWORD)
    page.goto(page.base_url + reverse("coaching:contact_new", args=[world.coached.code]))
    page.locator("#id_date").fill("")  # when the contact took place is required
    page.get_by_role("button", name="Opslaan").click()
    # Nothing chosen in advance: channel and outcome are asked for too.
    assert {"id_date", "id_channel", "id_reached_0"} <= set(assert_error_summary(page))
    assert axe_violations(page) == []


def test_the_consent_at_the_table_error_summary_takes_the_focus(page, world):
    browser_login(page, "zorg@kwint.demo", DEMO_PASSWORD)
    page.goto(page.base_url + reverse("consent:record", args=[world.school_student.code]))
    page.get_by_role("button", name="Antwoorden vastleggen").click()
    assert_error_summary(page)
    assert axe_violations(page) == []


def test_a_beheer_form_error_summary_takes_the_focus(page, world):
    browser_login(page, "beheer@kwint.demo", DEMO_PASSWORD)
    page.goto(page.base_url + reverse("accounts:organisation_create"))
    page.get_by_role("button", name="Organisatie aanmaken").click()
    targets = assert_error_summary(page)
    assert "id_name" in targets
    assert axe_violations(page) == []


@pytest.mark.parametrize("kind", [ConsentLink.Kind.ANSWER, ConsentLink.Kind.WITHDRAW])
def test_the_public_consent_page_error_summary_takes_the_focus(phone_page, world, kind):
    _, token = consent_link_create(student=world.coached, kind=kind)
    name = "consent:public_answer" if kind == ConsentLink.Kind.ANSWER else "consent:public_withdraw"
    phone_page.goto(phone_page.base_url + reverse(name, args=[token]))
    phone_page.locator("main form button[type=submit]").click()
    assert_error_summary(phone_page)
    assert axe_violations(phone_page) == []


# --- focus ------------------------------------------------------------------------------------

FOCUS_STYLE = """(el) => {
  const again = el.dataset.tabSeen === '1';
  el.dataset.tabSeen = '1';
  const style = getComputedStyle(el);
  let node = el.parentElement, background = 'rgba(0, 0, 0, 0)';
  while (node) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') { background = bg; break; }
    node = node.parentElement;
  }
  return {again, tag: el.tagName, type: el.type || '', id: el.id, outline: style.outlineStyle,
          width: parseFloat(style.outlineWidth), color: style.outlineColor,
          background: background === 'rgba(0, 0, 0, 0)' ? 'rgb(255, 255, 255)' : background};
}"""


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def tab_through(page, limit: int = 80) -> list[dict]:
    seen = []
    page.locator("body").focus()
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate_handle("document.activeElement").evaluate(FOCUS_STYLE)
        if info["tag"] == "BODY" or info["again"]:
            break
        seen.append(info)
    return seen


@pytest.mark.parametrize(
    "who, where",
    [
        ("coach@kwint.demo", "contact-form"),
        ("zorg@kwint.demo", "student-edit"),
        ("zorg@kwint.demo", "consent-record"),
        ("rmc@kwint.demo", "team"),
        (PUBLIC, "login"),
    ],
)
def test_every_focusable_element_shows_the_same_clear_focus_ring(page, world, who, where):
    target = next(p for p in main_pages(world) if p.who == who and p.name == where)
    visit_as(page, who, {})
    page.goto(page.base_url + target.path)
    focused = tab_through(page)
    assert len(focused) > 3
    weak = [
        f for f in focused if f["outline"] != "solid" or f["width"] < 3 or contrast(f["color"], f["background"]) < 3
    ]
    assert weak == [], weak
    # Form fields too, the date and date-time fields included (Bootstrap's `outline: 0` lost).
    assert {f["tag"] for f in focused} & {"INPUT", "SELECT", "TEXTAREA"}


# --- print ----------------------------------------------------------------------------------


def test_the_inzage_prints_without_banner_or_navigation_in_sentence_case(page, world, settings):
    settings.DEMO_MODE = True
    browser_login(page, "rmc@kwint.demo", DEMO_PASSWORD)
    page.goto(page.base_url + reverse("privacy:inzage", args=[world.coached.code]))
    assert page.get_by_text("Demo-omgeving").is_visible()
    page.emulate_media(media="print")
    assert not page.get_by_text("Demo-omgeving").is_visible()
    assert not page.get_by_role("navigation", name="Hoofdmenu").is_visible()
    assert not page.get_by_role("button", name="Afdrukken of opslaan als pdf").is_visible()
    labels = page.locator("main dt").all_inner_texts()
    assert "Mobiel nummer" in labels and "E-mailadres" in labels
    assert "Mobiel Nummer" not in labels
