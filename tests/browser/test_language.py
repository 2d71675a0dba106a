"""The footer's language form switches Kwint to English and back, in a real browser (strict CSP)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_language_form_switches_the_login_page_to_english_and_back(page, cast, password):
    page.goto(page.base_url + "/inloggen/")
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wijzig taal").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.url.endswith("/inloggen/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Log in to Kwint").is_visible()
    assert_accessible(page)

    # The choice survives logging in: the start page is English too.
    page.get_by_label("Email address").fill(cast.coach.user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_role("heading", level=1).first.inner_text() == "My caseload"
    assert page.get_by_role("navigation", name="Main menu").is_visible()

    page.get_by_label("Language").select_option("nl")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_role("heading", level=1).first.inner_text() == "Mijn caseload"
    assert page.console_errors == []
