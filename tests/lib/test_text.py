"""One normal form for names, one search key: the same name from any source compares equal."""

import pytest

from kwint.lib.text import fold, normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u0132sselstein", "IJsselstein"),  # the Dutch ligature Ĳ, one character
        ("\u0133sbrand", "ijsbrand"),
        ("  Jan   van\u00a0der  Berg ", "Jan van der Berg"),  # trimmed, collapsed, no-break space
        ("d\u2019Amico", "d'Amico"),  # the iPhone's apostrophe
        ("\u2018s-Hertogenbosch", "'s-Hertogenbosch"),
        ("Jansen\u2013de Vries", "Jansen-de Vries"),
        ("Jan\u200bsen\u00ad", "Jansen"),  # zero-width space and soft hyphen from a copy-paste
        ("\ufeffÖzdil", "Özdil"),
        ("O\u0308zdil", "Özdil"),  # decomposed Ö (macOS file names) composed
        ("Ｊａｎ", "Jan"),  # full-width letters
        ("Jan\tJansen\r\n", "Jan Jansen"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_normalize_text_keeps_accents_and_case():
    assert normalize_text("Özdil-Çelik") == "Özdil-Çelik"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Özdil", "ozdil"),
        ("OZDIL", "ozdil"),
        ("\u0132sselstein", "ijsselstein"),
        ("Søren Łukasz", "soren lukasz"),
        ("d\u2019Amico", "d'amico"),
        ("Straße", "strasse"),
        ("Çelik-Ağaoğlu", "celik-agaoglu"),
    ],
)
def test_fold_is_the_search_key(raw, expected):
    assert fold(raw) == expected
