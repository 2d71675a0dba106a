"""The national data set for benchmarks: `seed_bench` once per benchmark database, then
handles to the people and records a measurement needs.

Use the `national` fixture (benchmarks/conftest.py): it seeds the benchmark database when it is
empty (a few minutes, once; `--reuse-db` keeps it for the next run), runs ANALYZE so the first
measurement has planner statistics, and returns a `National` with:

- `region_coordinator`: the RMC coordinator of the largest region (the slowest dashboard);
- `gemeente_coordinator`: the coordinator of that region's central gemeente;
- `coach`: the coach with the largest caseload in the country;
- `student`: the young person with the most contacts (the longest student page);
- `zorg`: a zorgcoördinator of a school in the largest region.

All data lives in committed rows; every benchmark runs in its own transaction on top, rolled
back afterwards, so the data set stays the same from run to run.
"""

from __future__ import annotations

import contextlib
import io
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command
from django.db import connection, reset_queries
from django.db.models import Count
from django.template import Template
from django.test.utils import _TestState

from accounts.models import Membership, Organisation, Role
from coaching.models import Contact
from students.models import Student


@dataclass
class National:
    region_coordinator: Membership
    gemeente_coordinator: Membership
    coach: Membership
    zorg: Membership
    student: Student
    students: int
    contacts: int

    @classmethod
    def load(cls) -> National:
        biggest = (
            Student.objects.values("region").annotate(n=Count("pk")).order_by("-n").values_list("region", flat=True)
        )[0]
        coordinator = Membership.objects.select_related("organisation", "user").get(
            role=Role.COORDINATOR, organisation__kind=Organisation.Kind.RMC, organisation__region=biggest
        )
        gemeente = Membership.objects.select_related("organisation", "user").get(
            role=Role.COORDINATOR, organisation__kind=Organisation.Kind.GEMEENTE, organisation__region=biggest
        )
        zorg = Membership.objects.select_related("organisation", "user").filter(
            role=Role.ZORGCOORDINATOR, organisation__region=biggest
        )[0]
        coach_user = (
            Student.objects.exclude(coach=None).values("coach").annotate(n=Count("pk")).order_by("-n")[0]["coach"]
        )
        coach = Membership.objects.select_related("organisation", "user").get(user=coach_user, role=Role.COACH)
        busiest = Contact.objects.values("student").annotate(n=Count("pk")).order_by("-n")[0]["student"]
        return cls(
            region_coordinator=coordinator,
            gemeente_coordinator=gemeente,
            coach=coach,
            zorg=zorg,
            student=Student.objects.get(pk=busiest),
            students=Student.objects.count(),
            contacts=Contact.objects.count(),
        )


def ensure_national() -> National:
    """Seed (idempotent: a no-op when the data is there), ANALYZE, and load the handles."""
    out = io.StringIO()
    call_command("seed_bench", stdout=out)
    print("\nBENCH seed_bench:", out.getvalue().strip().splitlines()[-1], flush=True)
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            cursor.execute(f'ANALYZE "{table}"')
    return National.load()


@dataclass
class Measurement:
    name: str
    scale: str
    first_ms: float
    median_ms: float
    p95_ms: float
    queries: int
    target: str

    def row(self) -> str:
        return (
            f"| {self.name} | {self.scale} | {self.median_ms:.0f} ms | {self.p95_ms:.0f} ms | {self.queries} "
            f"| {self.first_ms:.0f} / {self.median_ms:.0f} ms | {self.target} | |"
        )


def measure(name: str, run: Callable[[], object], *, scale: str, target: str, runs: int = 15) -> Measurement:
    """The first run (cold: right after ANALYZE, nothing cached), then `runs` warm runs: median,
    95th percentile and the query count of one run. Templates render as on the server, without
    the test client's instrumentation (a signal and a copy of the context per template)."""
    with _server_rendering():
        return _measure(name, run, scale=scale, target=target, runs=runs)


@contextlib.contextmanager
def _server_rendering():
    saved = getattr(getattr(_TestState, "saved_data", None), "template_render", None)
    instrumented = Template._render
    if saved is not None:
        Template._render = saved
    try:
        yield
    finally:
        Template._render = instrumented


def _measure(name: str, run: Callable[[], object], *, scale: str, target: str, runs: int) -> Measurement:
    reset_queries()
    start = time.perf_counter()
    with _count_queries() as counted:
        run()
    first = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return Measurement(name, scale, first * 1000, statistics.median(times) * 1000, p95 * 1000, counted[0], target)


class _count_queries:
    """Count the SQL statements of one run (CaptureQueriesContext drops the count when the
    debug log is full, so count through an execute wrapper instead)."""

    def __enter__(self):
        self.count = [0]

        def wrapper(execute, sql, params, many, context):
            self.count[0] += 1
            return execute(sql, params, many, context)

        self._cm = connection.execute_wrapper(wrapper)
        self._cm.__enter__()
        return self.count

    def __exit__(self, *exc):
        self._cm.__exit__(*exc)
        return False
