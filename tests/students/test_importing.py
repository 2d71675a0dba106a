"""The import services: mapping guesses, preview classification, matching, confirm."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from students import import_confirm as confirming
from students import importing
from students.models import ImportBatch, ImportMapping, Student, TimelineEvent
from tests.factories import StudentFactory
from tests.students.factories import HEADER, csv_bytes, statuses, upload, upload_and_preview

pytestmark = pytest.mark.django_db

GOOD = "1001;Özlem;;d'Amico;01-02-2006;06-12345678;8011ab;Zwolle;Medewerker logistiek;25453;2;L2A;2026"


def test_it_guesses_dutch_headers(cast):
    headers = ["Studentnummer", "Roepnaam", "Achternaam", "Geb.datum", "Crebo", "Niveau", "Vreemde kolom"]
    mapping = importing.mapping_guess(school=cast.school, headers=headers)
    assert mapping == {
        "student_number": "Studentnummer",
        "roepnaam": "Roepnaam",
        "last_name": "Achternaam",
        "date_of_birth": "Geb.datum",
        "crebo": "Crebo",
        "level": "Niveau",
    }


def test_it_remembers_the_mapping_per_school(cast):
    data = b"Nr;VN;AN\n1;Jan;Jansen\n"
    batch = upload(cast.school, cast.zorg.user, data, "a.csv")
    assert batch.mapping == {}
    mapping = {"student_number": "Nr", "first_name": "VN", "last_name": "AN"}
    importing.import_preview(batch=batch, mapping=mapping, user=cast.zorg.user)
    assert ImportMapping.objects.get(school=cast.school).mapping == mapping
    again = upload(cast.school, cast.zorg.user, data, "b.csv")
    assert again.mapping == mapping
    other = upload(cast.other_school, cast.outsider_zorg.user, data, "c.csv")
    assert other.mapping == {}


def test_preview_writes_no_student_and_reports_errors_per_field(cast):
    data = csv_bytes(
        GOOD,
        "1002;Jan;van der;Berg;31-02-2026;06-12345678;;Zwolle;;;2;;2026",
        "1003;Piet;;Bakker;01-01-2006;06-12345678;;Zwolle;;;hbo;;2026",
        "1004;;;;01-01-2006;06-12345678;;Zwolle;;;2;;2026",
        "1005;Kees;;Smit;01-01-2006;bel mij;;Zwolle;;;2;;2026",
        "1006;Ans;;Smit;01-01-2006;;;Atlantis;;;2;;2026",
    )
    batch = upload_and_preview(cast.school, cast.zorg.user, data)
    assert Student.objects.count() == 0
    assert statuses(batch) == ["created", "error", "error", "error", "error", "error"]
    errors = [r["errors"] for r in sorted(batch.preview, key=lambda r: r["row"])]
    assert "bestaat niet" in errors[1]["date_of_birth"]
    assert "Onbekend niveau" in errors[2]["level"]
    assert "ontbreekt" in errors[3]["first_name"] and "ontbreekt" in errors[3]["last_name"]
    assert "geen telefoonnummer" in errors[4]["phone"]
    assert "Onbekende gemeente" in errors[5]["municipality"]


def test_confirm_writes_valid_rows_normalised_and_reimport_changes_nothing(cast):
    data = csv_bytes(GOOD, "1002;Jan;van der;Berg;31-02-2026;;;;;;2;;2026")
    batch = upload_and_preview(cast.school, cast.zorg.user, data)
    result = confirming.import_confirm(batch=batch, user=cast.zorg.user)
    assert result == {"created": 1, "updated": 0, "unchanged": 0, "skipped": 0, "double": 0, "error": 1}
    student = Student.objects.get()
    assert (student.first_name, student.last_name) == ("Özlem", "d'Amico")
    assert student.phone == "+31612345678"
    assert student.postcode == "8011 AB"
    assert student.date_of_birth == dt.date(2006, 2, 1)
    assert student.municipality == cast.municipality and student.region == cast.region
    assert student.level == 2 and student.cohort == 2026 and student.school == cast.school
    assert student.timeline.filter(kind=TimelineEvent.Kind.IMPORTED).count() == 1
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.DONE
    assert len(batch.rows) == 1 and "bestaat niet" in batch.rows[0][-1]  # only the invalid row is kept

    before = Student.objects.values().get()
    again = upload_and_preview(cast.school, cast.zorg.user, data)
    assert statuses(again) == ["unchanged", "error"]
    assert confirming.import_confirm(batch=again, user=cast.zorg.user)["created"] == 0
    assert Student.objects.values().get() == before


def test_it_updates_changed_rows_matched_on_student_number(cast):
    student = StudentFactory(school=cast.school, student_number="1001", first_name="Özlem", last_name="d'Amico")
    data = csv_bytes(GOOD)
    batch = upload_and_preview(cast.school, cast.zorg.user, data)
    assert statuses(batch) == ["updated"]
    assert "phone" in batch.preview[0]["changes"]
    confirming.import_confirm(batch=batch, user=cast.zorg.user)
    student.refresh_from_db()
    assert student.phone == "+31612345678" and student.class_name == "L2A"
    assert student.municipality == cast.municipality and student.region == cast.region
    assert student.date_of_birth == dt.date(2006, 2, 1) and student.postcode == "8011 AB"


def test_an_empty_cell_keeps_what_kwint_holds(cast):
    student = StudentFactory(school=cast.school, student_number="1001", first_name="Jan", last_name="Berg", level=2)
    data = b"Studentnummer;Voornaam;Achternaam;Niveau;Geb.datum;Klas\n1001;Jan;Berg;;;L2C\n"
    batch = upload_and_preview(cast.school, cast.zorg.user, data)
    assert batch.preview[0]["changes"] == ["class_name"]
    confirming.import_confirm(batch=batch, user=cast.zorg.user)
    student.refresh_from_db()
    assert student.level == 2 and student.date_of_birth is not None and student.class_name == "L2C"


def test_another_schools_student_number_is_not_a_match(cast):
    StudentFactory(school=cast.other_school, student_number="1001")
    batch = upload_and_preview(cast.school, cast.zorg.user, csv_bytes(GOOD))
    assert statuses(batch) == ["created"]


def test_name_and_birth_date_match_is_a_possible_duplicate_the_user_decides(cast):
    existing = StudentFactory(
        school=cast.school,
        student_number="",
        first_name="Özlem",
        last_name="D'AMICO",
        date_of_birth=dt.date(2006, 2, 1),
    )
    rows = [GOOD, "1002;Jan;;Jansen;01-01-2006;;;;;;2;;2026"]
    batch = upload_and_preview(cast.school, cast.zorg.user, csv_bytes(*rows))
    assert statuses(batch) == ["duplicate", "created"]
    # Not confirmed: skipped, nothing changes for that row.
    result = confirming.import_confirm(batch=batch, user=cast.zorg.user)
    assert result["skipped"] == 1 and result["created"] == 1
    existing.refresh_from_db()
    assert existing.student_number == ""

    batch = upload_and_preview(cast.school, cast.zorg.user, csv_bytes(*rows))
    assert statuses(batch) == ["duplicate", "unchanged"]
    confirming.import_confirm(batch=batch, user=cast.zorg.user, decisions={0: "update"})
    existing.refresh_from_db()
    assert existing.student_number == "1001" and existing.last_name == "d'Amico"
    assert Student.objects.count() == 2


def test_duplicate_confirmed_as_someone_else_is_created(cast):
    StudentFactory(
        school=cast.school,
        student_number="",
        first_name="Özlem",
        last_name="d'Amico",
        date_of_birth=dt.date(2006, 2, 1),
    )
    batch = upload_and_preview(cast.school, cast.zorg.user, csv_bytes(GOOD))
    confirming.import_confirm(batch=batch, user=cast.zorg.user, decisions={0: "create"})
    assert Student.objects.filter(last_name="d'Amico").count() == 2


def test_the_same_row_twice_in_one_file_is_imported_once_and_shown_as_double(cast):
    batch = upload_and_preview(cast.school, cast.zorg.user, csv_bytes(GOOD, "1002;Jan;;Berg;;;;;;;2;;2026", GOOD))
    assert statuses(batch) == ["created", "created", "double"]
    double = sorted(batch.preview, key=lambda r: r["row"])[2]
    assert double["note"] == "Dubbel in bestand: zelfde als regel 2, één keer geïmporteerd." and not double["errors"]
    result = confirming.import_confirm(batch=batch, user=cast.zorg.user)
    assert result["created"] == 2 and result["double"] == 1
    assert Student.objects.filter(student_number="1001").count() == 1
    assert confirming.invalid_rows(batch) == []  # nothing to fix


def test_one_student_number_with_different_rows_is_dubbel_in_bestand_with_both_lines(cast):
    other = GOOD.replace("Özlem", "Ozlem")
    data = csv_bytes(GOOD, "1002;Jan;;Berg;;;;;;;2;;2026", "", other)  # a blank line: file line 5
    batch = upload_and_preview(cast.school, cast.zorg.user, data)
    assert statuses(batch) == ["double", "created", "double"]
    rows = sorted(batch.preview, key=lambda r: r["row"])
    for r in (rows[0], rows[2]):
        assert r["errors"]["student_number"] == (
            "Studentnummer 1001 staat dubbel in bestand (regels 2 en 5) met verschillende gegevens. "
            "Houd één regel over."
        )
    result = confirming.import_confirm(batch=batch, user=cast.zorg.user)
    assert result["created"] == 1 and result["double"] == 2
    assert not Student.objects.filter(student_number="1001").exists()
    assert [row[-2] for row in batch.rows] == ["2", "5"]  # the error file names the lines


def test_a_row_without_student_number_names_the_missing_column(cast):
    data = b"Studnr;Voornaam;Achternaam\n1001;Jan;Jansen\n;Piet;Pietersen\n"
    batch = upload(cast.school, cast.zorg.user, data)
    mapping = {"student_number": "Studnr", "first_name": "Voornaam", "last_name": "Achternaam"}
    batch = importing.import_preview(batch=batch, mapping=mapping, user=cast.zorg.user)
    assert statuses(batch) == ["created", "error"]
    assert sorted(batch.preview, key=lambda r: r["row"])[1]["errors"] == {
        "student_number": "Studentnummer ontbreekt: de kolom 'Studnr' is leeg in deze regel."
    }


def test_confirm_runs_once(cast):
    batch = upload_and_preview(cast.school, cast.zorg.user, csv_bytes(GOOD))
    confirming.import_confirm(batch=batch, user=cast.zorg.user)
    with pytest.raises(importing.ImportStateError):
        confirming.import_confirm(batch=batch, user=cast.zorg.user)
    assert Student.objects.count() == 1


def test_invalid_rows_csv_has_an_error_column_and_a_bom(cast):
    batch = upload_and_preview(cast.school, cast.zorg.user, csv_bytes(GOOD, "1002;Jan;;Berg;31-02-2026;;;;;;2;;2026"))
    text = confirming.invalid_rows_csv(batch)
    assert text.startswith("\ufeff" + HEADER + ";Regel;Fouten\r\n")
    assert "1002;Jan" in text and ";3;Geboortedatum: 31-02-2026 bestaat niet als datum." in text


def _rows(n, start=0):
    return [
        f"{i};Voor{i};;Achter{i};01-01-2006;06-1234{i % 10000:04d};;Zwolle;Logistiek;25453;2;L2A;2026"
        for i in range(start, start + n)
    ]


def test_preview_and_confirm_queries_do_not_grow_with_rows(cast):
    def count(n, start):
        batch = upload(cast.school, cast.zorg.user, csv_bytes(*_rows(n, start)), "x.csv")
        with CaptureQueriesContext(connection) as preview:
            importing.import_preview(batch=batch, mapping=batch.mapping, user=cast.zorg.user)
        with CaptureQueriesContext(connection) as confirm:
            confirming.import_confirm(batch=batch, user=cast.zorg.user)
        return len(preview), len(confirm)

    count(2, 5000)  # the first preview also creates the school's saved mapping
    assert count(5, 0) == count(300, 1000)


def test_purge_deletes_old_batches(cast):
    from django.utils import timezone

    batch = upload(cast.school, cast.zorg.user, csv_bytes(GOOD), "x.csv")
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    from students.tasks import purge_import_batches

    assert purge_import_batches() == 1
    assert not ImportBatch.objects.exists()


def test_invalid_rows_csv_neutralises_formulas(cast):
    data = b'Studentnummer;Voornaam;Achternaam;Mobiel;E-mail\n-1+2;=HYPERLINK("x");Berg;+31 6 1234;@evil\n'
    batch = upload_and_preview(cast.school, cast.zorg.user, data)
    text = confirming.invalid_rows_csv(batch)
    assert "\r\n'-1+2;" in text and "'=HYPERLINK" in text and "'@evil" in text and ";'+31 6 1234;" in text
