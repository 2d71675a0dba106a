"""Dates bounded to what is possible, one rule in the student form and the import (issue 11):
diploma date 2999-01-01, birth date 9999-12-31 and cohort 99999 were accepted in both."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from students import importing, parsing, validators
from students.models import Student
from tests.factories import StudentFactory
from tests.students.factories import statuses, upload
from tests.students.test_views import _form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    # The messages are checked in Dutch, whatever language an earlier test left active.
    with time_machine.travel(dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC), tick=False), translation.override("nl"):
        yield


TODAY = dt.date(2026, 9, 1)


@pytest.mark.parametrize(
    ("born", "ok"),
    [
        ("9999-12-31", False),
        ("2026-09-02", False),  # tomorrow
        ("2012-09-02", False),  # 13 today, 14 tomorrow
        ("2012-09-01", True),  # 14 today
        ("1995-09-02", True),  # 30, 31 tomorrow
        ("1995-09-01", False),  # 31 today
        ("1900-01-01", False),
    ],
)
def test_birth_date_gives_an_age_from_14_to_30(born, ok):
    day = dt.date.fromisoformat(born)
    if ok:
        validators.validate_birth_date(day)
    else:
        with pytest.raises(ValidationError):
            validators.validate_birth_date(day)


def test_the_messages_say_what_is_possible():
    with pytest.raises(ValidationError, match="ligt in de toekomst"):
        validators.validate_birth_date(dt.date(9999, 12, 31))
    with pytest.raises(ValidationError, match="nu 40 jaar. Kwint is voor jongeren van 14 tot en met 30 jaar"):
        validators.validate_birth_date(dt.date(1986, 1, 1))
    with pytest.raises(ValidationError, match="uiterlijk op 1 september 2028"):
        validators.validate_diploma_date(dt.date(2999, 1, 1))
    with pytest.raises(ValidationError, match="niet vóór 2015"):
        validators.validate_diploma_date(dt.date(2014, 12, 31))
    with pytest.raises(ValidationError, match="jaartal van 2015 tot en met 2028"):
        validators.validate_cohort(99999)


@pytest.mark.parametrize(
    ("day", "ok"),
    [("2015-01-01", True), ("2014-12-31", False), ("2028-09-01", True), ("2028-09-02", False), ("2999-01-01", False)],
)
def test_diploma_date_from_2015_to_two_years_ahead(day, ok):
    value = dt.date.fromisoformat(day)
    if ok:
        validators.validate_diploma_date(value)
    else:
        with pytest.raises(ValidationError):
            validators.validate_diploma_date(value)


@pytest.mark.parametrize(("raw", "expected"), [("2015", 2015), ("2028", 2028), ("2027-2028", 2028)])
def test_cohort_is_a_four_digit_year_in_range(raw, expected):
    assert parsing.clean_cohort(raw) == expected


@pytest.mark.parametrize("raw", ["99999", "2014", "2029", "26", "2025-2029"])
def test_cohort_out_of_range_is_refused(raw):
    with pytest.raises(ValidationError):
        parsing.clean_cohort(raw)


def test_contact_moments_cannot_lie_in_the_future():
    now = dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC)
    validators.validate_not_future(now + dt.timedelta(minutes=4), now)
    with pytest.raises(ValidationError, match="in de toekomst"):
        validators.validate_not_future(now + dt.timedelta(minutes=6), now)


# ---------------------------------------------------------------- the form


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "9999-12-31", "ligt in de toekomst"),
        ("date_of_birth", "1980-01-01", "Kwint is voor jongeren van 14 tot en met 30 jaar"),
        ("expected_diploma_date", "2999-01-01", "hoogstens twee jaar vooruit"),
        ("outcome_date", "2010-06-30", "niet vóór 2015"),
        ("cohort", "99999", "jaartal van 2015 tot en met 2028"),
    ],
)
def test_the_student_form_refuses_impossible_dates_per_field(cast, login, field, value, message):
    extra = {"outcome": "diploma"} if field == "outcome_date" else {}
    response = login(cast.zorg).post(reverse("students:new"), _form_data(**{field: value}, **extra))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field] and message in errors[field][0]
    assert not Student.objects.exists()


def test_the_form_offers_only_possible_dates(cast, login):
    form = login(cast.zorg).get(reverse("students:new")).context["form"]
    assert form.fields["date_of_birth"].widget.attrs == {"min": "1995-09-02", "max": "2012-09-01"} | {
        k: v for k, v in form.fields["date_of_birth"].widget.attrs.items() if k not in {"min", "max"}
    }
    assert form.fields["expected_diploma_date"].widget.attrs["max"] == "2028-09-01"
    assert form.fields["cohort"].widget.attrs["min"] == 2015


def test_an_old_value_already_on_the_record_does_not_block_an_edit(cast, login):
    # Imported years ago: now 31, and a cohort before 2015. Changing the phone must still work.
    student = StudentFactory(school=cast.school, date_of_birth=dt.date(1995, 1, 1), cohort=2014)
    data = _form_data(
        date_of_birth="1995-01-01", cohort="2014", student_number=student.student_number, phone="0612345679"
    )
    response = login(cast.zorg).post(reverse("students:edit", args=[student.code]), data)
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.phone == "+31612345679"


# ---------------------------------------------------------------- the import


def test_the_import_refuses_the_same_impossible_values_per_field(cast):
    data = (
        b"Studentnummer;Voornaam;Achternaam;Geb.datum;Cohort;Verwachte diplomadatum\n"
        b"1;Jan;Jansen;01-02-2006;2026;01-07-2026\n"
        b"2;Piet;Smit;31-12-9999;2026;01-07-2026\n"
        b"3;Ans;Berg;01-02-2006;99999;01-07-2026\n"
        b"4;Kees;Bos;01-02-2006;2026;01-01-2999\n"
        b"5;Els;Dam;01-01-1980;2026;01-07-2026\n"
    )
    batch = upload(cast.school, cast.zorg.user, data)
    batch = importing.import_preview(batch=batch, mapping=batch.mapping, user=cast.zorg.user)
    assert statuses(batch) == ["created", "error", "error", "error", "error"]
    errors = [r["errors"] for r in sorted(batch.preview, key=lambda r: r["row"])]
    assert errors[1] == {"date_of_birth": "Deze geboortedatum ligt in de toekomst."}
    assert list(errors[2]) == ["cohort"] and "2015 tot en met 2028" in errors[2]["cohort"]
    assert list(errors[3]) == ["expected_diploma_date"]
    assert list(errors[4]) == ["date_of_birth"] and "46 jaar" in errors[4]["date_of_birth"]


def test_the_import_refuses_text_longer_than_the_field(cast):
    data = ("Studentnummer;Voornaam;Achternaam\n1;" + "J" * 101 + ";Jansen\n").encode()
    batch = upload(cast.school, cast.zorg.user, data)
    batch = importing.import_preview(batch=batch, mapping=batch.mapping, user=cast.zorg.user)
    assert batch.preview[0]["errors"] == {"first_name": "Te lang: hoogstens 100 tekens."}
