from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, browser_login

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_is_dutch_and_accessible(page):
    page.goto(page.base_url + "/")
    assert page.url.endswith("/inloggen/?next=/")
    assert page.get_by_role("heading", name="Inloggen bij Kwint").is_visible()
    assert_accessible(page)
    assert page.console_errors == []


def test_wrong_password_shows_a_dutch_error(page, cast):
    browser_login(page, "zorg@kwint.test", "verkeerd-wachtwoord")
    # In the error summary at the top and beside the form.
    assert page.get_by_text("horen niet bij elkaar").first.is_visible()
    assert page.title().startswith("Fout: ")


@pytest.mark.parametrize(
    "role,heading",
    [("zorg", "Studenten"), ("coach", "Mijn caseload"), ("coordinator", "Dashboard"), ("beheerder", "Organisaties")],
)
def test_each_role_lands_on_its_start_page(page, cast, password, role, heading):
    browser_login(page, getattr(cast, role).user.email, password)
    assert page.get_by_role("heading", level=1).first.inner_text().startswith(heading)
    assert_accessible(page)
    assert page.console_errors == []
