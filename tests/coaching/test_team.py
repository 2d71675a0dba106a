"""The coordinator's team view, assignment and sharing."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from coaching.models import CheckIn, Trajectory
from coaching.services import contact_log
from students.access import students_visible_to
from tests.coaching.factories import guided_student
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def guided(cast):
    """Handed over six weeks ago: the first call and the first monthly moment are overdue."""
    with time_machine.travel(dt.datetime.now().astimezone() - dt.timedelta(days=42)):
        return guided_student(cast, diploma=dt.date.today() - dt.timedelta(days=42))


def test_team_view_shows_caseload_against_capacity(cast, login, guided):
    contact_log(student=guided, author=cast.coach.user, channel="telefoon", reached=False)
    response = login(cast.coordinator).get(reverse("coaching:team"))
    assert response.status_code == 200
    coach_row = next(m for m in response.context["coaches"] if m.pk == cast.coach.pk)
    assert (coach_row.caseload, coach_row.capacity, coach_row.unanswered) == (1, 60, 1)
    assert coach_row.overdue >= 1
    assert "1 / 60" in response.content.decode().replace("</span>", "")


def test_team_view_roles(cast, login, guided):
    assert login(cast.zorg).get(reverse("coaching:team")).status_code == 200
    assert login(cast.coach).get(reverse("coaching:team")).status_code == 403
    assert login(cast.matchtafel).get(reverse("coaching:team")).status_code == 403
    assert login(cast.coordinator).post(reverse("coaching:team")).status_code == 405
    # The other region's coordinator sees none of this organisation's students.
    response = login(cast.outsider_coordinator).get(reverse("coaching:team"))
    assert guided.sort_name not in response.content.decode()


def test_coordinator_moves_a_student_and_history_stays(cast, login, guided):
    other = MembershipFactory(organisation=cast.rmc, role=Role.COACH, capacity=20)
    contact = contact_log(student=guided, author=cast.coach.user, channel="app", reached=True)
    response = login(cast.coordinator).post(reverse("coaching:assign", args=[guided.code]), {"membership": other.code})
    assert response.status_code == 302
    guided.refresh_from_db()
    assert guided.coach == other.user
    trajectory = Trajectory.objects.get(student=guided)
    assert trajectory.coach == other.user
    assert not CheckIn.objects.filter(trajectory=trajectory, status="planned").exclude(coach=other.user).exists()
    contact.refresh_from_db()
    assert contact.author == cast.coach.user
    # The old coach no longer sees the student; the new one does.
    assert not students_visible_to(cast.coach).filter(pk=guided.pk).exists()
    assert students_visible_to(other).filter(pk=guided.pk).exists()


def test_assign_roles(cast, login, guided):
    target = {"membership": cast.coach.code}
    assert login(cast.coach).post(reverse("coaching:assign", args=[guided.code]), target).status_code == 403
    assert (
        login(cast.outsider_coordinator).post(reverse("coaching:assign", args=[guided.code]), target).status_code == 404
    )
    assert login(cast.coordinator).post(reverse("coaching:assign", args=[uuid.uuid4()]), target).status_code == 404
    assert login(cast.coordinator).get(reverse("coaching:assign", args=[guided.code])).status_code == 405
    # A coach of another organisation cannot be chosen.
    response = login(cast.coordinator).post(
        reverse("coaching:assign", args=[guided.code]), {"membership": cast.outsider_coach.code}
    )
    assert response.status_code == 302
    guided.refresh_from_db()
    assert guided.coach == cast.coach.user


def test_share_with_stagiair(cast, login, guided):
    response = login(cast.coach).post(reverse("coaching:share", args=[guided.code]), {"membership": cast.stagiair.code})
    assert response.status_code == 302
    assert students_visible_to(cast.stagiair).filter(pk=guided.pk).exists()
    login(cast.coach).post(
        reverse("coaching:share", args=[guided.code]), {"membership": cast.stagiair.code, "stop": "1"}
    )
    assert not students_visible_to(cast.stagiair).filter(pk=guided.pk).exists()
    assert login(cast.zorg).post(reverse("coaching:share", args=[guided.code])).status_code == 403
    assert login(cast.outsider_coach).post(reverse("coaching:share", args=[guided.code])).status_code == 404
    assert login(cast.coach).post(reverse("coaching:share", args=[uuid.uuid4()])).status_code == 404
    assert login(cast.coach).get(reverse("coaching:share", args=[guided.code])).status_code == 405


def _queries(client, path):
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_team_view_query_count_does_not_grow(cast, login):
    for _ in range(3):
        guided_student(cast)
    client = login(cast.coordinator)
    small = _queries(client, reverse("coaching:team"))
    for _ in range(3):
        MembershipFactory(organisation=cast.rmc, role=Role.COACH, capacity=30)
    for _ in range(30):
        guided_student(cast)
    assert _queries(client, reverse("coaching:team")) == small
    assert 0 < small <= 12


def test_a_school_cannot_pull_an_rmc_guided_student_to_its_own_coach(cast, login, guided):
    response = login(cast.zorg).post(
        reverse("coaching:assign", args=[guided.code]), {"membership": cast.school_coach.code}
    )
    assert response.status_code == 403
    guided.refresh_from_db()
    assert guided.coach == cast.coach.user


def test_zorgcoordinator_assigns_a_school_student_to_the_doorwerkcoach(cast, login):
    from tests.factories import StudentFactory

    student = StudentFactory(school=cast.school, municipality=cast.municipality, region=cast.region)
    response = login(cast.zorg).post(
        reverse("coaching:assign", args=[student.code]), {"membership": cast.school_coach.code}
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.coach == cast.school_coach.user and student.guiding_organisation == cast.school
    assert Trajectory.objects.get(student=student).organisation == cast.school
    team = login(cast.zorg).get(reverse("coaching:team"))
    row = next(m for m in team.context["coaches"] if m.pk == cast.school_coach.pk)
    assert (row.caseload, row.capacity) == (1, 20)


def test_team_lists_page_by_50_and_keep_the_filters_in_the_url(cast, login):
    """Coaches and students each page by 50; each navigation keeps the filters and the other
    list's page; the query count stays the same on every page."""
    from tests.factories import StudentFactory

    for _ in range(51):
        MembershipFactory(organisation=cast.rmc, role=Role.COACH)
    # Students of the school with no coach yet: the RMC does not see them, the school does.
    StudentFactory.create_batch(55, school=cast.school, municipality=cast.municipality, region=cast.region)
    client = login(cast.zorg)
    response = client.get(reverse("coaching:team"), {"coach": "geen"})
    assert response.context["page"].paginator.count == 55 and len(response.context["page"].object_list) == 50
    body = response.content.decode()
    assert 'aria-label="Pagina’s met jongeren"' in body
    assert "?coach=geen&amp;pagina=2" in body
    second = client.get(reverse("coaching:team"), {"coach": "geen", "pagina": "2"})
    assert len(second.context["page"].object_list) == 5
    rmc = login(cast.coordinator)
    first = rmc.get(reverse("coaching:team"))
    assert len(first.context["coach_page"].object_list) == 50
    assert len(first.context["coaches"]) == 52  # every coach still in the assign menus
    assert "?coachpagina=2" in first.content.decode()
    last = rmc.get(reverse("coaching:team"), {"coachpagina": "2", "q": "x"})
    assert len(last.context["coach_page"].object_list) == 2
    assert "?q=x&amp;coachpagina=2&amp;pagina=" not in last.content.decode()  # one page of students: no links
    assert _queries(rmc, reverse("coaching:team") + "?coachpagina=2") == _queries(rmc, reverse("coaching:team"))


def test_caseloads_for_counts_as_team_for(cast, guided):
    """The dashboard's cheaper caseload query gives each coach the team view's caseload."""
    from coaching.selectors import caseloads_for, team_for

    team = {m.pk: m.caseload for m in team_for(cast.coordinator)}
    light = {m.pk: m.caseload for m in caseloads_for(cast.coordinator)}
    assert light == team
    assert light[cast.coach.pk] == 1
