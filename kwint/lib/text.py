"""Text that comes in from people and files: one normal form for storage, one for search.

The same school export saved as UTF-8 CSV and as XLSX, or a name typed on a phone and on a PC,
must give the same stored value, or a re-import reports changes that are none and a search
misses the person. `normalize_text` is applied on every way in (import, student form, account
forms, the model's save); `fold` makes the search key ("Özdil" and "ozdil" both give "ozdil").
"""

from __future__ import annotations

import unicodedata

# Punctuation that phones and word processors substitute: typographic apostrophes in d'Amico
# and 's-Hertogenbosch, and hyphen look-alikes in double-barrelled names. NFKC keeps them.
_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark (iOS "smart" apostrophe)
        "\u02bc": "'",  # modifier letter apostrophe
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash (Word's autocorrect of " - ")
        "\u2212": "-",  # minus sign
        # NFKC already splits the Dutch ligature; spelled out because it is the one that matters.
        "\u0132": "IJ",
        "\u0133": "ij",
    }
)
# Zero-width joiner and non-joiner shape letters in some scripts; other format characters
# (zero-width space, soft hyphen, byte-order mark) are invisible copy-paste residue.
_KEEP_FORMAT = {"\u200c", "\u200d"}

# Letters without a Unicode decomposition that a Dutch keyboard user types without the mark.
_FOLD_EXTRA = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i"}
)


def normalize_text(value: str | None) -> str:
    """A name or other one-line text as stored: Unicode NFKC ("Ĳ" → "IJ"), typographic
    apostrophes and hyphens made plain, invisible characters removed, spaces trimmed and
    collapsed. Letters with accents stay as typed (Özdil stays Özdil)."""
    if not value:
        return ""
    value = unicodedata.normalize("NFKC", value).translate(_PUNCTUATION)
    value = "".join(
        ch
        for ch in value
        if ch.isspace() or ch in _KEEP_FORMAT or unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co"}
    )
    return " ".join(value.split())


def fold(value: str | None) -> str:
    """The search key of a text: normalised, without accents, case-folded ("Özdil" → "ozdil",
    "Ĳsselstein" → "ijsselstein", "d’Amico" → "d'amico")."""
    value = normalize_text(value).translate(_FOLD_EXTRA)
    value = "".join(ch for ch in unicodedata.normalize("NFKD", value) if not unicodedata.combining(ch))
    return value.casefold()
