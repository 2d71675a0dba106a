"""Cleaning one value of a school's export at a time (reading the file: kwint.lib.spreadsheet_read).

The same cleaners serve the import and the edit form, so "06-12345678" becomes "+31612345678"
whichever way the number came in. Each cleaner raises `ValidationError` with a Dutch message.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from kwint.lib.text import normalize_text
from students import validators
from students.models import Leerweg

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
    """The diploma year, a four-digit year in the range `students.validators` allows;
    '2025-2026' (a school year) counts as 2026."""
    raw = (value or "").strip()
    if not raw:
        return None
    years = re.findall(r"\d{4}", raw)
    if not years or not re.fullmatch(r"\d{4}(\s*[-/]\s*\d{4})?", raw):
        first, last = validators.cohort_bounds()
        raise ValidationError(
            _(
                "'%(value)s' is geen cohort: schrijf het jaar van het diploma, een jaartal van %(first)s tot en met %(last)s."
            )
            % {"value": raw, "first": first, "last": last}
        )
    year = int(years[-1])
    validators.validate_cohort(year)
    return year


def clean_birth_date(value: str) -> dt.date | None:
    day = clean_date(value)
    validators.validate_birth_date(day)
    return day


def clean_diploma_date(value: str) -> dt.date | None:
    day = clean_date(value)
    validators.validate_diploma_date(day)
    return day


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
    """Names and places as typed ('s-Hertogenbosch, Özdil, d'Amico), in one normal form
    (`kwint.lib.text.normalize_text`): the same name from a CSV and an XLSX compares equal."""
    return normalize_text(value)
