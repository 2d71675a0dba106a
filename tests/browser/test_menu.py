"""The two Bootstrap components the pages use still work with the trimmed CSS and the
two-plugin bundle (`make css`, `make js`): the navbar toggler on a phone and the account menu."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser_login

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_phone_menu_opens_and_the_account_menu_drops_down_and_closes_with_escape(page, cast, password):
    page.set_viewport_size({"width": 360, "height": 800})
    browser_login(page, cast.coach.user.email, password)
    nav = page.locator("#main-nav")
    assert not nav.is_visible()

    toggler = page.get_by_role("button", name="Menu openen")
    toggler.click()
    nav.wait_for(state="visible")
    assert toggler.get_attribute("aria-expanded") == "true"
    page.wait_for_selector("#main-nav:not(.collapsing)")
    toggler.click()
    nav.wait_for(state="hidden")
    assert toggler.get_attribute("aria-expanded") == "false"
    toggler.click()
    nav.wait_for(state="visible")

    account = nav.locator(".dropdown-toggle")
    account.click()
    logout = page.get_by_role("button", name="Uitloggen")
    logout.wait_for(state="visible")
    assert account.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    logout.wait_for(state="hidden")
    assert account.get_attribute("aria-expanded") == "false"
    assert page.console_errors == []


def test_the_account_menu_on_a_wide_screen_opens_below_its_button(page, cast, password):
    browser_login(page, cast.coach.user.email, password)
    account = page.locator("#main-nav .dropdown-toggle")
    account.click()
    menu = page.locator("#main-nav .dropdown-menu")
    menu.wait_for(state="visible")
    button_box, menu_box = account.bounding_box(), menu.bounding_box()
    # Positioned by Popper / the kept .dropdown-menu[data-bs-popper] rule: under the button,
    # right-aligned (dropdown-menu-end), inside the window.
    assert menu_box["y"] >= button_box["y"] + button_box["height"] - 1
    assert menu_box["x"] + menu_box["width"] <= 1280
    assert page.console_errors == []


def test_htmx_is_loaded_only_where_a_page_uses_it(page, cast, password):
    """kwint.js fetches htmx on a page with an hx-* request attribute and nowhere else."""
    page.goto(page.base_url + "/inloggen/")
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.htmx") == "undefined"
    assert not [
        r
        for r in page.context.pages[0].evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        if "htmx" in r
    ]

    # A page that uses it: the same login page with an hx-get element added before kwint.js runs.
    page.route(
        "**/inloggen/",
        lambda route: route.fulfill(
            response=(response := route.fetch()),
            body=response.text().replace("<main", '<div hx-get="/healthz" hx-trigger="load" id="probe"></div><main', 1),
        ),
    )
    page.goto(page.base_url + "/inloggen/")
    expect(page.locator("#probe")).to_have_text("ok")  # htmx ran the request
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.console_errors == []
