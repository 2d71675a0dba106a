"""The consent history is append-only, in Python and in PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import PROTECT

from consent.models import ConsentRecord, CurrentConsent, Purpose, Status
from tests.factories import give_consent


def test_a_new_answer_leaves_the_old_row_intact(student):
    first = give_consent(student, Purpose.SHARING, Status.GIVEN)
    second = give_consent(student, Purpose.SHARING, Status.WITHDRAWN)
    first_again = ConsentRecord.objects.get(pk=first.pk)
    assert first_again.status == Status.GIVEN
    assert first_again.answered_at == first.answered_at
    assert ConsentRecord.objects.filter(student=student).count() == 2
    assert CurrentConsent.objects.get(student=student, purpose=Purpose.SHARING).record == second


def test_python_refuses_to_edit_or_delete_a_record(student):
    record = give_consent(student)
    record.note = "x"
    with pytest.raises(RuntimeError):
        record.save()
    with pytest.raises(RuntimeError):
        record.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_the_database_refuses_raw_update_and_delete(student):
    record = give_consent(student)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE consent_consentrecord SET status = 'refused' WHERE id = %s", [record.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM consent_consentrecord WHERE id = %s", [record.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentRecord.objects.filter(pk=record.pk).update(note="", status=Status.REFUSED)
    assert ConsentRecord.objects.get(pk=record.pk).status == Status.GIVEN


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_the_avg_erasure_may_blank_the_privacy_fields_only(student):
    from consent.services import consent_record

    record = consent_record(
        student=student,
        purpose=Purpose.SHARING,
        status=Status.GIVEN,
        method=ConsentRecord.Method.PAPER,
        text=None,
        given_by=ConsentRecord.GivenBy.PARENT,
        representative_name="Fatma Özdil",
        note="Moeder tekende",
    )
    ConsentRecord.objects.filter(pk=record.pk).update(**dict.fromkeys(ConsentRecord.PRIVACY_FIELDS, ""))
    # Setting them to something other than blank is an edit, and refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentRecord.objects.filter(pk=record.pk).update(note="changed")
    blanked = ConsentRecord.objects.get(pk=record.pk)
    assert (blanked.representative_name, blanked.note, blanked.status) == ("", "", Status.GIVEN)


def test_a_student_with_consent_history_is_protected_from_deletion():
    # Erasure pseudonymises; a cascade would silently destroy the proof of consent.
    assert ConsentRecord._meta.get_field("student").remote_field.on_delete is PROTECT


def test_a_published_text_cannot_be_saved_again(cast):
    from tests.factories import ConsentTextFactory

    text = ConsentTextFactory(region=cast.region)
    text.body_nl = "Stiekem anders"
    with pytest.raises(RuntimeError):
        text.save()
