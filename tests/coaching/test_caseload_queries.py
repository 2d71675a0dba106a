"""The caseload page costs the same number of queries for 5 and for 105 young people, for every
filter, sort and page, and sends one page of 50."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coaching.services import contact_log, situation_record, support_action_add
from tests.coaching.factories import guided_student

pytestmark = pytest.mark.django_db

VARIANTS = [
    {"toon": show, "sorteer": sort}
    for show, sort in itertools.product(
        ("alle", "aandacht", "week", "stil"), ("aandacht", "naam", "laatste_contact", "volgend")
    )
]


def _add(cast, n):
    for i in range(n):
        student = guided_student(cast, diploma=dt.date.today() - dt.timedelta(days=30 * (i % 20)))
        contact_log(student=student, author=cast.coach.user, channel="telefoon", reached=bool(i % 2))
        situation_record(student=student, kind="werk", date=dt.date.today(), contract_type="oproep")
        support_action_add(student=student, kind="cv")


def _count(client, params=None):
    connection.queries_log.clear()  # a full log (maxlen 9000) would make every count 0
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("coaching:caseload"), params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_caseload_query_count_is_the_same_at_5_and_105_students_for_every_filter_sort_and_page(cast, login):
    client = login(cast.coach)
    _add(cast, 5)
    small = {}
    for params in VARIANTS:
        small[str(params)], response = _count(client, params)
    assert len(_count(client)[1].context["rows"]) == 5
    _add(cast, 100)
    for params in VARIANTS:
        large, _response = _count(client, params)
        assert large == small[str(params)], params
    first, response = _count(client)
    assert len(response.context["rows"]) == 50 and response.context["page"].paginator.count == 105
    last, response = _count(client, {"pagina": "3"})
    assert len(response.context["rows"]) == 5
    assert first == last == small[str(VARIANTS[0])]
    # A count, the page, the attention summary, on top of session and membership.
    assert 0 < first <= 10


def test_pages_hold_everyone_once_in_a_stable_order(cast, login):
    _add(cast, 55)
    client = login(cast.coach)
    for sort in ("aandacht", "naam", "laatste_contact", "volgend"):
        seen = []
        for number in ("1", "2"):
            seen += [
                s.code
                for s in client.get(reverse("coaching:caseload"), {"sorteer": sort, "pagina": number}).context["rows"]
            ]
        assert len(seen) == len(set(seen)) == 55, sort


def test_pagination_keeps_search_filter_and_sort_in_the_url(cast, login):
    _add(cast, 55)
    response = login(cast.coach).get(reverse("coaching:caseload"), {"toon": "alle", "sorteer": "naam"})
    body = response.content.decode()
    assert 'aria-label="Paginanavigatie"' in body
    assert "?toon=alle&amp;sorteer=naam&amp;pagina=2" in body
    assert "Pagina 1 van 2" in body
    # A page past the end shows the last page; nonsense shows the first.
    assert login(cast.coach).get(reverse("coaching:caseload"), {"pagina": "99"}).context["page"].number == 2
    assert login(cast.coach).get(reverse("coaching:caseload"), {"pagina": "x"}).context["page"].number == 1
    for nonsense in ("9" * 30, "-3", "0", ""):
        response = login(cast.coach).get(reverse("coaching:caseload"), {"pagina": nonsense})
        assert response.status_code == 200 and response.context["page"].number in (1, 2), nonsense
    team = login(cast.coordinator).get(reverse("coaching:team"), {"pagina": "9" * 30, "coachpagina": "9" * 30})
    assert team.status_code == 200
