"""Erasure never a surprise, in Chromium: the coach closes a trajectory and sees when and why the
record goes; the beheerder finds the record in the erasure preview and places a legal hold."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from kwint.lib.dates import long_date
from students.models import Student
from tests.browser.conftest import assert_accessible, browser_login
from tests.coaching.factories import guided_student
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_closing_a_trajectory_shows_the_erasure_date_and_its_reason(page, cast, password, settings):
    settings.KWINT_RETENTION_DAYS_AFTER_CLOSE = 365
    with time_machine.travel(dt.datetime.now().astimezone() - dt.timedelta(days=40)):
        student = guided_student(
            cast, diploma=dt.date.today() - dt.timedelta(days=40), first_name="Sam", last_name="Bos"
        )
    day = long_date(timezone.localdate() + dt.timedelta(days=365))
    browser_login(page, cast.coach.user.email, password)
    page.goto(f"{page.base_url}/jongeren/{student.code}/")
    page.get_by_role("link", name="Traject afsluiten").click()
    notice = page.locator(".erasure-notice")
    assert f"Na afsluiten wordt alles over Sam gewist op {day}" in notice.inner_text()
    assert "de begeleiding is afgesloten" in notice.inner_text()
    assert_accessible(page)
    page.get_by_label("Doel bereikt").check()
    page.locator("select[name=situation_kind]").select_option("werk")
    page.locator("select[name=contract_type]").select_option("vast")
    page.get_by_role("button", name="Traject afsluiten").click()
    assert page.get_by_text(f"Traject afgesloten. Wordt gewist op {day}.").is_visible()
    record = page.locator(".erasure-date")
    assert f"Wordt gewist op {day}: de begeleiding is afgesloten" in record.inner_text()
    # Closed reads as closed: no contact actions for the coach.
    panel = page.locator(".coaching-panel")
    assert panel.get_by_role("link", name="Contact vastleggen").count() == 0
    assert panel.get_by_role("button", name=re.compile("Niet bereikt")).count() == 0
    assert_accessible(page)


def test_the_beheerder_previews_what_goes_and_places_a_legal_hold(page, cast, password):
    student = StudentFactory(school=cast.school, region=cast.region, first_name="Iris", last_name="Dekker")
    today = timezone.localdate()
    Student.objects.filter(pk=student.pk).update(
        erase_after=today + dt.timedelta(days=5),
        erase_reason="no_consent",
        erase_noticed_on=today - dt.timedelta(days=25),
    )
    browser_login(page, cast.beheerder.user.email, password)
    page.get_by_role("link", name="Binnenkort gewist").first.click()
    row = page.locator(f'tr[data-student="{student.code}"]')
    assert "Dekker, Iris" in row.inner_text()
    assert long_date(today + dt.timedelta(days=5)) not in row.inner_text()  # short dates in the table
    assert "school verlaten zonder toestemming" in row.inner_text()
    assert_accessible(page)
    row.get_by_role("link", name=re.compile("Bewaren")).click()
    page.get_by_label("Reden").fill("Lopende klacht bij de ombudsman")
    page.get_by_role("button", name="Bewaren").click()
    assert page.get_by_text("Bewaarplicht vastgelegd").first.is_visible()
    row = page.locator(f'tr[data-student="{student.code}"]')
    assert "Bewaard" in row.inner_text() and "Lopende klacht" in row.inner_text()
    assert Student.objects.get(pk=student.pk).legal_hold_at is not None
