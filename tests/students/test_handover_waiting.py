"""A new handover is seen without opening its page (issue 11): a count in the menu for the
coach it is addressed to by name and for the coordinators of the receiving organisation, in a
fixed number of queries (one COUNT, kept per request); the accept form preselects the coach
the handover was addressed to."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from consent.models import Purpose
from students.handovers import handover_accept, handover_offer
from tests.factories import MembershipFactory, StudentFactory, give_consent

pytestmark = pytest.mark.django_db

BADGE = re.compile(r'data-handovers-waiting>(\d+)<span class="visually-hidden"> ([^<]+)</span>')


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def _offer(cast, *, coach=None):
    student = StudentFactory(school=cast.school, municipality=cast.municipality, region=cast.region)
    give_consent(student, Purpose.SHARING)
    return handover_offer(student=student, actor=cast.zorg.user, organisation=cast.rmc, coach=coach)


def _badge(client, url=None):
    html = client.get(url or reverse("home"), follow=True).content.decode()
    found = BADGE.search(html)
    return (int(found.group(1)), found.group(2)) if found else None


def test_the_coach_it_is_addressed_to_sees_the_count_in_the_menu(cast, login):
    _offer(cast, coach=cast.coach.user)
    assert _badge(login(cast.coach)) == (1, "nieuwe overdracht")
    _offer(cast, coach=cast.coach.user)
    assert _badge(login(cast.coach), reverse("coaching:caseload")) == (2, "nieuwe overdrachten")


def test_the_coordinators_of_the_receiving_organisation_see_every_offer_to_it(cast, login):
    _offer(cast, coach=cast.coach.user)
    _offer(cast)
    assert _badge(login(cast.coordinator), reverse("students:handovers_incoming")) == (2, "nieuwe overdrachten")


def test_nobody_else_sees_a_count(cast, login):
    _offer(cast)  # to the organisation, no coach named
    other_coach = MembershipFactory(organisation=cast.rmc, role=Role.COACH)
    for membership in (cast.coach, other_coach, cast.outsider_coordinator, cast.zorg, cast.gemeente_coordinator):
        assert _badge(login(membership)) is None, membership


def test_the_count_goes_once_the_handover_is_decided(cast, login):
    handover = _offer(cast, coach=cast.coach.user)
    handover_accept(handover=handover, actor=cast.coordinator.user, coach=cast.coach.user)
    assert _badge(login(cast.coach)) is None
    assert _badge(login(cast.coordinator)) is None


def test_the_menu_costs_the_same_queries_for_one_or_many_handovers(cast, login):
    client = login(cast.coordinator)
    url = reverse("students:handovers_incoming")
    _offer(cast)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _n in range(5):
        _offer(cast)
    with CaptureQueriesContext(connection) as six:
        client.get(url)
    assert len(six) == len(one)
    assert _badge(client, url) == (6, "nieuwe overdrachten")


def test_the_count_is_read_once_per_request(cast):
    _offer(cast)
    request = RequestFactory().get("/")
    request.membership = cast.coordinator
    template = Template("{% load student_tags %}{% handovers_waiting as a %}{% handovers_waiting as b %}{{ a }}{{ b }}")
    with CaptureQueriesContext(connection) as queries:
        assert template.render(Context({"request": request})) == "11"
    assert len(queries) == 1


def test_the_accept_form_preselects_the_coach_it_was_addressed_to(cast, login):
    named = MembershipFactory(organisation=cast.rmc, role=Role.COACH, user__full_name="Zeno Zwart")
    handover = _offer(cast, coach=named.user)
    response = login(cast.coordinator).get(reverse("students:handover_review", args=[handover.code]))
    form = response.context["accept_form"]
    assert form["coach"].value() == named.pk
    html = response.content.decode()
    selected = re.findall(r'<option value="(\d+)"[^>]*selected', html)
    assert selected == [str(named.pk)]
