"""Dates in Kwint's two styles, in the reader's language and in Europe/Amsterdam.

`short_date` ("4 dec. 2026") for lists and tables, `long_date` ("4 december 2026") for running
text, each with a `_datetime` twin that adds the 24-hour time. Templates use the filters of the
same names (`kwint.lib.templatetags.kwint_dates`, built in: no `{% load %}` needed). The
formats live in `kwint/formats/<language>/formats.py`.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import dateformat, timezone, translation
from django.utils.formats import get_format, get_format_modules

# An unescaped N in a format string: the month abbreviation.
_MONTH_ABBREVIATION = re.compile(r"(?<!\\)N")


def _month_abbreviation(month: int) -> str | None:
    for module in get_format_modules(translation.get_language()):
        names = getattr(module, "MONTH_ABBREVIATIONS", None)
        if names:
            return names[month - 1]
    return None


def _format(value: dt.date | dt.datetime | None, format_name: str) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    elif not isinstance(value, dt.datetime) and "H" in get_format(format_name):
        format_name = format_name.replace("DATETIME", "DATE")
    pattern = get_format(format_name)
    name = _month_abbreviation(value.month)
    if not name:
        return dateformat.format(value, pattern)
    # The parts around N formatted apart, joined by the name: escaping the name into the
    # pattern ("\\d\\e\\c\\.") costs Django's formatter a regex substitution per letter, and a
    # table of 50 rows prints 100 dates.
    return name.join(dateformat.format(value, part) if part else "" for part in _MONTH_ABBREVIATION.split(pattern))


def short_date(value) -> str:
    """ "4 dec. 2026": lists, tables, badges."""
    return _format(value, "SHORT_DATE_FORMAT")


def long_date(value) -> str:
    """ "4 december 2026": a date inside a sentence."""
    return _format(value, "DATE_FORMAT")


def short_datetime(value) -> str:
    """ "4 dec. 2026 14:05"."""
    return _format(value, "SHORT_DATETIME_FORMAT")


def long_datetime(value) -> str:
    """ "4 december 2026 14:05"."""
    return _format(value, "DATETIME_FORMAT")
