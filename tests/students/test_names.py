"""Names in one normal form on every way in (issue 11): import, the student form, the account
forms, the consent form and the model itself; "Ĳ" and "IJ" are the same name."""

import pytest
from django.urls import reverse

from accounts.forms import UserForm
from accounts.models import User
from consent.forms import RecordForm
from students.models import Student
from tests.accounts.test_beheer_users import invite_data
from tests.factories import StudentFactory
from tests.students.factories import csv_bytes, upload_and_preview
from tests.students.test_views import _form_data

pytestmark = pytest.mark.django_db


def test_the_import_stores_names_normalised(cast):
    row = "1001; Sem ;van\u00a0der;\u0132ssel\u200bmuiden;01-02-2006;;;;;;2;;2026"
    batch = upload_and_preview(cast.school, cast.zorg.user, csv_bytes(row))
    assert batch.preview[0]["values"]["last_name"] == "IJsselmuiden"
    assert batch.preview[0]["values"]["tussenvoegsel"] == "van der"


def test_the_student_form_stores_names_normalised(cast, login):
    data = _form_data(first_name="  Jan\u200b  ", tussenvoegsel="van  der", last_name="\u0132sselmuiden", roepnaam="")
    response = login(cast.zorg).post(reverse("students:new"), data)
    assert response.status_code == 302
    student = Student.objects.get(student_number="777")
    assert (student.first_name, student.tussenvoegsel, student.last_name) == ("Jan", "van der", "IJsselmuiden")


def test_a_name_of_only_invisible_characters_is_refused(cast, login):
    response = login(cast.zorg).post(reverse("students:new"), _form_data(first_name="\u200b\u00ad"))
    assert response.status_code == 200
    assert response.context["form"].errors["first_name"] == ["Dit veld is verplicht."]
    assert not Student.objects.exists()


def test_the_model_normalises_whatever_writes_it(cast):
    student = StudentFactory(school=cast.school, first_name="\u0133sbrand ", last_name="d\u2019Amico")
    student.refresh_from_db()
    assert (student.first_name, student.last_name) == ("ijsbrand", "d'Amico")


def test_account_forms_normalise_the_persons_name(cast, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.beheerder).post(
            reverse("accounts:user_invite"), invite_data(cast, full_name=" Noor  \u0132sselstein\u200b")
        )
    assert response.status_code == 302
    assert User.objects.get(email="noor.yilmaz@kwint.test").full_name == "Noor IJsselstein"
    form = UserForm({"full_name": "\u200b", "email": "x@kwint.test", "language": "nl"}, instance=cast.coach.user)
    assert form.errors["full_name"] == ["Vul de naam in."]


def test_the_consent_form_normalises_the_parents_name(cast, student):
    form = RecordForm(data={"representative_name": " Ria\u00a0\u0132zerman "}, student=student, texts={})
    form.is_valid()
    assert form.cleaned_data["representative_name"] == "Ria IJzerman"
