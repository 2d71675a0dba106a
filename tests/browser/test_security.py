"""The strict CSP holds in a real browser: the main pages of each role log no CSP violation
(or any other console error), including the two-factor enrolment page with its QR image."""

from __future__ import annotations

import base64
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


def test_two_factor_enrolment_in_the_browser(page, cast, password, settings):
    from django.core import mail
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.KWINT_REQUIRE_2FA = True
    browser_login(page, cast.coach.user.email, password)
    assert "/account/tweestaps/instellen/" in page.url
    # The password alone is not enough: first a one-time link from the mailbox.
    assert page.locator("#totp-secret").count() == 0
    assert_accessible(page)
    mail.outbox.clear()
    page.get_by_role("button", name="Stuur mij de link").click()
    assert page.get_by_text("We hebben een link gestuurd").is_visible()
    link = re.search(r"https?://\S+/account/tweestaps/instellen/link/\S+/", mail.outbox[-1].body).group(0)
    page.goto(page.base_url + re.sub(r"^https?://[^/]+", "", link))
    image = page.get_by_role("img", name=re.compile("QR-code"))
    assert image.is_visible()
    assert image.evaluate("img => img.naturalWidth") > 0  # the data: URI loaded (img-src allows it)
    assert_accessible(page)

    device = TOTPDevice.objects.get(user=cast.coach.user, confirmed=False)
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    assert base64.b32decode(secret) == device.bin_key  # manual entry gives the same key
    page.get_by_label("Code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Bevestigen").click()
    assert page.get_by_role("heading", name="Herstelcodes").is_visible()
    assert page.get_by_role("list", name="Uw herstelcodes").locator("li").count() == 10
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Ik heb de codes bewaard")).click()
    assert "/coaching/caseload/" in page.url
    assert page.console_errors == []


def test_the_privacy_pages_are_accessible(page, cast, password, visible_student):
    browser_login(page, cast.zorg.user.email, password)
    code = visible_student.code
    for path in (
        f"/privacy/jongeren/{code}/inzage/",
        f"/privacy/jongeren/{code}/toegang/",
        f"/privacy/jongeren/{code}/correctie/",
        f"/privacy/jongeren/{code}/wissen/",
        "/privacy/toegangslog/?actie=view",
        "/privacy/wissen/",
    ):
        assert page.goto(page.base_url + path).status == 200, path
        assert_accessible(page)
    assert page.console_errors == []


def test_error_pages_are_kwints_own_and_accessible(page, cast, password):
    """A visitor and a signed-in coach who mistype a URL, and a coach on a page of another role."""
    response = page.goto(page.base_url + "/bestaat-niet/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Deze pagina bestaat niet (meer)").is_visible()
    assert_accessible(page)
    browser_login(page, cast.coach.user.email, password)
    response = page.goto(page.base_url + "/jongeren/bestaat-niet/")
    assert response.status == 404
    assert_accessible(page)
    response = page.goto(page.base_url + "/account/beheer/gebruikers/")
    assert response.status == 403
    assert page.get_by_role("heading", name="Geen toegang").is_visible()
    assert_accessible(page)
    # The document's own 404/403 status is reported as a console error; nothing else may be.
    assert len(page.console_errors) == 3, page.console_errors
    assert all("status of 40" in e for e in page.console_errors), page.console_errors
    assert page.evaluate("document.styleSheets.length") >= 2  # the styling loaded
