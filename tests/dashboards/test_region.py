"""The RMC coordinator's start page: aggregates for the region, small numbers hidden."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consent.models import Status
from kwint.lib.stats import suppress
from tests.factories import StudentFactory, give_consent

URL = "/regio/"


def _students(cast, n, school=None):
    school = school or cast.school
    return [StudentFactory(school=school, region=school.region, municipality=cast.municipality) for _ in range(n)]


def test_the_coordinator_sees_consent_counts_per_school(cast, login):
    students = _students(cast, 12)
    for s in students[:7]:
        give_consent(s)
    for s in students[7:9]:
        give_consent(s, status=Status.REFUSED)
    html = login(cast.coordinator).get(URL).content.decode()
    # Consent per purpose counts the whole region, whatever the answer: 12 asked for sharing.
    assert ">12<" in html and ">7<" in html
    # 2 refused and 3 not asked are small enough to identify someone: hidden.
    assert html.count("&lt;5") >= 2


def test_schools_of_other_regions_are_not_listed(cast, login):
    for s in _students(cast, 6, school=cast.other_school):
        give_consent(s)
    html = login(cast.coordinator).get(URL).content.decode()
    assert "mbo Rijnstreek" not in html


def test_the_page_costs_the_same_queries_for_few_and_many_students(cast, login):
    client = login(cast.coordinator)
    _students(cast, 3)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for s in _students(cast, 60):
        give_consent(s)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(few) == len(many)


@pytest.mark.parametrize("role", ["stagiair", "matchtafel", "beheerder"])
def test_other_roles_are_refused(cast, login, role):
    assert login(getattr(cast, role)).get(URL).status_code == 403


def test_wrong_method_is_refused(cast, login):
    assert login(cast.coordinator).post(URL).status_code == 405


@pytest.mark.parametrize("count,shown", [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (120, "120")])
def test_small_number_suppression(count, shown):
    assert suppress(count) == shown


def test_start_page_links_to_waiting_handovers(cast, login):
    html = login(cast.coordinator).get(reverse("dashboards:region")).content.decode()
    assert reverse("students:handovers_incoming") in html
