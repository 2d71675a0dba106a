"""The privacy pages: access-log search, "wie heeft dit dossier bekeken", inzage, correction,
erasure on request and the erasure preview. Per role: allowed, outsider 404, read-only 403,
wrong method 405, unknown code 404."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry, Action, Result
from audit.services import access_log
from students.models import Outcome, Student
from tests.factories import HandoverFactory, StudentFactory

pytestmark = pytest.mark.django_db

STUDENT_PAGES = ["privacy:student_log", "privacy:inzage", "privacy:inzage_json", "privacy:correction", "privacy:erase"]


@pytest.fixture
def guided(cast):
    """A student guided by the RMC, with consent for sharing, so the RMC coordinator may act."""
    from consent.models import Purpose
    from tests.factories import give_consent

    s = StudentFactory(
        school=cast.school,
        municipality=cast.municipality,
        region=cast.region,
        guiding_organisation=cast.rmc,
        coach=cast.coach.user,
        last_name="Jansen",
    )
    give_consent(s, Purpose.SHARING)
    return s


@pytest.mark.parametrize("name", STUDENT_PAGES)
def test_the_zorgcoordinator_of_the_school_may_open_each_page(login, cast, student, name):
    response = login(cast.zorg).get(reverse(name, args=[student.code]))
    assert response.status_code == 200


@pytest.mark.parametrize("name", STUDENT_PAGES)
def test_the_guiding_coordinator_may_open_each_page(login, cast, guided, name):
    assert login(cast.coordinator).get(reverse(name, args=[guided.code])).status_code == 200


@pytest.mark.parametrize("name", STUDENT_PAGES)
def test_an_outsider_gets_404_and_it_is_logged(login, cast, student, name):
    response = login(cast.outsider_zorg).get(reverse(name, args=[student.code]))
    assert response.status_code == 404
    assert AccessLogEntry.objects.filter(student_code=student.code, result=Result.DENIED).count() == 1


@pytest.mark.parametrize("name", STUDENT_PAGES)
def test_a_coach_who_may_see_but_not_act_gets_403(login, cast, guided, name):
    assert login(cast.coach).get(reverse(name, args=[guided.code])).status_code == 403


@pytest.mark.parametrize("name", STUDENT_PAGES)
def test_an_unknown_code_gives_404(login, cast, name):
    assert login(cast.zorg).get(reverse(name, args=[uuid.uuid4()])).status_code == 404


@pytest.mark.parametrize("name", ["privacy:student_log", "privacy:inzage", "privacy:inzage_json"])
def test_read_pages_refuse_post(login, cast, student, name):
    assert login(cast.zorg).post(reverse(name, args=[student.code])).status_code == 405


@pytest.mark.parametrize("name", ["privacy:log", "privacy:erasure_preview"])
def test_list_pages_refuse_post(login, cast, name):
    assert login(cast.coordinator).post(reverse(name)).status_code == 405


def test_who_looked_at_this_record_lists_every_access(login, cast, student):
    access_log(membership=cast.school_coach, actor=cast.school_coach.user, action=Action.VIEW, student=student)
    access_log(
        membership=cast.outsider_zorg,
        actor=cast.outsider_zorg.user,
        action=Action.VIEW,
        student=student,
        result=Result.DENIED,
    )
    client = login(cast.zorg)
    before = AccessLogEntry.objects.count()
    html = client.get(reverse("privacy:student_log", args=[student.code])).content.decode()
    assert AccessLogEntry.objects.count() == before + 1  # one insert per request
    assert "doorwerk@kwint.test" in html and "zorg.elders@kwint.test" in html and "Geweigerd" in html
    assert "data-print" in html
    assert AccessLogEntry.objects.latest("id").action == Action.PRINT


def test_inzage_holds_data_handover_consent_texts_and_the_log(login, cast, student):
    from consent.models import Purpose
    from tests.factories import give_consent

    give_consent(student, Purpose.CONTACT)
    HandoverFactory(student=student, own_words_wants="Ik wil graag in de zorg werken")
    client = login(cast.zorg)
    html = client.get(reverse("privacy:inzage", args=[student.code])).content.decode()
    assert student.last_name in html
    assert "Ik wil graag in de zorg werken" in html
    assert "Je school deelt je gegevens" in html  # the consent text itself
    assert "warme overdrachten" in html.lower() and "toegangslog" in html.lower()
    assert "token_hash" not in html
    response = client.get(reverse("privacy:inzage_json", args=[student.code]))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    keys = {s["key"] for s in data["sections"]}
    assert {"student", "students.handover", "consent.consentrecord", "audit.accesslog"} <= keys
    assert AccessLogEntry.objects.filter(action=Action.EXPORT, student_code=student.code).count() == 2


def test_a_correction_request_is_recorded_and_leads_to_the_edit_page(login, cast, student):
    client = login(cast.zorg)
    response = client.post(reverse("privacy:correction", args=[student.code]), {"what": "Postcode klopt niet"})
    assert response.status_code == 302
    assert str(student.code) in response["Location"]
    assert student.timeline.filter(event="correction_requested", data__what="Postcode klopt niet").exists()
    assert AccessLogEntry.objects.filter(student_code=student.code, detail="correctieverzoek vastgelegd").exists()


def test_a_correction_request_needs_a_description(login, cast, student):
    response = login(cast.zorg).post(reverse("privacy:correction", args=[student.code]), {"what": ""})
    assert response.status_code == 200 and "verplicht" in response.content.decode()


def test_erasure_on_request_needs_the_name_and_the_checkbox(login, cast, student):
    client = login(cast.zorg)
    url = reverse("privacy:erase", args=[student.code])
    response = client.post(url, {"confirm_name": "Verkeerd", "confirm": "on"})
    assert "komt niet overeen" in response.content.decode()
    response = client.post(url, {"confirm_name": student.last_name})
    assert "Vink aan" in response.content.decode()
    student.refresh_from_db()
    assert student.erased_at is None


def test_erasure_on_request_erases_and_logs(login, cast, student):
    client = login(cast.zorg)
    response = client.post(
        reverse("privacy:erase", args=[student.code]), {"confirm_name": student.last_name.upper(), "confirm": "on"}
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.erased_at is not None and student.last_name == "Gewist"
    assert AccessLogEntry.objects.filter(action=Action.ERASE, actor=cast.zorg.user, student_code=student.code).exists()
    # Gone from view: the page now gives 404.
    assert client.get(reverse("privacy:inzage", args=[student.code])).status_code == 404


def test_erasure_is_refused_while_the_student_is_at_school_and_says_why(login, cast):
    s = StudentFactory(school=cast.school, region=cast.region, outcome=Outcome.STUDYING, outcome_date=None)
    client = login(cast.zorg)
    page = client.get(reverse("privacy:erase", args=[s.code])).content.decode()
    assert "Wet educatie en beroepsonderwijs" in page
    response = client.post(reverse("privacy:erase", args=[s.code]), {"confirm_name": s.last_name, "confirm": "on"})
    assert response.status_code == 200
    s.refresh_from_db()
    assert s.erased_at is None
    assert AccessLogEntry.objects.filter(action=Action.ERASE, result=Result.DENIED, student_code=s.code).exists()


# --- the access-log search ---------------------------------------------------------------------


def test_the_log_search_shows_own_students_and_own_people_only(login, cast, student):
    other = StudentFactory(school=cast.other_school, region=cast.other_school.region)
    access_log(membership=cast.school_coach, actor=cast.school_coach.user, action=Action.VIEW, student=student)
    access_log(membership=cast.outsider_zorg, actor=cast.outsider_zorg.user, action=Action.VIEW, student=other)
    html = login(cast.zorg).get(reverse("privacy:log")).content.decode()
    assert "doorwerk@kwint.test" in html
    assert "zorg.elders@kwint.test" not in html


def test_the_log_search_filters_by_user_student_period_and_action(login, cast, student):
    other = StudentFactory(school=cast.school, region=cast.region, last_name="Bakker")
    access_log(membership=cast.school_coach, actor=cast.school_coach.user, action=Action.EXPORT, student=student)
    access_log(membership=cast.zorg, actor=cast.zorg.user, action=Action.VIEW, student=other)
    client = login(cast.zorg)

    def rows(**params):
        response = client.get(reverse("privacy:log"), params)
        return list(response.context["page"].object_list)

    assert {e.actor_email for e in rows(user="doorwerk")} == {"doorwerk@kwint.test"}
    assert {e.student_code for e in rows(student="Bakker")} == {other.code}
    assert {e.student_code for e in rows(student=str(student.code))} == {student.code}
    assert {e.action for e in rows(action=Action.EXPORT)} == {Action.EXPORT}
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert rows(date_from=tomorrow.isoformat()) == []
    response = client.get(reverse("privacy:log"), {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert "vóór de begindatum" in response.content.decode()


@pytest.mark.parametrize("role", ["coach", "stagiair", "matchtafel", "beheerder", "school_coach"])
def test_other_roles_may_not_search_the_log(login, cast, role):
    assert login(getattr(cast, role)).get(reverse("privacy:log")).status_code == 403
    expected = 200 if role == "beheerder" else 403  # the beheerder sees the erasure preview
    assert login(getattr(cast, role)).get(reverse("privacy:erasure_preview")).status_code == expected


def test_the_log_search_costs_the_same_queries_for_few_and_many_entries(login, cast, student):
    client = login(cast.zorg)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("privacy:log"))
        return len(ctx)

    access_log(membership=cast.zorg, actor=cast.zorg.user, action=Action.VIEW, student=student)
    small = count()
    for _i in range(60):
        access_log(membership=cast.zorg, actor=cast.zorg.user, action=Action.VIEW, student=student)
    assert count() == small


# --- the erasure preview -----------------------------------------------------------------------


def test_the_preview_lists_what_goes_in_the_next_30_days(login, cast):
    today = timezone.localdate()
    soon = StudentFactory(school=cast.school, region=cast.region, last_name="Binnenkort")
    later = StudentFactory(school=cast.school, region=cast.region, last_name="Veellater")
    elsewhere = StudentFactory(school=cast.other_school, region=cast.other_school.region, last_name="Elders")
    Student.objects.filter(pk__in=[soon.pk, elsewhere.pk]).update(erase_after=today + dt.timedelta(days=10))
    Student.objects.filter(pk=later.pk).update(erase_after=today + dt.timedelta(days=90))
    html = login(cast.zorg).get(reverse("privacy:erasure_preview")).content.decode()
    assert "Binnenkort" in html and "Veellater" not in html and "Elders" not in html


def test_the_preview_counts_own_records_the_coordinator_cannot_open(login, cast):
    s = StudentFactory(school=cast.school, region=cast.region, guiding_organisation=cast.rmc, last_name="Zonder")
    Student.objects.filter(pk=s.pk).update(erase_after=timezone.localdate() + dt.timedelta(days=5))
    response = login(cast.coordinator).get(reverse("privacy:erasure_preview"))
    assert response.context["elsewhere"] == 1
    assert "Zonder" not in response.content.decode()


def test_the_preview_costs_the_same_queries_for_few_and_many(login, cast):
    client = login(cast.zorg)
    due = timezone.localdate() + dt.timedelta(days=3)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("privacy:erasure_preview"))
        return len(ctx)

    StudentFactory.create_batch(2, school=cast.school, region=cast.region, erase_after=due)
    small = count()
    StudentFactory.create_batch(30, school=cast.school, region=cast.region, erase_after=due)
    assert count() == small


def test_the_student_panel_shows_the_erasure_date_and_links_only_with_the_privacy_right(rf, cast, student):
    from django.template import Context, Template

    Student.objects.filter(pk=student.pk).update(erase_after=dt.date(2027, 3, 5))
    student.refresh_from_db()
    template = Template("{% load privacy_tags %}{% privacy_panel student %}")
    for membership, links in ((cast.zorg, True), (cast.school_coach, False)):
        request = rf.get("/")
        request.membership = membership
        html = template.render(Context({"request": request, "student": student}))
        assert "5 maart 2027" in html
        assert (reverse("privacy:inzage", args=[student.code]) in html) is links
