"""The strict CSP holds in a real browser: the main pages of each role log no CSP violation
(or any other console error), including the two-factor enrolment page with its QR image."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible, browser_login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def visible_student(cast):
    from consent.models import Purpose
    from tests.factories import StudentFactory, give_consent

    s = StudentFactory(
        school=cast.school,
        municipality=cast.municipality,
        region=cast.region,
        guiding_organisation=cast.rmc,
        coach=cast.coach.user,
    )
    give_consent(s, Purpose.SHARING)
    return s


PAGES = {
    "zorg": ["/jongeren/", "/jongeren/{code}/", "/privacy/jongeren/{code}/inzage/", "/privacy/toegangslog/"],
    "coach": ["/coaching/caseload/", "/jongeren/{code}/", "/account/wachtwoord/"],
    "coordinator": ["/regio/", "/coaching/team/", "/privacy/wissen/", "/privacy/jongeren/{code}/toegang/"],
    "beheerder": ["/account/beheer/organisaties/", "/account/beheer/gebruikers/", "/toestemming/teksten/"],
}


@pytest.mark.parametrize("role", list(PAGES))
def test_main_pages_log_no_csp_violation(page, cast, password, visible_student, role):
    browser_login(page, getattr(cast, role).user.email, password)
    for path in PAGES[role]:
        response = page.goto(page.base_url + path.format(code=visible_student.code))
        assert response.status == 200, path
    assert page.console_errors == [], page.console_errors


def test_two_factor_enrolment_page_shows_the_qr_code_under_the_csp(page, cast, password, settings):
    settings.KWINT_REQUIRE_2FA = True
    browser_login(page, cast.coach.user.email, password)
    assert "/account/tweestaps/instellen/" in page.url
    image = page.get_by_role("img", name=re.compile("QR-code"))
    assert image.is_visible()
    assert image.evaluate("img => img.naturalWidth") > 0  # the data: URI loaded (img-src allows it)
    assert_accessible(page)
    assert page.console_errors == []
