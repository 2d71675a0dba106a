"""The error summary in the browser, on the forms tests/browser/test_accessibility.py does not
already walk (issue 15): after an invalid submit the summary has the focus, the title starts
with "Fout:", and each link in it moves the focus to its field. The server side of every form is
in tests/test_error_summary_forms.py."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from coaching.services import contact_log
from consent.models import Purpose
from students.handovers import handover_offer
from tests.browser.conftest import axe_violations, browser_login
from tests.browser.test_accessibility import assert_error_summary
from tests.coaching.factories import guided_student
from tests.factories import StudentFactory, give_consent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(cast):
    with time_machine.travel(dt.datetime.now().astimezone() - dt.timedelta(days=42)):
        guided = guided_student(cast, diploma=dt.date.today() - dt.timedelta(days=42))
    contact = contact_log(student=guided, author=cast.coach.user, channel="sms", reached=False)
    offered = StudentFactory(school=cast.school, municipality=cast.municipality, region=cast.region)
    give_consent(offered, Purpose.SHARING)
    handover = handover_offer(student=offered, actor=cast.zorg.user, organisation=cast.rmc)
    return {"guided": guided, "contact": contact, "handover": handover}


def _forms(cast, world):
    g = world["guided"].code
    return {
        "coach": [
            (reverse("coaching:close", args=[g]), "Traject afsluiten", None),
            (reverse("coaching:contact_edit", args=[world["contact"].code]), "Opslaan", "#id_channel"),
        ],
        "coordinator": [
            (reverse("privacy:correction", args=[g]), "Vastleggen en gegevens verbeteren", None),
            (reverse("students:handover_review", args=[world["handover"].code]), "Afwijzen", None),
        ],
        "zorg": [(reverse("students:import"), "Bestand uploaden", None)],
        "beheerder": [
            (reverse("accounts:organisation_create"), "Organisatie aanmaken", None),
            (reverse("accounts:user_invite"), "Uitnodiging versturen", None),
        ],
    }


@pytest.mark.parametrize("role", ["coach", "coordinator", "zorg", "beheerder"])
def test_the_error_summary_takes_the_focus_on_each_form(page, cast, password, world, role):
    browser_login(page, getattr(cast, role).user.email, password)
    for url, button, clear in _forms(cast, world)[role]:
        page.goto(page.base_url + url)
        if clear:
            page.locator(clear).select_option("")
        page.get_by_role("button", name=button, exact=True).click()
        page.wait_for_load_state("domcontentloaded")
        assert_error_summary(page)
        assert axe_violations(page) == [], url
