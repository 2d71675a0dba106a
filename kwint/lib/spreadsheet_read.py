"""Reading an uploaded table (CSV or XLSX) within fixed bounds of memory and time.

An upload is untrusted: a 1.6 KB XLSX can declare a sheet of A1:XFD1048576, a 4 MB zip can
unpack to a gigabyte of XML, a CSV header can have a million columns. Every limit is checked
while streaming, before anything grows with what the file claims:

- XLSX: the zip's parts are counted and their unpacked sizes added up *before* anything is
  opened (zipfile never inflates a part past its declared size, so the sum is a real bound);
  the first sheet's XML is pre-scanned with expat (no tree is built) so that no row can carry
  more cells than Excel allows; the declared dimension is ignored; rows are streamed with a
  fixed column cap and reading stops at the row limit + 1.
- CSV: text is checked to be text; every physical line and cell has a maximum length before
  the csv module splits it; the header width is capped before any row is padded to it.
- Both: a deadline checked while reading, and a structure check (most rows must have the
  header's number of columns) so that random text is refused instead of imported.

Every refusal is an `UploadError` whose message (Dutch) says what was wrong and, through
`EXPECTED`, what Kwint expects instead.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from xml.parsers import expat

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EXPECTED = gettext_lazy(
    "Kwint verwacht een CSV-bestand (tekst met komma's of puntkomma's tussen de kolommen) of een "
    "Excel-bestand (.xlsx), met op de eerste regel de namen van de kolommen en daaronder één "
    "student per regel."
)

# Excel's own maxima: a sheet with more is not an Excel sheet, whatever its XML says.
EXCEL_MAX_COLUMNS = 16_384
EXCEL_MAX_ROWS = 1_048_576


@dataclass(frozen=True)
class ReadLimits:
    max_rows: int = 20_000  # data rows, blank rows not counted
    max_columns: int = 100
    max_unpacked_bytes: int = 50 * 1024 * 1024  # all parts of an XLSX together
    max_part_bytes: int = 20 * 1024 * 1024  # any part but the sheet (shared strings, styles)
    max_parts: int = 1_000
    max_line_chars: int = 100_000  # one physical CSV line
    max_cell_chars: int = 10_000
    seconds: float = 120.0


DEFAULT_LIMITS = ReadLimits()


class UploadError(Exception):
    """The file as a whole cannot be read; the message is for the user, in Dutch."""


def _refuse(reason: str) -> UploadError:
    return UploadError(f"{reason} {EXPECTED}")


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


class _Clock:
    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise UploadError(
                _("Het lezen van dit bestand duurde te lang. Splits het bestand op of exporteer minder kolommen.")
            )


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    # Per row, its number as Excel or an editor shows it (header = its own line, blank lines
    # counted), so an error can say "regel 7" and the user finds it.
    lines: list[int]


# ---------------------------------------------------------------- what kind of file


_MAGIC = (
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"%PDF-", "PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE"),
)


def _sniff(data: bytes) -> str:
    if data[:4] in {b"PK\x03\x04", b"PK\x05\x06"}:
        return "zip"
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return "text"


def read_table(
    filename: str,
    data: bytes,
    *,
    limits: ReadLimits = DEFAULT_LIMITS,
    progress: Callable[[int], None] | None = None,
) -> Table:
    """Headers and data rows of an uploaded CSV or XLSX: blank rows dropped, every row exactly
    as wide as the header. Raises UploadError."""
    if not data:
        raise UploadError(_("Het bestand is leeg."))
    clock = _Clock(limits.seconds)
    kind = _sniff(data)
    if kind == "zip":
        headers, rows, lines = _read_xlsx(data, limits, clock, progress)
    elif kind == "OLE":
        raise _refuse(_("Dit is een oud of beveiligd Excel-bestand (.xls). Sla het in Excel op als .xlsx of als CSV."))
    elif kind != "text":
        raise _refuse(_("Dit is geen tabel maar een %(kind)s-bestand.") % {"kind": kind})
    else:
        if filename.lower().endswith((".xlsx", ".xlsm")):
            raise _refuse(_("Dit bestand heet .xlsx, maar het is geen Excel-bestand."))
        headers, rows, lines = _read_csv(data, limits, clock, progress)
    if not headers:
        raise UploadError(_("Het bestand is leeg."))
    return Table(_unique(headers), rows, lines)


def _unique(headers: list[str]) -> list[str]:
    """Named columns, each name once: the mapping picks a column by its name."""
    seen: dict[str, int] = {}
    out = []
    for index, header in enumerate(headers):
        name = header or _("Kolom %(n)s") % {"n": index + 1}
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


def _finish(
    raw_rows: Iterator[tuple[int, list[str]]], limits: ReadLimits, clock: _Clock, progress
) -> tuple[list, list, list]:
    """(line number, cells) pairs in; header first, then rows padded or cut to its width;
    stops at the row limit + 1."""
    headers: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    for count, (line, row) in enumerate(raw_rows, start=1):
        if count % 10_000 == 0:  # blank rows count too
            clock.check()
        if not any(row):
            continue
        if headers is None:
            width = len(row)
            while width and not row[width - 1]:
                width -= 1
            row = row[:width]
            if len(row) > limits.max_columns:
                raise _refuse(
                    _("De kopregel heeft meer dan %(max)s kolommen. Exporteer alleen de kolommen die u nodig hebt.")
                    % {"max": limits.max_columns}
                )
            if len(row) < 2:
                raise _refuse(_("Kwint vond in de eerste regel maar één kolom."))
            headers = row
            continue
        rows.append((row + [""] * len(headers))[: len(headers)])
        lines.append(line)
        if len(rows) > limits.max_rows:
            raise UploadError(
                _("Het bestand heeft meer dan %(max)s regels. Splits het op.") % {"max": _n(limits.max_rows)}
            )
        if len(rows) % 1000 == 0:
            clock.check()
            if progress:
                progress(len(rows))
    return headers or [], rows, lines


# ---------------------------------------------------------------- CSV


def decode_text(data: bytes) -> str:
    """UTF-8 with or without BOM, else Windows-1252 (what Excel writes on a Dutch Windows PC)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _looks_binary(text: str) -> bool:
    """Control characters (other than tab and line breaks) and undecodable bytes are rare in
    any text a person or a spreadsheet writes; in an image or archive they are everywhere."""
    sample = text[:65536]
    if "\x00" in sample:
        return True
    odd = sum(1 for ch in sample if ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\x0c"))
    return odd > max(2, len(sample) // 100)


@contextmanager
def _field_size_limit(limit: int):
    # The csv module's limit is process-wide; restore it for whatever else runs here.
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _lines(text: str, limits: ReadLimits, clock: _Clock) -> Iterator[str]:
    """Physical lines, each checked against the maximum before it is copied out of the text
    (io.StringIO would hold the whole text again, four bytes a character)."""
    # Excel for Mac's "CSV (Macintosh)" ends lines with a carriage return only.
    sep = "\n" if "\n" in text[:65536] or "\r" not in text[:65536] else "\r"
    start, number, length = 0, 0, len(text)
    while start < length:
        number += 1
        end = text.find(sep, start, start + limits.max_line_chars + 1)
        if end == -1:
            if length - start > limits.max_line_chars:
                if number == 1:
                    raise _refuse(
                        _("De kopregel is te lang: meer dan %(max)s kolommen of meer dan %(chars)s tekens.")
                        % {"max": limits.max_columns, "chars": _n(limits.max_line_chars)}
                    )
                raise UploadError(
                    _("Regel %(n)s is langer dan %(chars)s tekens.") % {"n": number, "chars": _n(limits.max_line_chars)}
                )
            end = length - 1
        if number % 5000 == 0:
            clock.check()
        yield text[start : end + 1]
        start = end + 1


def _read_csv(data: bytes, limits: ReadLimits, clock: _Clock, progress) -> tuple[list, list, list]:
    text = decode_text(data)
    if not text or text.isspace():
        raise UploadError(_("Het bestand is leeg."))
    if _looks_binary(text):
        raise _refuse(_("Dit bestand is geen tekst en geen Excel-bestand: het lijkt een afbeelding of programma."))
    first = next((line for line in _lines(text, limits, clock) if line.strip()), "")
    # Dutch Excel writes semicolons (the comma is the decimal sign); others write commas.
    delimiter = max([";", ",", "\t"], key=first.count)
    if first.count(delimiter) == 0:
        raise _refuse(_("Kwint vond in de eerste regel maar één kolom."))
    # Random text splits into a different number of cells on every line; an export never does.
    shape = {"header": None, "rows": 0, "fitting": 0}

    def rows() -> Iterator[list[str]]:
        reader = csv.reader(_lines(text, limits, clock), delimiter=delimiter)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise UploadError(
                    _(
                        "Regel %(n)s kan niet worden gelezen: een cel is langer dan %(chars)s tekens "
                        "of een aanhalingsteken wordt niet gesloten."
                    )
                    % {"n": reader.line_num, "chars": _n(limits.max_cell_chars)}
                ) from None
            row = [cell.strip() for cell in row]
            if any(row):
                if shape["header"] is None:
                    trimmed = len(row)
                    while trimmed and not row[trimmed - 1]:
                        trimmed -= 1
                    shape["header"] = {len(row), trimmed}
                else:
                    shape["rows"] += 1
                    shape["fitting"] += len(row) in shape["header"]
            yield row

    with _field_size_limit(limits.max_cell_chars):
        headers, body, lines = _finish(enumerate(rows(), start=1), limits, clock, progress)
    if shape["rows"] and shape["fitting"] * 2 < shape["rows"]:
        raise _refuse(
            _(
                "In de meeste regels klopt het aantal kolommen niet met de kopregel (%(n)s kolommen): "
                "dit lijkt geen export uit de studentenadministratie."
            )
            % {"n": len(headers)}
        )
    return headers, body, lines


# ---------------------------------------------------------------- XLSX


def _cell_text(value) -> str:
    """An XLSX cell as the text a user would see; dates as ISO so the date cleaner reads them."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _check_archive(archive: zipfile.ZipFile, limits: ReadLimits) -> None:
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if "mimetype" in names and "content.xml" in names:
        raise _refuse(_("Dit is een OpenDocument-bestand (.ods). Sla het op als .xlsx of als CSV."))
    if "word/document.xml" in names:
        raise _refuse(_("Dit is een Word-bestand, geen tabel."))
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _refuse(_("Dit is een zip-bestand, maar geen Excel-bestand."))
    too_big = _("Uitgepakt is dit Excel-bestand groter dan %(mb)s MB; een lijst van studenten is veel kleiner.") % {
        "mb": limits.max_unpacked_bytes // (1024 * 1024)
    }
    if len(infos) > limits.max_parts:
        raise _refuse(too_big)
    if sum(info.file_size for info in infos) > limits.max_unpacked_bytes:
        raise _refuse(too_big)
    for info in infos:
        if info.file_size > limits.max_part_bytes and not info.filename.startswith("xl/worksheets/"):
            raise _refuse(
                _("Een onderdeel van dit Excel-bestand (%(part)s) is uitgepakt groter dan %(mb)s MB.")
                % {"part": info.filename[:80], "mb": limits.max_part_bytes // (1024 * 1024)}
            )


class _XmlScan:
    """One streaming pass over a part's XML, building nothing. Refuses any DTD (entity tricks)
    and, in a sheet, rows with more cells than Excel allows: openpyxl holds a whole row in
    memory, and parses every sheet once for its dimension when the workbook is opened."""

    def __init__(self, clock: _Clock, *, sheet: bool):
        self.clock = clock
        self.rows = 0
        self.cells = 0
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartDoctypeDeclHandler = self._doctype
        if sheet:
            self.parser.StartElementHandler = self._start

    def _doctype(self, *args) -> None:
        raise _refuse(_("Dit Excel-bestand bevat onverwachte onderdelen en kan niet worden gelezen."))

    def _start(self, name: str, attrs) -> None:
        local = name.rpartition(" ")[2]
        if local == "c":
            self.cells += 1
            if self.cells > EXCEL_MAX_COLUMNS:
                raise _refuse(_("Een regel van dit Excel-bestand heeft meer cellen dan Excel toestaat."))
        elif local == "row":
            self.rows += 1
            self.cells = 0
            if self.rows > EXCEL_MAX_ROWS:
                raise _refuse(_("Dit Excel-bestand heeft meer regels dan Excel toestaat."))

    def feed(self, stream) -> None:
        while chunk := stream.read(256 * 1024):
            self.parser.Parse(chunk, False)
            self.clock.check()
        self.parser.Parse(b"", True)


def _scan_parts(archive: zipfile.ZipFile, clock: _Clock) -> None:
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        with archive.open(info) as stream:
            _XmlScan(clock, sheet=info.filename.startswith("xl/worksheets/")).feed(stream)


def _read_xlsx(data: bytes, limits: ReadLimits, clock: _Clock, progress) -> tuple[list, list, list]:
    from openpyxl import load_workbook

    unreadable = _refuse(_("Dit Excel-bestand is beschadigd of beveiligd en kan niet worden gelezen."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise unreadable from None
    with archive:
        _check_archive(archive, limits)
        try:
            _scan_parts(archive, clock)
        except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise unreadable from exc
    try:
        # read_only: the workbook's parts are read, its sheets streamed on demand (_xlsx_rows).
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise unreadable from exc
    try:
        if not workbook.worksheets:
            raise UploadError(_("Het bestand is leeg."))
        try:
            return _finish(_xlsx_rows(workbook, workbook.worksheets[0], limits), limits, clock, progress)
        except (UploadError, MemoryError):
            raise
        except Exception as exc:
            raise unreadable from exc
    finally:
        workbook.close()


def _xlsx_rows(workbook, sheet, limits: ReadLimits) -> Iterator[tuple[int, list[str]]]:
    """The rows the sheet's XML holds, with their row numbers. The declared dimension
    (A1:XFD1048576) is never looked at, and unlike openpyxl's iter_rows no empty row is made
    up for a gap in the numbering (one cell at row 1,048,576 would mean a million of them).
    Uses openpyxl's streaming sheet parser, as its read-only worksheet does (openpyxl is pinned)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    # One column past the cap, so a header wider than the cap is seen and refused.
    width = limits.max_columns + 1
    with workbook._archive.open(sheet._worksheet_path) as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,  # a formula's cached value, never the formula
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for index, cells in parser.parse():
            values: list = [None] * width
            for cell in cells:
                if cell["column"] <= width:
                    values[cell["column"] - 1] = cell["value"]
            yield index, _xlsx_row(values, limits)


def _xlsx_row(values: list, limits: ReadLimits) -> list[str]:
    row = [_cell_text(v) for v in values]
    if any(len(cell) > limits.max_cell_chars for cell in row):
        raise UploadError(_("Een cel is langer dan %(chars)s tekens.") % {"chars": _n(limits.max_cell_chars)})
    return row
