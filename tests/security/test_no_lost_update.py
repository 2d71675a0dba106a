"""Two people editing one record: no lost update (kwint.lib.locking), for every edit form of
shared data: the student record, the handover, a consent text draft, organisation settings.

Each test opens the form in two "browsers" (two logged-in clients), saves in the first, then in
the second: the second save is refused, nothing is written, the other person's change is in the
form, the second person's own change is kept, and saving again keeps both."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from accounts.middleware import SESSION_MEMBERSHIP_KEY
from accounts.models import Organisation
from consent.models import ConsentText
from students.handovers import handover_save
from students.models import Handover, Student
from tests.factories import ConsentTextFactory, StudentFactory

pytestmark = pytest.mark.django_db


def browser(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session[SESSION_MEMBERSHIP_KEY] = membership.pk
    session.save()
    return client


def form_data(form) -> dict:
    """What the browser would post back for an unchanged form (the hidden fields included)."""
    data = {}
    for bound in form:
        value = bound.value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, dt.date):
            data[bound.html_name] = value.isoformat()
        else:
            data[bound.html_name] = str(value)
    return data


def two_forms(url, first, second):
    return form_data(first.get(url).context["form"]), form_data(second.get(url).context["form"])


def refused(response) -> object:
    assert response.status_code == 200, "the second save must be refused, not redirected"
    form = response.context["form"]
    assert "intussen opgeslagen" in " ".join(form.non_field_errors())
    return form


# --- the student record: the scenario (phone vs e-mail) -----------------------------


@pytest.fixture
def student(cast):
    return StudentFactory(
        school=cast.school,
        municipality=cast.municipality,
        region=cast.region,
        phone="06-11111111",
        email="oud@example.nl",
        coach=cast.school_coach.user,
    )


def test_phone_in_one_browser_and_email_in_the_other_keeps_both(cast, student):
    url = reverse("students:edit", args=[student.code])
    zorg, coach = browser(cast.zorg), browser(cast.school_coach)
    a, b = two_forms(url, zorg, coach)
    a["phone"] = "06-22222222"
    assert zorg.post(url, a).status_code == 302
    phone = Student.objects.get(pk=student.pk).phone  # as stored (normalised)
    assert phone != student.phone
    b["email"] = "nieuw@example.nl"
    form = refused(coach.post(url, b))
    s = Student.objects.get(pk=student.pk)
    assert (s.phone, s.email, s.edit_version) == (phone, "oud@example.nl", 2)  # nothing written
    # The form now shows the other person's phone, and still the e-mail typed here.
    assert form["phone"].value() == phone
    assert form["email"].value() == "nieuw@example.nl"
    assert not form.conflicts
    # Saving again (the form as shown) keeps both.
    assert coach.post(url, form_data(form)).status_code == 302
    s.refresh_from_db()
    assert (s.phone, s.email, s.edit_version) == (phone, "nieuw@example.nl", 3)


def test_both_changing_the_same_field_shows_theirs_beside_mine(cast, student):
    url = reverse("students:edit", args=[student.code])
    zorg, coach = browser(cast.zorg), browser(cast.school_coach)
    a, b = two_forms(url, zorg, coach)
    a["email"] = "van-zorg@example.nl"
    zorg.post(url, a)
    b["email"] = "van-coach@example.nl"
    form = refused(coach.post(url, b))
    assert form["email"].value() == "van-coach@example.nl"  # mine in the field
    assert "van-zorg@example.nl" in " ".join(form.errors["email"])  # theirs beside it
    assert Student.objects.get(pk=student.pk).email == "van-zorg@example.nl"  # nothing overwritten
    html = coach.post(url, b).content.decode()
    assert "van-zorg@example.nl" in html


def test_a_save_without_a_competing_edit_goes_through_once(cast, student):
    url = reverse("students:edit", args=[student.code])
    zorg = browser(cast.zorg)
    data = form_data(zorg.get(url).context["form"])
    data["email"] = "een@example.nl"
    assert zorg.post(url, data).status_code == 302
    # The same form posted twice (a double click, the back button) is the stale case too.
    data["email"] = "twee@example.nl"
    refused(zorg.post(url, data))
    assert Student.objects.get(pk=student.pk).email == "een@example.nl"


# --- the handover ------------------------------------------------------------------------------


def test_handover_edits_by_two_people_are_both_kept(cast, student):
    handover_save(student=student, actor=cast.zorg.user, data={"what_works": "Rustig uitleggen"})
    url = reverse("students:handover", args=[student.code])
    zorg, coach = browser(cast.zorg), browser(cast.school_coach)
    a, b = two_forms(url, zorg, coach)
    a["what_works"] = "Rustig uitleggen, en op tijd bellen"
    assert zorg.post(url, a).status_code == 302
    b["risks"] = "schulden"
    form = refused(coach.post(url, b))
    handover = Handover.objects.get(student=student)
    assert handover.risks == ""  # nothing written by the refused save
    assert form["what_works"].value() == "Rustig uitleggen, en op tijd bellen"
    assert form["risks"].value() == "schulden"
    assert coach.post(url, form_data(form)).status_code == 302
    handover.refresh_from_db()
    assert (handover.what_works, handover.risks) == ("Rustig uitleggen, en op tijd bellen", "schulden")


# --- consent texts -----------------------------------------------------------------------------


def test_two_beheerders_editing_one_draft(cast):
    from tests.factories import MembershipFactory

    other = MembershipFactory(organisation=cast.beheerder.organisation, role="beheerder")
    text = ConsentTextFactory(region=cast.region, published_at=None)
    url = reverse("consent:text_edit", args=[text.code])
    first, second = browser(cast.beheerder), browser(other)
    a, b = two_forms(url, first, second)
    a["title_nl"] = "Delen met het Doorstroompunt"
    assert first.post(url, a).status_code == 302
    b["body_nl"] = "Je school deelt je gegevens met het Doorstroompunt."
    form = refused(second.post(url, b))
    text.refresh_from_db()
    assert text.body_nl == "Je school deelt je gegevens met het RMC en je gemeente."
    assert form["title_nl"].value() == "Delen met het Doorstroompunt"
    assert second.post(url, form_data(form)).status_code == 302
    text.refresh_from_db()
    assert (text.title_nl, text.body_nl) == (
        "Delen met het Doorstroompunt",
        "Je school deelt je gegevens met het Doorstroompunt.",
    )
    assert ConsentText.objects.get(pk=text.pk).edit_version == 3


# --- organisation settings --------------------------------------------------------------------


def test_two_beheerders_editing_one_organisation(cast):
    from tests.factories import MembershipFactory

    other = MembershipFactory(organisation=cast.beheerder.organisation, role="beheerder")
    organisation = cast.school
    url = reverse("accounts:organisation_edit", args=[organisation.code])
    first, second = browser(cast.beheerder), browser(other)
    a, b = two_forms(url, first, second)
    a["name"] = "ROC IJsselland Zwolle"
    assert first.post(url, a).status_code == 302
    b["email"] = "info@rocijsselland.example"
    form = refused(second.post(url, b))
    assert Organisation.objects.get(pk=organisation.pk).email == organisation.email
    assert form["name"].value() == "ROC IJsselland Zwolle"
    assert second.post(url, form_data(form)).status_code == 302
    organisation.refresh_from_db()
    assert (organisation.name, organisation.email) == ("ROC IJsselland Zwolle", "info@rocijsselland.example")


def test_checkboxes_choices_and_dates_merge_field_by_field(cast, student):
    """The merge is per field whatever the widget: a multiple choice, a date, a foreign key."""
    url = reverse("students:edit", args=[student.code])
    zorg, coach = browser(cast.zorg), browser(cast.school_coach)
    a, b = two_forms(url, zorg, coach)
    a["support_needs"] = ["work", "housing"]
    assert zorg.post(url, a).status_code == 302
    b["date_of_birth"] = "2007-03-04"
    form = refused(coach.post(url, b))
    assert sorted(form["support_needs"].value()) == ["housing", "work"]
    assert str(form["date_of_birth"].value()) == "2007-03-04"
    assert coach.post(url, form_data(form)).status_code == 302
    s = Student.objects.get(pk=student.pk)
    assert sorted(s.support_needs) == ["housing", "work"] and s.date_of_birth == dt.date(2007, 3, 4)


def test_the_service_checks_the_version_inside_its_transaction(cast, student):
    from kwint.lib.locking import StaleVersion, locked_for_update
    from students.services import student_update

    student_update(student=student, actor=None, data={"email": "a@example.nl"}, version=1)
    with pytest.raises(StaleVersion) as stale:
        student_update(student=student, actor=None, data={"phone": "0612345678"}, version=1)
    assert stale.value.current.email == "a@example.nl" and stale.value.current.edit_version == 2
    # A caller without a form (a script, a service) passes no version: no check.
    assert student_update(student=student, actor=None, data={"email": "b@example.nl"}) == ["email"]
    assert locked_for_update(Student, student.pk, 3).email == "b@example.nl"
