"""The zorgcoördinator's workflow in Chromium: import a messy list, write and offer a
handover, and accept it as the receiving coordinator."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from consent.models import Purpose
from students.models import Handover, Student
from tests.browser.conftest import assert_accessible, browser_login
from tests.factories import StudentFactory, give_consent

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "Studentnummer;Voornaam;Tussenvoegsel;Achternaam;Geb.datum;Mobiel;Postcode;Gemeente;Crebo;Niveau;Klas"
GOOD = [
    "2001;Özlem;;d'Amico;1-2-2006;06-12345678;8011ab;Zwolle;25453;2;L2A",
    "2002;Jan;van 't;Hof;2006-03-04;0612345679;8012 CD;zwolle;25453;Entree;L2A",
]
BAD = [
    "2003;Sem;;Bakker;31-02-2006;06-12345670;;Zwolle;25453;2;L2A",  # a date that does not exist
    "2004;Noor;;Visser;01-01-2006;bellen via moeder;;Zwolle;25453;2;L2A",  # not a phone
    "2005;Daan;;Smit;01-01-2006;;;Zwolle;25453;hbo;L2A",  # unknown level
]


def _csv(rows):
    # As Dutch Excel saves it: semicolons, Windows-1252, CRLF.
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode("cp1252")


def _upload(page, rows, name, check_accessible=False):
    page.goto(page.base_url + "/jongeren/importeren/")
    if check_accessible:
        assert_accessible(page)
    page.get_by_label("Bestand").set_input_files({"name": name, "mimeType": "text/csv", "buffer": _csv(rows)})
    page.get_by_role("button", name="Bestand uploaden").click()
    # The worker reads the file; the page polls (htmx) and moves on by itself.
    expect(page.get_by_role("heading", name="Kolommen koppelen")).to_be_visible(timeout=30_000)
    # Guessed from the Dutch headers, no clicking needed.
    expect(page.get_by_label("Geboortedatum")).to_have_value("Geb.datum")
    if check_accessible:
        assert_accessible(page)
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    expect(page.get_by_role("heading", name="Voorbeeld van de import")).to_be_visible()


def test_import_a_messy_csv_fix_it_and_confirm(page, cast, password, celery_worker_process):
    browser_login(page, cast.zorg.user.email, password)
    _upload(page, GOOD + BAD, "export-messy.csv", check_accessible=True)
    expect(page.get_by_text("31-02-2006 bestaat niet als datum.")).to_be_visible()
    expect(page.get_by_text("'bellen via moeder' is geen telefoonnummer").first).to_be_visible()
    expect(page.get_by_text("Onbekend niveau 'hbo'")).to_be_visible()
    assert_accessible(page)
    assert Student.objects.count() == 0  # nothing written before the confirm

    fixed = [
        BAD[0].replace("31-02-2006", "28-02-2006"),
        BAD[1].replace("bellen via moeder", "06 1234 5671"),
        BAD[2].replace("hbo", "2"),
    ]
    page.get_by_role("link", name="upload nu een verbeterd bestand").click()
    _upload(page, GOOD + fixed, "export-verbeterd.csv")
    expect(page.get_by_text("Fout: 0")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Bevestigen: 5 nieuw")).click()
    expect(page.get_by_role("heading", name="Import verwerkt")).to_be_visible()
    assert_accessible(page)
    assert Student.objects.filter(school=cast.school).count() == 5
    noor = Student.objects.get(student_number="2004")
    assert noor.phone == "+31612345671" and Student.objects.get(student_number="2001").last_name == "d'Amico"
    assert page.console_errors == []


def test_a_file_that_is_no_student_list_is_explained_on_the_page(page, cast, password, celery_worker_process):
    browser_login(page, cast.zorg.user.email, password)
    page.goto(page.base_url + "/jongeren/importeren/")
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
    page.get_by_label("Bestand").set_input_files({"name": "studenten.csv", "mimeType": "text/csv", "buffer": png})
    page.get_by_role("button", name="Bestand uploaden").click()
    expect(page.get_by_role("heading", name="Dit bestand kan Kwint niet importeren")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Dit is geen tabel maar een PNG-bestand.")).to_be_visible()
    expect(page.get_by_text("Kwint verwacht een CSV-bestand")).to_be_visible()
    assert_accessible(page)
    assert page.console_errors == []
    assert Student.objects.count() == 0


def test_the_reading_page_shows_progress_and_is_accessible(page, cast, password):
    from students.models import ImportBatch

    batch = ImportBatch.objects.create(
        school=cast.school, created_by=cast.zorg.user, filename="export.csv", state=ImportBatch.State.READING
    )
    ImportBatch.objects.filter(pk=batch.pk).update(progress=3000)
    browser_login(page, cast.zorg.user.email, password)
    page.goto(page.base_url + f"/jongeren/importeren/{batch.code}/lezen/")
    expect(page.get_by_role("status")).to_contain_text("Het bestand wordt gelezen: 3000 regels gelezen")
    assert_accessible(page)
    # The page polls: once the worker is done it moves on to the columns by itself.
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportBatch.State.UPLOADED,
        headers=["Studentnummer", "Voornaam", "Achternaam"],
        rows=[["1", "Jan", "Jansen"]],
    )
    expect(page.get_by_role("heading", name="Kolommen koppelen")).to_be_visible()
    assert page.console_errors == []


def test_write_offer_and_accept_a_handover(page, cast, password):
    student = StudentFactory(
        school=cast.school, municipality=cast.municipality, first_name="Özlem", last_name="d'Amico"
    )
    browser_login(page, cast.zorg.user.email, password)
    page.goto(page.base_url + f"/jongeren/{student.code}/bewerken/")
    page.get_by_label("Mobiel nummer").fill("06-1234")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("geen telefoonnummer").first).to_be_visible()
    assert_accessible(page)
    page.goto(page.base_url + f"/jongeren/{student.code}/")
    page.get_by_role("link", name="Warme overdracht").click()
    page.get_by_label("Wat wil de jongere (eigen woorden)").fill("Ik wil monteur worden bij een echte garage.")
    page.get_by_label("Wat werkt bij deze jongere").fill("Appen werkt beter dan bellen.")
    page.get_by_label("Geld / schulden").check()
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_text("Concept opgeslagen")).to_be_visible()
    assert_accessible(page)

    # Without consent the RMC is out of reach: Kwint says why and keeps the draft.
    page.get_by_label("Aanbieden aan").select_option(label="RMC IJssel-Vecht (RMC / Doorstroompunt)")
    page.get_by_role("button", name="Opslaan en aanbieden").click()
    expect(page.get_by_text("Deze overdracht kan nog niet worden aangeboden")).to_be_visible()
    assert student.handovers.get().status == Handover.Status.DRAFT

    give_consent(student, Purpose.SHARING)  # recorded at the diploma table
    page.get_by_label("Aanbieden aan").select_option(label="RMC IJssel-Vecht (RMC / Doorstroompunt)")
    page.get_by_role("button", name="Opslaan en aanbieden").click()
    expect(page.get_by_text("Overdracht aangeboden aan RMC IJssel-Vecht.", exact=True)).to_be_visible()

    # The receiving side: the RMC coordinator accepts and assigns a coach.
    page.context.clear_cookies()
    browser_login(page, cast.coordinator.user.email, password)
    page.goto(page.base_url + "/jongeren/overdrachten/")
    assert_accessible(page)
    page.get_by_role("link", name=student.full_name).click()
    expect(page.get_by_text("Ik wil monteur worden bij een echte garage.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Coach die de jongere gaat begeleiden").select_option(
        label=f"{cast.coach.user.full_name} (0 van 60 jongeren)"
    )
    page.get_by_role("button", name="Accepteren en coach toewijzen").click()
    expect(page.get_by_text("Overdracht geaccepteerd.")).to_be_visible()
    student.refresh_from_db()
    assert student.coach == cast.coach.user and student.guiding_organisation == cast.rmc

    # And the school sees the outcome on its start page.
    page.context.clear_cookies()
    browser_login(page, cast.zorg.user.email, password)
    expect(page.get_by_role("heading", name="Recente besluiten over overdrachten")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=student.full_name).first.click()
    expect(page.get_by_role("heading", name="Tijdlijn")).to_be_visible()
    assert_accessible(page)
    assert page.console_errors == []


def test_offer_a_whole_class_at_once(page, cast, password):
    consenting = StudentFactory.create_batch(2, school=cast.school, class_name="L2A", last_name="Met")
    for s in consenting:
        give_consent(s, Purpose.SHARING)
    without = StudentFactory(school=cast.school, class_name="L2A", last_name="Zonder")
    StudentFactory(school=cast.school, class_name="L2B", last_name="Anderklas")
    browser_login(page, cast.zorg.user.email, password)
    page.get_by_label("Klas").fill("L2A")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    page.get_by_label("Alle studenten op deze pagina selecteren").check()  # students.js ticks every row
    page.get_by_label("Aanbieden aan organisatie").select_option(label="RMC IJssel-Vecht (RMC / Doorstroompunt)")
    page.get_by_role("button", name="Geselecteerde studenten aanbieden").click()
    expect(page.get_by_role("heading", name="2 aangeboden")).to_be_visible()
    expect(page.get_by_role("heading", name="1 niet aangeboden: toestemming ontbreekt")).to_be_visible()
    expect(page.get_by_role("cell", name=without.full_name)).to_be_visible()
    assert_accessible(page)
    assert Handover.objects.filter(status=Handover.Status.OFFERED).count() == 2
    assert page.console_errors == []
