"""Cleaning values of an export: dates, phones, postcodes, levels, names, and the bounds on dates."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from students import parsing


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
