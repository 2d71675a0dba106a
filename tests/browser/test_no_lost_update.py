"""The issue's two-browser scenario, in Chromium: the zorgcoördinator changes the phone number
while the school's coach, on the same record in another browser, changes the e-mail address."""

from __future__ import annotations

import pytest

from students.models import Student
from tests.browser.conftest import assert_accessible, browser_login
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_phone_and_email_changed_in_two_browsers_are_both_kept(chromium, page, live_server, cast, password):
    student = StudentFactory(
        school=cast.school,
        municipality=cast.municipality,
        region=cast.region,
        phone="0611111111",
        email="oud@example.nl",
        coach=cast.school_coach.user,
    )
    edit = f"{live_server.url}/jongeren/{student.code}/bewerken/"
    other_context = chromium.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    other = other_context.new_page()
    other.base_url = live_server.url
    try:
        browser_login(page, cast.zorg.user.email, password)
        browser_login(other, cast.school_coach.user.email, password)
        page.goto(edit)
        other.goto(edit)  # both read the record as it is now
        page.get_by_label("Mobiel nummer").fill("0622222222")
        page.get_by_role("button", name="Opslaan").click()
        assert page.get_by_text("Wijzigingen opgeslagen").is_visible()

        other.get_by_label("E-mailadres").fill("nieuw@example.nl")
        other.get_by_role("button", name="Opslaan").click()
        assert other.get_by_text("Iemand anders heeft dit intussen opgeslagen").first.is_visible()
        assert "22222222" in other.get_by_label("Mobiel nummer").input_value()  # theirs shown
        assert other.get_by_label("E-mailadres").input_value() == "nieuw@example.nl"  # mine kept
        assert Student.objects.get(pk=student.pk).email == "oud@example.nl"  # nothing written yet
        assert_accessible(other)

        other.get_by_role("button", name="Opslaan").click()
        assert other.get_by_text("Wijzigingen opgeslagen").is_visible()
        saved = Student.objects.get(pk=student.pk)
        assert saved.email == "nieuw@example.nl" and "22222222" in saved.phone
    finally:
        other_context.close()
