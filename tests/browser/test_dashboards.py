"""The dashboards in Chromium: the RMC coordinator filters, sees charts and hidden cells,
downloads CSV and XLSX and finds the page's numbers in them; a coach and a municipal
coordinator see only their share."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import assert_accessible, browser_login
from tests.dashboards.known import build
from tests.factories import StudentFactory, give_consent

pytestmark = pytest.mark.django_db(transaction=True)


def _cells(page, table_id: str) -> list[str]:
    return page.locator(f"#{table_id} tfoot td").all_inner_texts()


def test_the_rmc_coordinator_filters_sees_charts_and_exports_the_same_numbers(page, cast, password):
    build(cast)
    # Enough young people in Zwolle that some figures show.
    for _ in range(9):
        give_consent(StudentFactory(school=cast.school, region=cast.region, municipality=cast.municipality))
    browser_login(page, cast.coordinator.user.email, password)
    page.goto(page.base_url + "/regio/")
    assert page.get_by_role("heading", name="Dashboard IJssel-Vecht").is_visible()
    assert page.locator("svg.kwint-chart").count() == 3
    in_view = _cells(page, "table-in-view")
    assert "<5" in in_view  # one young person in view: hidden
    assert_accessible(page)

    page.get_by_label("Woongemeente").select_option(label="Zwolle")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url("**gemeente=*")
    assert "Woongemeente: Zwolle" in page.locator("#dashboard-filters").inner_text()
    filtered = _cells(page, "table-in-view")

    with page.expect_download() as info:
        page.locator("#export-in-beeld-csv").click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert next(r for r in rows if r and r[0] == "Totaal")[1:] == filtered
    assert "Woongemeente: Zwolle" in text

    with page.expect_download() as info:
        page.locator("#export-in-beeld-xlsx").click()
    # Playwright saves the download without its extension: read the bytes.
    sheet = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()), read_only=True).active
    total = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "Totaal")
    assert [str(v) for v in total[1:]] == filtered
    assert page.console_errors == []


def test_a_coach_sees_only_their_own_students(page, cast, password):
    build(cast)
    browser_login(page, cast.coach.user.email, password)
    page.goto(page.base_url + "/regio/")
    # Two of the coach's own: in view 1, out of view 1, total 2, all small: hidden.
    total = _cells(page, "table-in-view")
    assert total[-1] == "<5"
    assert page.locator("#table-caseload").count() == 0


def test_a_municipal_coordinator_sees_their_municipality(page, cast, password):
    build(cast)
    for _ in range(6):
        give_consent(StudentFactory(school=cast.school, region=cast.region, municipality=cast.municipality))
    browser_login(page, cast.gemeente_coordinator.user.email, password)
    page.goto(page.base_url + "/regio/")
    assert page.get_by_role("heading", name="Dashboard Zwolle").is_visible()
    # Four of the hand-made set live in Zwolle, plus six: ten in all.
    assert _cells(page, "table-in-view")[-1] == "10"
