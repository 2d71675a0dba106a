"""The coach's day and the coordinator's team view, in Chromium."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from accounts.models import Role
from coaching.models import CheckIn, Contact, SituationRecord
from tests.browser.conftest import assert_accessible, browser_login
from tests.coaching.factories import guided_student
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def overdue_student(cast):
    with time_machine.travel(dt.datetime.now().astimezone() - dt.timedelta(days=10)):
        return guided_student(
            cast, diploma=dt.date.today() - dt.timedelta(days=10), first_name="Yara", last_name="Kaya"
        )


def test_coach_sees_attention_logs_unanswered_then_a_reached_contact(page, cast, password, overdue_student):
    browser_login(page, cast.coach.user.email, password)
    assert page.get_by_role("heading", name="Mijn caseload").is_visible()
    attention = page.locator("section", has=page.get_by_role("heading", name="Aandacht vandaag"))
    assert "1 jongere heeft vandaag een contactmoment of is te laat." in attention.inner_text()
    assert page.locator(".caseload-table tbody tr.attention").first.inner_text().startswith("Kaya, Yara")
    assert page.locator(".caseload-table .overdue").first.is_visible()
    assert_accessible(page)

    # One click: an unanswered call.
    row = page.locator(f'tr[data-student="{overdue_student.code}"]')
    row.get_by_role("button", name=re.compile("Niet bereikt")).click()
    assert page.get_by_text("Niet bereikt vastgelegd").is_visible()
    assert Contact.objects.filter(student=overdue_student, reached=False).count() == 1

    # A reached call with a situation update completes the overdue check-in.
    first = CheckIn.objects.filter(trajectory__student=overdue_student).order_by("due_date").first()
    page.locator(f'tr[data-student="{overdue_student.code}"]').get_by_role(
        "link", name=re.compile("Contact vastleggen")
    ).click()
    assert page.get_by_text("rondt het contactmoment").is_visible()
    page.get_by_label("Kanaal").select_option("telefoon")
    page.get_by_text("Ja, bereikt").click()
    page.get_by_label("Wat is besproken").fill("Werkt sinds twee weken bij een distributiecentrum.")
    page.get_by_text("Situatie of begeleidingsaanbod vastleggen").click()  # folded away until needed
    page.get_by_label("Situatie", exact=True).select_option("werk")
    page.get_by_label("Soort contract").select_option("tijdelijk")
    page.get_by_label("Uren per week").fill("24")
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_text("Contact vastgelegd.").is_visible()
    panel = page.locator(".coaching-panel")
    assert "Werk" in panel.locator(".situation-list").inner_text()
    first.refresh_from_db()
    assert first.status == CheckIn.Status.DONE
    assert SituationRecord.objects.get(student=overdue_student).hours_per_week == 24
    assert_accessible(page)
    assert page.console_errors == []


def test_contact_form_works_on_a_phone(phone_page, cast, password, overdue_student):
    browser_login(phone_page, cast.coach.user.email, password)
    phone_page.goto(phone_page.base_url + f"/coaching/jongeren/{overdue_student.code}/contact/")
    phone_page.get_by_text("Nee, niet bereikt").click()
    phone_page.get_by_label("Kanaal").select_option("app")
    phone_page.get_by_role("button", name="Opslaan").click()
    assert phone_page.get_by_text("Contact vastgelegd.").is_visible()
    assert Contact.objects.get(student=overdue_student).channel == "app"
    assert_accessible(phone_page)


def test_coordinator_moves_a_student_and_sees_capacities(page, cast, password, overdue_student):
    other = MembershipFactory(organisation=cast.rmc, role=Role.COACH, capacity=20, user__full_name="Anne Doorwerk")
    browser_login(page, cast.coordinator.user.email, password)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Team en caseloads").click()
    coach_row = page.locator(f'tr[data-coach="{cast.coach.code}"]')
    assert re.search(r"1\s*/\s*60", coach_row.inner_text())
    assert_accessible(page)
    row = page.locator(f'tr[data-student="{overdue_student.code}"]')
    row.get_by_label(re.compile("Coach voor")).select_option(str(other.code))
    row.get_by_role("button", name="Verplaatsen").click()
    assert page.get_by_text("is toegewezen aan Anne Doorwerk").is_visible()
    assert re.search(r"1\s*/\s*20", page.locator(f'tr[data-coach="{other.code}"]').inner_text())
    assert re.search(r"0\s*/\s*60", page.locator(f'tr[data-coach="{cast.coach.code}"]').inner_text())
    overdue_student.refresh_from_db()
    assert overdue_student.coach == other.user
    assert page.console_errors == []
