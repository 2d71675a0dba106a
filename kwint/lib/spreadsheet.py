"""Every CSV and XLSX file Kwint writes goes through here, so none can carry a formula.

A cell typed by a young person or a school ("=HYPERLINK(...)", "-1+cmd|' /C calc'!A0") becomes
a live formula when a coordinator opens the export in Excel or LibreOffice (CSV injection,
OWASP). The rule, one for both formats:

- a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
  neutralised, unless the whole cell is a plain number (``-12``, ``+31612345678``, ``3,5``);
- in CSV, neutralised means prefixed with an apostrophe (Excel and LibreOffice then show text);
- in XLSX, the cell is written as a text cell with Excel's "quote prefix" style: it shows the
  text exactly, without an apostrophe, and stays text when someone edits it.

So a phone number as Kwint stores it (``+31612345678``) passes unchanged; one written with
spaces (``+31 6 1234 5678``) is not a plain number and gets the apostrophe in CSV: safe first.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d+)?|[.,]\d+)")

Cell = str | int | float | Decimal | dt.date | dt.datetime | bool | None


def is_dangerous(value: str) -> bool:
    """Would a spreadsheet read this text cell as a formula (or DDE command)?"""
    return value.startswith(TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value)


def safe_text(value: str) -> str:
    """The CSV form of a text cell: an apostrophe before anything a spreadsheet would run."""
    return "'" + value if is_dangerous(value) else value


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return safe_text(str(value))


class SafeCSVWriter:
    """csv.writer with every cell neutralised. Semicolons and a BOM by default: that is what
    Dutch Excel opens with the accents and columns intact."""

    def __init__(self, stream, *, delimiter: str = ";", bom: bool = True):
        if bom:
            stream.write("\ufeff")
        self._writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")

    def writerow(self, row: Iterable[Cell]) -> None:
        self._writer.writerow([_csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Cell]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(headers: Sequence[Cell], rows: Iterable[Iterable[Cell]], **options) -> str:
    buffer = io.StringIO()
    writer = SafeCSVWriter(buffer, **options)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


def xlsx_bytes(headers: Sequence[Cell], rows: Iterable[Iterable[Cell]], *, sheet_title: str = "Kwint") -> bytes:
    """A one-sheet workbook, streamed (openpyxl write-only): no cell is ever a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    bold = Font(bold=True)

    def cell(value: Cell, *, header: bool = False):
        if isinstance(value, str) or value is None:
            text = value or ""
            out = WriteOnlyCell(sheet, value=text)
            # openpyxl turns any string starting with "=" into a formula: force a text cell.
            out.data_type = "s"
            if is_dangerous(text):
                out.quotePrefix = True
        else:
            out = WriteOnlyCell(sheet, value=value)
        if header:
            out.font = bold
        return out

    sheet.append([cell(h, header=True) for h in headers])
    for row in rows:
        sheet.append([cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
