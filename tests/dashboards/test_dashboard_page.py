"""The dashboard page for each role that has one, the national overview, and their cost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dashboards.known import build
from tests.factories import StudentFactory, give_consent

URL = "/regio/"
NATIONAL = "/regio/landelijk/"


@pytest.mark.parametrize(
    "role", ["coordinator", "gemeente_coordinator", "coach", "school_coach", "zorg", "outsider_coordinator"]
)
def test_each_dashboard_role_gets_the_page_with_charts_and_tables(cast, login, role):
    build(cast)
    html = login(getattr(cast, role)).get(URL).content.decode()
    assert html.count('<svg class="kwint-chart"') == 3
    for table in ("table-funnel", "table-in-view", "table-situation-6", "table-situation-12", "table-consent"):
        assert f'id="{table}"' in html


def test_no_student_name_is_ever_on_the_dashboard(cast, login):
    known = build(cast)
    html = login(cast.coordinator).get(URL).content.decode()
    for student in known.students.values():
        assert student.last_name not in html


def test_filters_live_in_the_url_and_are_shown(cast, login):
    known = build(cast)
    late = known.students["late"]
    html = login(cast.coordinator).get(URL, {"gemeente": late.municipality.code, "per": "gemeente"}).content.decode()
    assert "Woongemeente: Kampen" in html
    # The table rows are per municipality now: only Kampen is left.
    assert '<th scope="row">Kampen</th>' in html
    assert '<th scope="row">Zwolle</th>' not in html


def test_a_bad_filter_is_reported_and_ignored(cast, login):
    build(cast)
    response = login(cast.coordinator).get(URL, {"crebo": "12"})
    assert response.status_code == 200
    assert "Een crebocode is vijf cijfers" in response.content.decode()


def test_small_cells_are_hidden_on_the_page_and_in_the_charts(cast, login):
    build(cast)
    html = login(cast.coordinator).get(URL).content.decode()
    assert "&lt;5" in html
    # The funnel's hidden stages are labelled, never drawn to their size.
    assert "verborgen" in html


def test_the_page_costs_the_same_queries_for_few_and_many_students(cast, login):
    client = login(cast.coordinator)
    build(cast)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(30):
        student = StudentFactory(school=cast.school, region=cast.region, municipality=cast.municipality)
        give_consent(student)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(few) == len(many)


def test_the_national_analyst_sees_regions_never_names(cast, client):
    known = build(cast)
    client.force_login(known.analyst.user)
    html = client.get(NATIONAL).content.decode()
    assert '<th scope="row">IJssel-Vecht</th>' in html
    for student in known.students.values():
        assert student.last_name not in html


@pytest.mark.parametrize("role", ["coordinator", "coach", "zorg", "beheerder", "outsider_coordinator"])
def test_only_the_analyst_opens_the_national_overview(cast, login, role):
    assert login(getattr(cast, role)).get(NATIONAL).status_code == 403


def test_the_analyst_has_no_regional_dashboard_and_no_students(cast, client):
    known = build(cast)
    client.force_login(known.analyst.user)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("students:list")).status_code in (403, 200)
    if client.get(reverse("students:list")).status_code == 200:
        html = client.get(reverse("students:list")).content.decode()
        for student in known.students.values():
            assert student.last_name not in html


def test_wrong_method_on_the_national_overview(cast, client):
    known = build(cast)
    client.force_login(known.analyst.user)
    assert client.post(NATIONAL).status_code == 405
