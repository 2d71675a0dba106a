"""Student list, page, create and edit: per role, per method, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consent.models import Purpose, Status
from students.models import Handover, Student, TimelineEvent
from students.timeline import render
from tests.factories import HandoverFactory, MunicipalityFactory, StudentFactory, give_consent

pytestmark = pytest.mark.django_db


def _students(cast, n, **kw):
    return StudentFactory.create_batch(n, school=cast.school, municipality=cast.municipality, region=cast.region, **kw)


# ------------------------------------------------------------------ list


@pytest.mark.parametrize("role", ["zorg", "coordinator", "coach", "school_coach", "stagiair"])
def test_list_opens_for_roles_that_guide_students(cast, login, role):
    assert login(getattr(cast, role)).get(reverse("students:list")).status_code == 200


@pytest.mark.parametrize("role", ["beheerder", "matchtafel"])
def test_list_is_forbidden_for_roles_without_records(cast, login, role):
    assert login(getattr(cast, role)).get(reverse("students:list")).status_code == 403


def test_list_rejects_post(cast, login):
    assert login(cast.zorg).post(reverse("students:list")).status_code == 405


def test_list_shows_only_own_school_and_filters(cast, login):
    mine = StudentFactory(school=cast.school, last_name="Özdil", class_name="L2A", cohort=2026, level=2)
    other = StudentFactory(school=cast.school, last_name="Bakker", class_name="L2B", cohort=2025, level=1)
    StudentFactory(school=cast.other_school, last_name="Elders")
    give_consent(mine, Purpose.SHARING)
    HandoverFactory(student=other, status=Handover.Status.DRAFT)
    client = login(cast.zorg)

    def names(**params):
        page = client.get(reverse("students:list"), params).context["page"]
        return [s.last_name for s in page]

    assert names() == ["Bakker", "Özdil"]
    assert names(q="özd") == ["Özdil"]
    assert names(q=mine.student_number) == ["Özdil"]
    assert names(cohort=2025) == ["Bakker"]
    assert names(level=2) == ["Özdil"]
    assert names(consent="given") == ["Özdil"]
    assert names(consent="none") == ["Bakker"]
    assert names(handover="draft") == ["Bakker"]
    assert names(handover="none") == ["Özdil"]
    assert names(diploma_month="2026-07") == ["Bakker", "Özdil"]
    assert names(diploma_month="2026-08") == []
    assert names(programme="Medewerker logistiek") == ["Bakker", "Özdil"]
    assert names(class_name="l2a") == ["Özdil"]
    assert names(sort="-naam") == ["Özdil", "Bakker"]


def test_the_rmc_coordinator_sees_only_students_with_sharing_consent(cast, login):
    shared, refused = _students(cast, 2)
    give_consent(shared, Purpose.SHARING)
    give_consent(refused, Purpose.SHARING, Status.REFUSED)
    page = login(cast.coordinator).get(reverse("students:list")).context["page"]
    assert [s.pk for s in page] == [shared.pk]


def test_list_query_count_is_the_same_for_10_and_200_students(cast, login):
    client = login(cast.zorg)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("students:list"))
        assert response.status_code == 200
        return len(ctx)

    for s in _students(cast, 10):
        give_consent(s, Purpose.SHARING)
        HandoverFactory(student=s)
    small = queries()
    for s in _students(cast, 190):
        give_consent(s, Purpose.SHARING)
        HandoverFactory(student=s)
    assert queries() == small


# ------------------------------------------------------------------ detail


def test_detail_shows_everything_to_the_zorgcoordinator(cast, login, student):
    HandoverFactory(student=student, own_words_wants="Ik wil in een garage werken.")
    response = login(cast.zorg).get(reverse("students:detail", args=[student.code]))
    assert response.status_code == 200
    assert "Ik wil in een garage werken." in response.content.decode()
    assert "consent/_student_panel.html" in [t.name for t in response.templates]
    assert "coaching/_student_panel.html" in [t.name for t in response.templates]


def test_detail_is_404_for_another_school_and_unknown_code(cast, login, student):
    client = login(cast.outsider_zorg)
    assert client.get(reverse("students:detail", args=[student.code])).status_code == 404
    assert (
        login(cast.zorg).get(reverse("students:detail", args=["00000000-0000-0000-0000-000000000000"])).status_code
        == 404
    )


def test_detail_rejects_post(cast, login, student):
    assert login(cast.zorg).post(reverse("students:detail", args=[student.code])).status_code == 405


# ------------------------------------------------------------------ edit and create


def _form_data(**overrides):
    data = {
        "first_name": "Özlem",
        "roepnaam": "",
        "tussenvoegsel": "",
        "last_name": "d'Amico",
        "date_of_birth": "2006-02-01",
        "phone": "06-12345678",
        "email": "",
        "postcode": "8011ab",
        "woonplaats": "'s-Hertogenbosch",
        "municipality": "",
        "location": "",
        "student_number": "777",
        "programme_name": "Logistiek",
        "crebo": "25453",
        "level": "2",
        "leerweg": "BOL",
        "sector": "",
        "class_name": "L2A",
        "cohort": "2026",
        "expected_diploma_date": "2026-07-01",
        "outcome": "studying",
        "outcome_date": "",
        "support_needs": ["work", "money"],
    }
    data.update(overrides)
    return data


def test_edit_normalises_and_keeps_names_as_typed(cast, login, student):
    other_region_gemeente = MunicipalityFactory(name="Leiden")
    client = login(cast.zorg)
    url = reverse("students:edit", args=[student.code])
    assert client.get(url).status_code == 200
    response = client.post(url, _form_data(municipality=other_region_gemeente.pk))
    assert response.status_code == 302
    student.refresh_from_db()
    assert (student.first_name, student.last_name, student.woonplaats) == ("Özlem", "d'Amico", "'s-Hertogenbosch")
    assert student.phone == "+31612345678" and student.postcode == "8011 AB"
    assert student.support_needs == ["work", "money"]
    assert student.region == other_region_gemeente.region  # the gemeente decides the region
    event = student.timeline.get(kind=TimelineEvent.Kind.UPDATED)
    text = render(event)
    assert "mobiel nummer" in text and "+316" not in text


def test_edit_rejects_a_non_phone_in_dutch_and_writes_nothing(cast, login, student):
    before = student.phone
    response = login(cast.zorg).post(reverse("students:edit", args=[student.code]), _form_data(phone="bel mij maar"))
    assert response.status_code == 200
    assert "geen telefoonnummer" in response.content.decode()
    student.refresh_from_db()
    assert student.phone == before and student.first_name != "Özlem"


def test_edit_is_403_for_the_rmc_coordinator_and_404_for_another_school(cast, login, student):
    give_consent(student, Purpose.SHARING)
    url = reverse("students:edit", args=[student.code])
    assert login(cast.coordinator).get(url).status_code == 403
    assert login(cast.outsider_zorg).get(url).status_code == 404


def test_edit_rejects_put(cast, login, student):
    assert login(cast.zorg).put(reverse("students:edit", args=[student.code])).status_code == 405


def test_create_by_hand(cast, login):
    client = login(cast.zorg)
    assert client.get(reverse("students:new")).status_code == 200
    response = client.post(reverse("students:new"), _form_data(municipality=cast.municipality.pk))
    assert response.status_code == 302
    student = Student.objects.get(student_number="777")
    assert student.school == cast.school and student.region == cast.region
    assert student.timeline.filter(kind=TimelineEvent.Kind.CREATED).exists()


def test_create_rejects_a_duplicate_student_number(cast, login):
    StudentFactory(school=cast.school, student_number="777")
    response = login(cast.zorg).post(reverse("students:new"), _form_data())
    assert response.status_code == 200
    assert "al een student met dit studentnummer" in response.content.decode()


def test_create_is_for_the_zorgcoordinator_only(cast, login):
    assert login(cast.coordinator).get(reverse("students:new")).status_code == 403
    assert login(cast.zorg).put(reverse("students:new")).status_code == 405


def test_column_headers_sort_the_list(cast, login):
    StudentFactory(school=cast.school, last_name="Aa", cohort=2027)
    StudentFactory(school=cast.school, last_name="Zz", cohort=2025)
    client = login(cast.zorg)
    response = client.get(reverse("students:list"), {"cohort": "", "sort": "cohort"})
    assert [s.last_name for s in response.context["page"]] == ["Zz", "Aa"]
    cohort = next(c for c in response.context["columns"] if c["aria_sort"])
    assert cohort["aria_sort"] == "ascending" and cohort["url"].endswith("sort=-cohort")
    assert [s.last_name for s in client.get(reverse("students:list") + cohort["url"]).context["page"]] == ["Aa", "Zz"]
