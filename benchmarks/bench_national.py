"""One run, one table: every page and sweep the issues set a target for, measured on the
national data set (`seed_bench`: 40 regions, 150,000 young people, 600 coaches, 3,000,000
contacts, 1,000,000 situation records, 2,500,000 check-ins), after ANALYZE.

Each measurement: the first run (right after ANALYZE and a fresh login: cold caches), then
15 warm runs (median and 95th percentile), and the number of SQL queries of one run. Server
time through Django's test client, as a browser request would take minus the network. The
table is printed at the end and appended to benchmarks/results.txt; copy it into README.md.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import SESSION_MEMBERSHIP_KEY
from accounts.models import Membership, Role
from benchmarks.national import measure
from coaching import reminders

pytestmark = pytest.mark.django_db

SCALE = "150k students, 3M contacts"


def _client(client, membership: Membership):
    client.force_login(membership.user)
    session = client.session
    session[SESSION_MEMBERSHIP_KEY] = membership.pk
    session.save()
    return client


def _get(client, url: str, params: dict | None = None):
    def run():
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, response.status_code)
        return response

    return run


# The caseload as a coach opens it, filtered and sorted, and a later page: each 50 rows.
CASELOAD_VARIANTS = [
    ("", {}),
    (", attention today, by last contact", {"toon": "aandacht", "sorteer": "laatste_contact"}),
    (", this week, by name", {"toon": "week", "sorteer": "naam"}),
    (", quiet 60 days", {"toon": "stil"}),
    (", page 3", {"pagina": "3"}),
]


@pytest.mark.parametrize("label,params", CASELOAD_VARIANTS, ids=["all", "attention", "week", "quiet", "page3"])
def test_caseload_page(national, client, results, label, params):
    c = _client(client, national.coach)
    caseload = national.coach.user.caseload.count()
    response = _get(c, reverse("coaching:caseload"), params)()
    assert len(response.context["rows"]) <= 50
    results.append(
        measure(
            f"caseload page{label} (coach with {caseload} young people, 50 rows a page)",
            _get(c, reverse("coaching:caseload"), params),
            scale=SCALE,
            target="< 25 ms median (issue 16)",
        )
    )


def test_student_page(national, client, results):
    student = national.student
    membership = Membership.objects.get(user=student.coach, organisation=student.guiding_organisation, role=Role.COACH)
    c = _client(client, membership)
    contacts = student.contacts.count()
    results.append(
        measure(
            f"student page ({contacts} contacts)",
            _get(c, reverse("students:detail", args=[student.code])),
            scale=SCALE,
            target="< 200 ms",
        )
    )


def test_reminder_sweep(national, results):
    """The nightly sweep reads what became due since the last sweep (due-date indexes). The
    first sweep ever has no last sweep and catches up on everything overdue: measured apart."""
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    catch_up = measure(
        "reminder sweep (plan): first ever, catch-up / reruns",
        lambda: reminders.reminders_plan(today=yesterday),
        scale=SCALE,
        target="< 5 s; rerun < 1 s",
        runs=3,
    )
    # Yesterday is planned now: the first measured call is a normal night, the warm runs are
    # reruns that find nothing new.
    nightly = measure(
        "reminder sweep (plan): a night (yesterday planned) / reruns",
        lambda: reminders.reminders_plan(today=today),
        scale=SCALE,
        target="< 5 s; rerun < 1 s",
        runs=5,
    )
    results.extend([catch_up, nightly])
