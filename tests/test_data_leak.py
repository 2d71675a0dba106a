"""The data-leak matrix: per role and per consent state, which students appear on every list
and page. Asserted through HTTP responses (names in the HTML, status codes), not only through
the access selector, so a page that filters on its own (or forgets to) is caught.

Every student below is at the home school, lives in Zwolle, is guided by the RMC with the
cast's RMC coach and is shared with the RMC stagiair: only the consent state differs. One more
student lives in the other region, so the outsiders have something of their own to see.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from consent.models import Purpose, Status
from students.models import StudentShare
from tests.consent.factories import make_student, publish_texts
from tests.factories import StudentFactory, give_consent

STATES = ("none", "given", "refused", "withdrawn", "other_purpose")
HOME = set(STATES)
ELSEWHERE = "elsewhere"
# Unique surnames: a hit in the HTML means that student leaked onto the page.
SURNAME = {
    "none": "Lekgeen",
    "given": "Lekgegeven",
    "refused": "Lekgeweigerd",
    "withdrawn": "Lekingetrokken",
    "other_purpose": "Lekanderdoel",
    ELSEWHERE: "Lekelders",
}


@pytest.fixture
def world(cast):
    publish_texts(cast.region)
    students = {}
    for state in STATES:
        s = make_student(cast, last_name=SURNAME[state], guiding_organisation=cast.rmc, coach=cast.coach.user, email="")
        StudentShare.objects.create(student=s, user=cast.stagiair.user)
        students[state] = s
    give_consent(students["given"], Purpose.SHARING, Status.GIVEN)
    give_consent(students["refused"], Purpose.SHARING, Status.REFUSED)
    give_consent(students["withdrawn"], Purpose.SHARING, Status.GIVEN)
    give_consent(students["withdrawn"], Purpose.SHARING, Status.WITHDRAWN)
    give_consent(students["other_purpose"], Purpose.RESEARCH, Status.GIVEN)
    elsewhere = StudentFactory(
        last_name=SURNAME[ELSEWHERE],
        school=cast.other_school,
        region=cast.other_school.region,
        guiding_organisation=cast.other_rmc,
        coach=cast.outsider_coach.user,
    )
    give_consent(elsewhere, Purpose.SHARING, Status.GIVEN)
    students[ELSEWHERE] = elsewhere
    return students


# Which students each role may see at all (student page 200, else 404).
VISIBLE = {
    "zorg": HOME,  # the school keeps its own view, whatever the consent
    "school_coach": set(),  # not their coachee
    "coach": {"given"},  # RMC: only with sharing consent
    "stagiair": {"given"},  # shared with them, and only with consent
    "coordinator": {"given"},
    "gemeente_coordinator": {"given"},  # lives in Zwolle, with consent
    "matchtafel": set(),
    "beheerder": set(),  # manages texts and users, never records
    "outsider_zorg": {ELSEWHERE},
    "outsider_coach": {ELSEWHERE},
    "outsider_coordinator": {ELSEWHERE},
}
# The caseload: the coach's own students / the stagiair's shared ones (others: 403).
CASELOAD = {
    "coach": {"given"},
    "stagiair": {"given"},
    "school_coach": set(),
    "outsider_coach": {ELSEWHERE},
}
# Who may record consent (200); seeing without that right is 403; not seeing is 404.
MAY_RECORD = {"zorg": HOME, "coach": {"given"}, "outsider_zorg": {ELSEWHERE}, "outsider_coach": {ELSEWHERE}}


def _names_on(response) -> set[str] | None:
    """The students named on a list page, or None when the role may not open the page."""
    if response.status_code == 403:
        return None
    assert response.status_code == 200
    html = response.content.decode()
    return {state for state, surname in SURNAME.items() if surname in html}


@pytest.mark.parametrize("role", list(VISIBLE))
def test_the_matrix(cast, login, world, role):
    client = login(getattr(cast, role))
    visible = VISIBLE[role]

    listed = _names_on(client.get(reverse("students:list")))
    assert listed is None or listed == visible, f"/jongeren/ for {role}: {listed} != {visible}"
    if listed is None:
        assert visible == set(), f"{role} sees students but cannot open the list"

    caseload = _names_on(client.get(reverse("coaching:caseload")))
    assert caseload == CASELOAD.get(role), f"caseload for {role}: {caseload}"

    for state, student in world.items():
        expected = 200 if state in visible else 404
        for name in ("students:detail", "consent:history"):
            status = client.get(reverse(name, args=[student.code])).status_code
            assert status == expected, f"{name} of {state} for {role}: {status}"
        record = client.get(reverse("consent:record", args=[student.code])).status_code
        expected_record = 200 if state in MAY_RECORD.get(role, set()) else (403 if state in visible else 404)
        assert record == expected_record, f"consent:record of {state} for {role}: {record}"
        printed = client.get(reverse("consent:print", args=[student.code])).status_code
        assert printed == expected_record, f"consent:print of {state} for {role}: {printed}"


def test_withdrawal_moves_a_student_out_of_every_rmc_page(cast, login, world):
    student = world["given"]
    give_consent(student, Purpose.SHARING, Status.WITHDRAWN)
    for role in ("coach", "stagiair", "coordinator", "gemeente_coordinator"):
        client = login(getattr(cast, role))
        for url in (reverse("students:list"), reverse("coaching:caseload")):
            names = _names_on(client.get(url))
            assert not names or "given" not in names, f"{url} for {role}"
        assert client.get(reverse("students:detail", args=[student.code])).status_code == 404
    assert "Lekgegeven" in login(cast.zorg).get(reverse("students:list")).content.decode()
