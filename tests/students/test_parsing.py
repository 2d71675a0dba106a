"""Reading exports and cleaning values: encodings, delimiters, dates, phones, postcodes, XLSX."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from students import parsing

HEADER = "Studentnummer;Voornaam;Achternaam;Woonplaats\n"
ROW = "123;Özlem;d'Amico;'s-Hertogenbosch\n"


@pytest.mark.parametrize(
    "data",
    [
        (HEADER + ROW).encode("utf-8"),
        b"\xef\xbb\xbf" + (HEADER + ROW).encode("utf-8"),
        (HEADER + ROW).encode("cp1252"),
        (HEADER + ROW).replace(";", ",").encode("utf-8"),
        (HEADER + ROW).replace("\n", "\r\n").encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "windows-1252", "comma", "crlf"],
)
def test_it_reads_csv_in_every_encoding_and_delimiter(data):
    headers, rows = parsing.read_upload("export.csv", data)
    assert headers == ["Studentnummer", "Voornaam", "Achternaam", "Woonplaats"]
    assert rows == [["123", "Özlem", "d'Amico", "'s-Hertogenbosch"]]


def test_it_keeps_quoted_commas_and_pads_short_rows():
    headers, rows = parsing.read_upload("x.csv", b'Naam,Plaats,Klas\n"Vries, de",Zwolle\n\n')
    assert rows == [["Vries, de", "Zwolle", ""]]


def test_it_reads_xlsx_with_date_and_number_cells():
    wb = Workbook()
    ws = wb.active
    ws.append(["Studentnummer", "Achternaam", "Geb.datum", "Mobiel"])
    ws.append([123456, "Özdil", dt.datetime(2006, 2, 28), 612345678])
    buffer = io.BytesIO()
    wb.save(buffer)
    headers, rows = parsing.read_upload("lijst.xlsx", buffer.getvalue())
    assert headers == ["Studentnummer", "Achternaam", "Geb.datum", "Mobiel"]
    assert rows == [["123456", "Özdil", "2006-02-28", "612345678"]]
    assert parsing.clean_date(rows[0][2]) == dt.date(2006, 2, 28)
    assert parsing.clean_phone(rows[0][3]) == "+31612345678"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [("leeg.csv", b"", "leeg"), ("kapot.xlsx", b"PK\x03\x04nonsense", "Excel"), ("x.csv", b"\n\n", "leeg")],
)
def test_it_rejects_unreadable_files_in_dutch(name, data, message):
    with pytest.raises(parsing.UploadError, match=message):
        parsing.read_upload(name, data)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("31-07-2026", dt.date(2026, 7, 31)),
        ("1-7-2026", dt.date(2026, 7, 1)),
        ("01/07/2026", dt.date(2026, 7, 1)),
        ("2026-07-01", dt.date(2026, 7, 1)),
        ("2026-07-01 00:00:00", dt.date(2026, 7, 1)),
        ("46204", dt.date(2026, 7, 1)),  # Excel serial day number
        ("", None),
    ],
)
def test_it_reads_dutch_iso_and_excel_dates(raw, expected):
    assert parsing.clean_date(raw) == expected


@pytest.mark.parametrize(("raw", "message"), [("31-02-2026", "bestaat niet"), ("morgen", "geen datum")])
def test_it_explains_bad_dates_in_dutch(raw, message):
    with pytest.raises(ValidationError, match=message):
        parsing.clean_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("06-12345678", "+31612345678"),
        ("06 1234 5678", "+31612345678"),
        ("+31 6 12345678", "+31612345678"),
        ("0031612345678", "+31612345678"),
        ("612345678", "+31612345678"),
        ("038-4567890", "+31384567890"),
        ("+32 470 12 34 56", "+32470123456"),
        ("", ""),
    ],
)
def test_it_normalises_phone_numbers(raw, expected):
    assert parsing.clean_phone(raw) == expected


@pytest.mark.parametrize("raw", ["geen", "06-1234", "123456789012345678", "jan@example.nl"])
def test_it_rejects_what_is_not_a_phone(raw):
    with pytest.raises(ValidationError, match="geen telefoonnummer"):
        parsing.clean_phone(raw)


@pytest.mark.parametrize(("raw", "expected"), [("8011ab", "8011 AB"), (" 8011 AB ", "8011 AB"), ("", "")])
def test_it_normalises_postcodes(raw, expected):
    assert parsing.clean_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["0123 AB", "8011", "8011 A1", "Zwolle"])
def test_it_rejects_bad_postcodes(raw):
    with pytest.raises(ValidationError, match="geen postcode"):
        parsing.clean_postcode(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [("Entree", 1), ("niveau 2", 2), ("N3", 3), ("4", 4), ("", None), ("MBO 2", 2)]
)
def test_it_reads_levels(raw, expected):
    assert parsing.clean_level(raw) == expected


def test_it_rejects_unknown_levels():
    with pytest.raises(ValidationError, match="Onbekend niveau"):
        parsing.clean_level("hbo")


def test_small_cleaners():
    assert parsing.clean_leerweg("bol-vt") == "BOL"
    assert parsing.clean_cohort("2025-2026") == 2026
    assert parsing.clean_crebo(" 25453 ") == "25453"
    assert parsing.clean_email(" Jan@Example.NL ") == "jan@example.nl"
    assert parsing.clean_yes_no("Ja") is True
    assert parsing.clean_text("  's-Hertogenbosch ") == "'s-Hertogenbosch"
    for cleaner, bad in [
        (parsing.clean_leerweg, "HBO"),
        (parsing.clean_cohort, "volgend jaar"),
        (parsing.clean_crebo, "2545"),
        (parsing.clean_email, "geen-mail"),
        (parsing.clean_yes_no, "misschien"),
    ]:
        with pytest.raises(ValidationError):
            cleaner(bad)
