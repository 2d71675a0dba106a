"""Kwint's Dutch date and time style (FORMAT_MODULE_PATH); what is not here comes from Django's
`nl` formats (the input formats, for one).

Two styles, nothing else: "4 dec. 2026" in lists and tables (SHORT_*), "4 december 2026" in
running text (DATE_FORMAT, also what `{{ date }}` prints). 24-hour times. `N` stands for the
month abbreviation of MONTH_ABBREVIATIONS (Django's own Dutch `N` drops the full stop);
`kwint.lib.dates` fills it in.
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j N Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "j N Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1

# The Taalunie's abbreviations: lower case, a full stop, "mei" in full.
MONTH_ABBREVIATIONS = ("jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")
