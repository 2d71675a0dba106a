"""Reading a school's export and cleaning one value at a time.

The same cleaners serve the import and the edit form, so "06-12345678" becomes "+31612345678"
whichever way the number came in. Each cleaner raises `ValidationError` with a Dutch message.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from students.models import Leerweg

MAX_ROWS = 20_000


class UploadError(Exception):
    """The file as a whole cannot be read (wrong type, empty, too large)."""


# ---------------------------------------------------------------- files


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


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        # read_only streams the sheet: a 5,000-row export stays small in memory.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise UploadError(_("Dit Excel-bestand kan niet worden gelezen.")) from exc
    sheet = workbook.worksheets[0]
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def decode_text(data: bytes) -> str:
    """UTF-8 with or without BOM, else Windows-1252 (what Excel writes on a Dutch Windows PC)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(data: bytes) -> list[list[str]]:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    # Dutch Excel writes semicolons (the comma is the decimal sign); others write commas.
    delimiter = max([";", ",", "\t"], key=first_line.count)
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def read_upload(filename: str, data: bytes) -> tuple[list[str], list[list[str]]]:
    """Headers and data rows of an uploaded CSV or XLSX, blank rows dropped."""
    if not data:
        raise UploadError(_("Het bestand is leeg."))
    name = filename.lower()
    if data[:2] == b"PK" or name.endswith((".xlsx", ".xlsm")):
        rows = _read_xlsx(data)
    elif name.endswith((".csv", ".txt")) or b"\x00" not in data[:1024]:
        rows = _read_csv(data)
    else:
        raise UploadError(_("Upload een CSV- of Excel-bestand (.csv of .xlsx)."))
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise UploadError(_("Het bestand is leeg."))
    headers = [h.strip() or _("Kolom %(n)s") % {"n": i + 1} for i, h in enumerate(rows[0])]
    body = rows[1:]
    if len(body) > MAX_ROWS:
        raise UploadError(_("Het bestand heeft meer dan %(max)s regels. Splits het op.") % {"max": MAX_ROWS})
    width = len(headers)
    return headers, [(row + [""] * width)[:width] for row in body]


# ---------------------------------------------------------------- values

_DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
EXCEL_EPOCH = dt.date(1899, 12, 30)


def clean_date(value: str) -> dt.date | None:
    """dd-mm-yyyy, d-m-yyyy (also with / or .), ISO, or an Excel serial day number."""
    value = (value or "").strip()
    if not value:
        return None
    match = _DATE_DMY.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
    elif match := _DATE_ISO.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif value.isdigit() and 20000 <= int(value) <= 80000:
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    else:
        raise ValidationError(_("'%(value)s' is geen datum; schrijf bijvoorbeeld 31-07-2026.") % {"value": value})
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(_("%(value)s bestaat niet als datum.") % {"value": value}) from None


def clean_phone(value: str) -> str:
    """Dutch numbers to E.164 (06-12345678 → +31612345678); foreign numbers kept with their +."""
    raw = (value or "").strip()
    if not raw:
        return ""
    digits = re.sub(r"[\s\-().]", "", raw)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("+31"):
        digits = "0" + digits[3:]
    if re.fullmatch(r"0\d{9}", digits):
        return "+31" + digits[1:]
    if re.fullmatch(r"6\d{8}", digits):  # Excel drops the leading 0 of a number cell
        return "+31" + digits
    if re.fullmatch(r"\+[1-9]\d{7,14}", digits):
        return digits
    raise ValidationError(_("'%(value)s' is geen telefoonnummer; schrijf bijvoorbeeld 06-12345678.") % {"value": raw})


_POSTCODE = re.compile(r"^([1-9]\d{3})\s*([A-Za-z]{2})$")


def clean_postcode(value: str) -> str:
    raw = (value or "").strip()
    if not raw:
        return ""
    match = _POSTCODE.match(raw)
    if not match:
        raise ValidationError(_("'%(value)s' is geen postcode; schrijf bijvoorbeeld 8011 AB.") % {"value": raw})
    return f"{match.group(1)} {match.group(2).upper()}"


_LEVEL_WORDS = {"entree": 1, "e": 1, "1": 1, "2": 2, "3": 3, "4": 4}


def clean_level(value: str) -> int | None:
    raw = (value or "").strip()
    if not raw:
        return None
    key = re.sub(r"^(niveau|niv\.?|n|mbo)\s*", "", raw.lower()).strip()
    if key in _LEVEL_WORDS:
        return _LEVEL_WORDS[key]
    raise ValidationError(_("Onbekend niveau '%(value)s'; gebruik Entree of 1 t/m 4.") % {"value": raw})


def clean_leerweg(value: str) -> str:
    raw = (value or "").strip().upper()
    if not raw:
        return ""
    for choice in Leerweg.values:
        if raw.startswith(choice):  # "BOL-VT", "BOL-DT"
            return choice
    raise ValidationError(_("Onbekende leerweg '%(value)s'; gebruik BOL of BBL.") % {"value": value.strip()})


def clean_crebo(value: str) -> str:
    raw = (value or "").strip()
    if not raw:
        return ""
    if not re.fullmatch(r"\d{5}", raw):
        raise ValidationError(_("'%(value)s' is geen crebocode (vijf cijfers).") % {"value": raw})
    return raw


def clean_cohort(value: str) -> int | None:
    """The diploma year; '2025-2026' (a school year) counts as 2026."""
    raw = (value or "").strip()
    if not raw:
        return None
    years = re.findall(r"\d{4}", raw)
    if not years or not re.fullmatch(r"\d{4}(\s*[-/]\s*\d{4})?", raw):
        raise ValidationError(_("'%(value)s' is geen cohort; schrijf een jaar, bijvoorbeeld 2026.") % {"value": raw})
    year = int(years[-1])
    if not 2000 <= year <= 2100:
        raise ValidationError(_("'%(value)s' is geen cohort; schrijf een jaar, bijvoorbeeld 2026.") % {"value": raw})
    return year


def clean_email(value: str) -> str:
    raw = (value or "").strip()
    if not raw:
        return ""
    try:
        validate_email(raw)
    except ValidationError:
        raise ValidationError(_("'%(value)s' is geen e-mailadres.") % {"value": raw}) from None
    return raw.lower()


_YES = {"ja", "j", "yes", "y", "x", "1", "waar", "true"}
_NO = {"nee", "n", "no", "0", "onwaar", "false", ""}


def clean_yes_no(value: str) -> bool:
    raw = (value or "").strip().lower()
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise ValidationError(_("'%(value)s': vul ja of nee in.") % {"value": value.strip()})


def clean_text(value: str) -> str:
    """Names and places exactly as typed ('s-Hertogenbosch, Özdil, d'Amico): only trimmed."""
    return (value or "").strip()
