"""Consent services and selectors: which text applies, under 16, withdrawal, texts, counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from consent.models import ConsentRecord, ConsentText, CurrentConsent, Purpose, Status
from consent.selectors import applicable_texts, consent_counts, consent_states, renewal_due
from consent.services import (
    ConsentTextFrozen,
    consent_answers_record,
    consent_text_create,
    consent_text_publish,
    consent_text_update,
    consent_withdraw,
)
from students.access import students_visible_to
from students.models import Outcome, TimelineEvent
from students.timeline import render
from tests.consent.factories import birthday_years_ago, make_student, publish_texts
from tests.factories import ConsentTextFactory, OrganisationFactory, StudentFactory, give_consent


def test_the_school_text_wins_over_the_region_text(cast, student):
    region_texts = publish_texts(cast.region)
    school_text = ConsentTextFactory(region=cast.region, school=cast.school, purpose=Purpose.SHARING, version=1)
    texts = applicable_texts(student)
    assert texts[Purpose.SHARING] == school_text
    assert texts[Purpose.CONTACT] == region_texts[Purpose.CONTACT]


def test_the_latest_published_version_in_effect_applies(cast, student):
    today = timezone.localdate()
    v1 = ConsentTextFactory(region=cast.region, purpose=Purpose.SHARING, version=1, effective_from=dt.date(2020, 1, 1))
    ConsentTextFactory(region=cast.region, purpose=Purpose.SHARING, version=2, published_at=None)  # draft
    ConsentTextFactory(
        region=cast.region, purpose=Purpose.SHARING, version=3, effective_from=today + dt.timedelta(days=1)
    )
    other_school = OrganisationFactory(region=cast.region)
    ConsentTextFactory(region=cast.region, school=other_school, purpose=Purpose.SHARING, version=9)
    assert applicable_texts(student)[Purpose.SHARING] == v1
    assert applicable_texts(student, today + dt.timedelta(days=1))[Purpose.SHARING].version == 3


def _answer(student, texts, **kw):
    defaults = {"method": ConsentRecord.Method.PAPER, "answers": {Purpose.SHARING: Status.GIVEN}}
    return consent_answers_record(student=student, texts=texts, **(defaults | kw))


def test_under_16_a_parent_must_answer_and_be_named(cast):
    student = make_student(cast, date_of_birth=birthday_years_ago(15))
    texts = publish_texts(cast.region)
    with pytest.raises(ValidationError) as error:
        _answer(student, texts)
    assert "jonger dan 16" in str(error.value)
    with pytest.raises(ValidationError) as error:
        _answer(student, texts, given_by=ConsentRecord.GivenBy.PARENT)
    assert "naam van de ouder" in str(error.value)
    assert not ConsentRecord.objects.filter(student=student).exists()
    (record,) = _answer(student, texts, given_by=ConsentRecord.GivenBy.PARENT, representative_name="Ayşe Yılmaz")
    assert record.representative_name == "Ayşe Yılmaz"
    assert record.text == texts[Purpose.SHARING]


def test_age_counts_on_the_day_of_asking(cast):
    student = make_student(cast, date_of_birth=birthday_years_ago(16))  # 16 today
    texts = publish_texts(cast.region)
    _answer(student, texts)  # fine today
    with pytest.raises(ValidationError):
        _answer(student, texts, answered_at=timezone.now() - dt.timedelta(days=2))  # 15 two days ago


def test_withdrawal_takes_effect_at_once_and_sets_the_erase_date(cast, settings):
    settings.KWINT_RETENTION_DAYS_AFTER_WITHDRAWAL = 30
    student = make_student(cast, guiding_organisation=cast.rmc, coach=cast.coach.user, outcome=Outcome.DIPLOMA)
    give_consent(student, Purpose.SHARING)
    give_consent(student, Purpose.CONTACT)
    assert student in students_visible_to(cast.coach)
    consent_withdraw(student=student, purposes=[Purpose.SHARING], method=ConsentRecord.Method.PHONE)
    assert student not in students_visible_to(cast.coach)
    student.refresh_from_db()
    assert student.erase_after is None  # contact is still given
    consent_withdraw(student=student, purposes=[Purpose.CONTACT], method=ConsentRecord.Method.PHONE)
    student.refresh_from_db()
    assert student.erase_after == timezone.localdate() + dt.timedelta(days=30)
    event = TimelineEvent.objects.filter(student=student, event="consent_withdrawn").first()  # the latest
    assert event.kind == TimelineEvent.Kind.PRIVACY
    assert "gaat direct in" in render(event) and "Wordt gewist na" in render(event)


def test_no_erase_date_while_the_student_is_still_at_school(cast):
    student = make_student(cast, outcome=Outcome.STUDYING, outcome_date=None)
    give_consent(student, Purpose.SHARING)
    give_consent(student, Purpose.CONTACT, Status.REFUSED)
    consent_withdraw(student=student, purposes=[Purpose.SHARING], method=ConsentRecord.Method.PHONE)
    student.refresh_from_db()
    assert student.erase_after is None


def test_withdrawing_what_was_never_given_records_nothing(student):
    give_consent(student, Purpose.SHARING, Status.REFUSED)
    assert consent_withdraw(student=student, purposes=[Purpose.SHARING], method="phone") == []
    assert CurrentConsent.objects.get(student=student).status == Status.REFUSED


def test_text_versions_number_up_and_a_published_text_is_frozen(cast):
    first = consent_text_create(
        region=cast.region,
        purpose=Purpose.CONTACT,
        title_nl="Contact",
        body_nl="Tekst",
        title_en="Contact",
        body_en="Text",
        effective_from=dt.date(2026, 8, 1),
    )
    consent_text_update(text=first, body_nl="Betere tekst")
    consent_text_publish(text=first)
    with pytest.raises(ConsentTextFrozen):
        consent_text_update(text=first, body_nl="Stiekem anders")
    with pytest.raises(ConsentTextFrozen):
        consent_text_publish(text=first)
    assert ConsentText.objects.get(pk=first.pk).body_nl == "Betere tekst"
    second = consent_text_create(
        region=cast.region,
        purpose=Purpose.CONTACT,
        title_nl="Contact",
        body_nl="Nieuw",
        title_en="Contact",
        body_en="New",
        effective_from=dt.date(2026, 9, 1),
    )
    assert (first.version, second.version) == (1, 2)


def test_renewal_is_due_at_18_for_a_guardians_consent(cast):
    texts = publish_texts(cast.region)
    student = make_student(cast, date_of_birth=birthday_years_ago(18))
    _answer(
        student,
        texts,
        given_by=ConsentRecord.GivenBy.GUARDIAN,
        representative_name="J. Jansen",
        answered_at=timezone.now() - dt.timedelta(days=800),
    )
    assert renewal_due(student, consent_states(student))
    _answer(student, texts)  # the young person renews it
    assert not renewal_due(student, consent_states(student))


def test_consent_counts_group_per_school_and_programme_in_one_query(cast, django_assert_num_queries):
    def make(programme, state):
        s = make_student(cast, programme_name=programme)
        if state:
            give_consent(s, Purpose.SHARING, Status.GIVEN)
            if state != Status.GIVEN:
                give_consent(s, Purpose.SHARING, state)
        give_consent(s, Purpose.RESEARCH, Status.GIVEN)  # another purpose never counts
        return s

    for state in (None, Status.GIVEN, Status.GIVEN, Status.REFUSED, Status.WITHDRAWN):
        make("Logistiek", state)
    make("Zorg", Status.GIVEN)
    StudentFactory(school=cast.other_school, region=cast.other_school.region)
    with django_assert_num_queries(1):
        rows = consent_counts(cast.region)
    by_programme = {r["programme_name"]: r for r in rows}
    assert by_programme["Logistiek"] | {} == {
        "school": "ROC IJsselland",
        "programme_name": "Logistiek",
        "total": 5,
        "asked": 4,
        "given": 2,
        "refused": 1,
        "withdrawn": 1,
    }
    assert by_programme["Zorg"]["given"] == 1
    assert len(rows) == 2


def test_the_regional_dashboard_uses_the_counts(cast, login):
    for _ in range(5):
        give_consent(make_student(cast), Purpose.SHARING, Status.GIVEN)
    make_student(cast)
    html = login(cast.coordinator).get(reverse("dashboards:region")).content.decode()
    assert 'id="table-consent"' in html
    from dashboards.selectors import consent_table, dashboard_scope

    scope = dashboard_scope(cast.coordinator)
    table = consent_table(scope, scope.consent_students())
    row = table.rows.index(Purpose.SHARING.label)
    # given 5, refused 0, withdrawn 0, not asked 1 (hidden), 6 in all.
    assert table.grid()[row] == [5, 0, 0, 1, 6]
    assert dict(table.display_rows())[Purpose.SHARING.label][3] == "<5"
