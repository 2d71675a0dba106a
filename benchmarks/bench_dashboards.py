"""The dashboards at national scale (issue 12): the regional dashboard of the largest region
(no filter; two filters), the national overview, and a region's XLSX export, on the `seed_bench`
data set after ANALYZE. Median and p95 of 7 warm runs (3 for the national overview), the first (cold) run, queries per run."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User
from benchmarks.bench_national import SCALE, _client, _get
from benchmarks.national import measure

pytestmark = pytest.mark.django_db

TARGET = "< 200 ms"


def test_regional_dashboard(national, client, results):
    c = _client(client, national.region_coordinator)
    results.append(
        measure("regional dashboard, largest region, no filter", _get(c, "/regio/"), scale=SCALE, target=TARGET, runs=7)
    )


def test_regional_dashboard_two_filters(national, client, results):
    c = _client(client, national.region_coordinator)
    params = {"cohort": timezone.localdate().year - 1, "niveau": 2}
    results.append(
        measure(
            "regional dashboard, largest region, cohort + level",
            _get(c, "/regio/", params),
            scale=SCALE,
            target=TARGET,
            runs=7,
        )
    )


def test_national_overview(national, client, results):
    organisation = Organisation.objects.filter(kind=Organisation.Kind.RMC).first()
    user, _ = User.objects.get_or_create(email="analist@bench.kwint.test", defaults={"full_name": "Analist"})
    analyst, _ = Membership.objects.get_or_create(user=user, organisation=organisation, role=Role.ANALYST)
    c = _client(client, analyst)
    # Every young person in the country: a few runs only (each takes seconds).
    results.append(
        measure(
            "national overview (40 regions), 3 warm runs",
            _get(c, reverse("dashboards:national")),
            scale=SCALE,
            target=TARGET,
            runs=3,
        )
    )


def test_region_xlsx_export(national, client, results):
    c = _client(client, national.region_coordinator)
    results.append(
        measure(
            "region XLSX export (in view per school)",
            _get(c, "/regio/export/in-beeld.xlsx"),
            scale=SCALE,
            target=TARGET,
            runs=7,
        )
    )
