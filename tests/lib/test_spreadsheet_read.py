"""Reading an upload within bounds: every format a school exports, and every crafted file of
issue 17 refused quickly, in Dutch, without the memory growing with what the file claims.

"No memory blow-up" is measured with tracemalloc (Python's own allocations, where openpyxl,
csv and the rows live): the peak of reading each crafted file stays a few MB.
"""

import datetime as dt
import io
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from kwint.lib.spreadsheet_read import EXPECTED, ReadLimits, UploadError, decode_text, read_table
from tests.lib import crafted

HEADER = "Studentnummer;Voornaam;Achternaam;Woonplaats\n"
ROW = "123;Özlem;d'Amico;'s-Hertogenbosch\n"
MB = 1024 * 1024


def _peak(function, *args, **kwargs):
    """(result or exception, peak traced bytes) of one call."""
    tracemalloc.start()
    try:
        try:
            outcome = function(*args, **kwargs)
        except UploadError as exc:
            outcome = exc
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _xlsx(*rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- what schools export


@pytest.mark.parametrize(
    "data",
    [
        (HEADER + ROW).encode("utf-8"),
        b"\xef\xbb\xbf" + (HEADER + ROW).encode("utf-8"),
        (HEADER + ROW).encode("cp1252"),
        (HEADER + ROW).replace(";", ",").encode("utf-8"),
        (HEADER + ROW).replace(";", "\t").encode("utf-8"),
        (HEADER + ROW).replace("\n", "\r\n").encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "windows-1252", "comma", "tab", "crlf"],
)
def test_it_reads_csv_in_every_encoding_and_delimiter(data):
    table = read_table("export.csv", data)
    assert table.headers == ["Studentnummer", "Voornaam", "Achternaam", "Woonplaats"]
    assert table.rows == [["123", "Özlem", "d'Amico", "'s-Hertogenbosch"]]
    assert table.lines == [2]


def test_it_keeps_quoted_commas_and_pads_short_rows():
    data = b'Naam,Plaats,Klas\n"Vries, de",Zwolle,L2A\nJansen,Kampen,L2B\n"Berg, van den",Zwolle\n\n'
    table = read_table("x.csv", data)
    assert table.rows == [["Vries, de", "Zwolle", "L2A"], ["Jansen", "Kampen", "L2B"], ["Berg, van den", "Zwolle", ""]]


def test_it_reads_csv_with_old_mac_line_endings():
    table = read_table("x.csv", b"Nr;Naam\r1;Jan\r2;Piet\r")
    assert table.rows == [["1", "Jan"], ["2", "Piet"]]


def test_line_numbers_count_blank_lines_as_the_user_sees_them():
    table = read_table("x.csv", b"Nr;Naam\n\n1;Jan\n;\n2;Piet\n")
    assert table.lines == [3, 5]


def test_it_reads_xlsx_with_date_and_number_cells():
    data = _xlsx(
        ["Studentnummer", "Achternaam", "Geb.datum", "Mobiel"], [123456, "Özdil", dt.datetime(2006, 2, 28), 612345678]
    )
    table = read_table("lijst.xlsx", data)
    assert table.headers == ["Studentnummer", "Achternaam", "Geb.datum", "Mobiel"]
    assert table.rows == [["123456", "Özdil", "2006-02-28", "612345678"]]


def test_xlsx_rows_are_cut_to_the_header_and_numbered_like_excel():
    data = _xlsx(["Nr", "Naam"], [], [1, "Jan", "losse notitie"], [2, "Piet"])
    table = read_table("lijst.xlsx", data)
    assert table.rows == [["1", "Jan"], ["2", "Piet"]]
    assert table.lines == [3, 4]


def test_repeated_or_empty_headers_get_a_name_of_their_own():
    table = read_table("x.csv", b"Naam;Naam;;Klas\n1;2;3;4\n")
    assert table.headers == ["Naam", "Naam (2)", "Kolom 3", "Klas"]


def test_decode_text_prefers_utf8_and_falls_back_to_windows_1252():
    assert decode_text("Özdil".encode()) == "Özdil"
    assert decode_text("Özdil".encode("cp1252")) == "Özdil"
    assert decode_text(b"\xef\xbb\xbfNr") == "Nr"


# ---------------------------------------------------------------- files that are no student list


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("leeg.csv", b"", "Het bestand is leeg."),
        ("x.csv", b"\n\n", "Het bestand is leeg."),
        ("kapot.xlsx", b"PK\x03\x04nonsense", "beschadigd"),
        ("lijst.xlsx", b"Nr;Naam\n1;Jan\n", "heet .xlsx, maar het is geen Excel-bestand"),
        ("oud.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "oud of beveiligd Excel-bestand"),
        ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF-bestand"),
        ("een.csv", b"Naam\nJan\nPiet\n", "maar één kolom"),
    ],
)
def test_it_refuses_what_is_no_table_in_dutch(name, data, message):
    with pytest.raises(UploadError, match=message):
        read_table(name, data)


def test_a_png_renamed_to_csv_is_refused_with_what_was_expected():
    with pytest.raises(UploadError) as refused:
        read_table("studenten.csv", crafted.png())
    assert str(refused.value) == f"Dit is geen tabel maar een PNG-bestand. {EXPECTED}"


def test_binary_without_a_known_signature_is_not_text():
    data = bytes(range(1, 256)) * 100  # no NUL, no magic number
    with pytest.raises(UploadError, match="geen tekst en geen Excel-bestand"):
        read_table("export.csv", data)


def test_5000_lines_of_random_text_are_refused_not_imported():
    with pytest.raises(UploadError) as refused:
        read_table("export.csv", crafted.random_text())
    assert "In de meeste regels klopt het aantal kolommen niet met de kopregel" in str(refused.value)
    assert str(EXPECTED) in str(refused.value)


@pytest.mark.parametrize(
    ("name", "parts", "message"),
    [
        (
            "lijst.ods",
            {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"},
            "OpenDocument",
        ),
        ("brief.xlsx", {"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}, "Word-bestand"),
        ("foto.zip", {"foto.jpg": b"\xff\xd8\xff"}, "zip-bestand, maar geen Excel-bestand"),
    ],
)
def test_zips_that_are_not_xlsx_are_named(name, parts, message):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    with pytest.raises(UploadError, match=message):
        read_table(name, buffer.getvalue())


def test_an_xml_part_with_a_dtd_is_refused():
    sheet = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet><sheetData/></worksheet>'
    with pytest.raises(UploadError, match="onverwachte onderdelen"):
        read_table("x.xlsx", crafted.xlsx([sheet]))


# ---------------------------------------------------------------- bounds (issue 17)


def test_the_dimension_bomb_is_read_by_its_real_content_not_its_claim():
    """1.6 KB declaring A1:XFD1048576 ran a worker out of memory: the dimension is ignored."""
    data = crafted.dimension_bomb()
    assert len(data) < 2000
    table, peak = _peak(read_table, "lijst.xlsx", data)
    assert table.headers == ["Studentnummer", "Voornaam", "Achternaam"]
    assert table.rows == [["1001", "Jan", "Jansen"]]
    assert peak < 5 * MB


def test_the_dimension_bomb_without_rows_is_refused_as_empty():
    refused, peak = _peak(read_table, "lijst.xlsx", crafted.dimension_bomb(rows=False))
    assert isinstance(refused, UploadError) and str(refused) == "Het bestand is leeg."
    assert peak < 5 * MB


def test_one_cell_at_excels_last_row_does_not_make_a_million_empty_rows():
    table, peak = _peak(read_table, "lijst.xlsx", crafted.far_row())
    assert table.rows == [["1001", "Jansen"]] and table.lines == [1_048_576]
    assert peak < 5 * MB


def test_a_csv_header_with_trailing_delimiters_is_trimmed_once():
    data = ("Nr;Naam" + ";" * 99_000 + "\n1;Jan\n").encode()
    table, peak = _peak(read_table, "export.csv", data)
    assert table.headers == ["Nr", "Naam"] and table.rows == [["1", "Jan"]]
    assert peak < 20 * MB


def test_a_zip_bomb_is_refused_before_anything_is_unpacked():
    data = crafted.zip_bomb(60)
    assert len(data) < 300_000  # 60 MB of sheet XML in a quarter MB
    refused, peak = _peak(read_table, "lijst.xlsx", data)
    assert isinstance(refused, UploadError)
    assert str(refused).startswith("Uitgepakt is dit Excel-bestand groter dan 50 MB")
    assert peak < 2 * MB  # nothing was inflated


def test_a_zip_bomb_that_lies_about_its_size_stops_at_the_lie():
    refused, peak = _peak(read_table, "lijst.xlsx", crafted.lying_zip_bomb())
    assert isinstance(refused, UploadError) and "beschadigd" in str(refused)
    assert peak < 5 * MB


def test_a_row_with_millions_of_cells_is_refused_while_streaming():
    refused, peak = _peak(read_table, "lijst.xlsx", crafted.wide_row())
    assert isinstance(refused, UploadError)
    assert str(refused).startswith("Een regel van dit Excel-bestand heeft meer cellen dan Excel toestaat.")
    assert peak < 5 * MB


def test_a_csv_header_of_a_million_columns_is_refused_before_any_row_is_padded():
    data = crafted.csv_wide_header()
    assert len(data) > 2 * 1000 * 1000
    refused, peak = _peak(read_table, "export.csv", data)
    assert isinstance(refused, UploadError)
    assert str(refused).startswith("De kopregel is te lang: meer dan 100 kolommen")
    assert peak < 2 * len(data) + MB  # the bytes and their text, never rows × a million columns


def test_a_header_over_the_column_cap_is_refused_in_both_formats():
    headers = [f"K{i}" for i in range(101)]
    for name, data in (
        ("x.csv", (";".join(headers) + "\n" + ";".join("1" * 101) + "\n").encode()),
        ("x.xlsx", _xlsx(headers, [1] * 101)),
    ):
        with pytest.raises(UploadError, match="De kopregel heeft meer dan 100 kolommen"):
            read_table(name, data)


def test_reading_stops_at_the_row_limit_plus_one():
    limits = ReadLimits(max_rows=10)
    ok = b"Nr;Naam\n" + b"".join(b"%d;x\n" % i for i in range(10))
    assert len(read_table("x.csv", ok, limits=limits).rows) == 10
    with pytest.raises(UploadError, match="meer dan 10 regels"):
        read_table("x.csv", ok + b"11;x\n", limits=limits)
    with pytest.raises(UploadError, match="meer dan 10 regels"):
        read_table("x.xlsx", _xlsx(["Nr", "Naam"], *[[i, "x"] for i in range(11)]), limits=limits)


def test_a_cell_or_line_over_its_maximum_is_refused():
    limits = ReadLimits(max_cell_chars=50, max_line_chars=200)
    with pytest.raises(UploadError, match="langer dan 50 tekens"):
        read_table("x.csv", b"Nr;Naam\n1;" + b"a" * 60 + b"\n", limits=limits)
    with pytest.raises(UploadError, match="Regel 2 is langer dan 200 tekens"):
        read_table("x.csv", b"Nr;Naam\n1;" + b"a;" * 150 + b"\n", limits=limits)
    with pytest.raises(UploadError, match="langer dan 50 tekens"):
        read_table("x.xlsx", _xlsx(["Nr", "Naam"], [1, "a" * 60]), limits=limits)


def test_a_part_other_than_the_sheet_has_its_own_cap():
    data = crafted.dimension_bomb()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/sharedStrings.xml", b"<sst>" + b" " * (3 * MB) + b"</sst>")
    with pytest.raises(UploadError, match=r"xl/sharedStrings.xml\) is uitgepakt groter dan 2 MB"):
        read_table("x.xlsx", buffer.getvalue(), limits=ReadLimits(max_part_bytes=2 * MB))


def test_reading_past_its_time_is_stopped_with_a_message():
    data = b"Nr;Naam\n" + b"1;x\n" * 5000
    with pytest.raises(UploadError, match="duurde te lang"):
        read_table("x.csv", data, limits=ReadLimits(seconds=0))
