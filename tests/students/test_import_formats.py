"""The newcomer's hour for imports (issues 11 and 17): the school's file imported twice gives
"nothing new" the second time, in every format a school exports (CSV with commas or semicolons,
UTF-8 with or without BOM, Windows-1252, XLSX), and the same export in another format is
"ongewijzigd" too: the Dutch ligature Ĳ, typed cells and stray spaces compare equal.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from students import import_confirm as confirming
from students.models import Student, TimelineEvent
from tests.students.factories import statuses, upload_and_preview

pytestmark = pytest.mark.django_db

HEADER = [
    "Studentnummer", "Roepnaam", "Voornamen", "Tussenvoegsel", "Achternaam", "Geb.datum", "Mobiel", "E-mail",
    "Postcode", "Woonplaats", "Gemeente", "Opleiding", "Crebo", "Niveau", "Leerweg", "Klas", "Cohort",
    "Verwachte diplomadatum", "Kwetsbaar",
]  # fmt: skip
# As the student administration exports them: the Ĳ ligature, accents, a tussenvoegsel, a
# no-break space, a phone number with a dash, an Excel-style date.
STUDENTS = [
    ["300101", "Sem", "Semmy", "van", "\u0132sselmuiden", "01-02-2006", "06-12345678", "sem@example.nl",
     "8011ab", "Zwolle", "Zwolle", "Medewerker logistiek", "25453", "2", "BOL", "L2A", "2026", "01-07-2026", "ja"],
    ["300102", "", "Özlem", "", "d'Amico", "15-11-2005", "0612345679", "", "8012 CD", "'s-Hertogenbosch",
     "Zwolle", "Medewerker logistiek", "25453", "Entree", "BBL", "L2A", "2026", "01-07-2026", "nee"],
    ["300103", "Jip", "Johannes", "de", "Vries\u00a0", "28-02-2007", "", "JIP@EXAMPLE.NL", "", "Zwolle", "",
     "Verkoopmedewerker", "25431", "niveau 2", "BOL", "L2B", "2027", "01-07-2027", ""],
    ["300104", "", "Chloë", "van der", "Berg", "2006-06-30", "+31 6 1234 5670", "", "", "", "Zwolle", "", "",
     "", "", "L2B", "2026", "", "nee"],
]  # fmt: skip
CSV_FORMATS = {
    "csv-comma-utf8": (",", "utf-8", "\n"),
    "csv-semicolon-utf8": (";", "utf-8", "\n"),
    "csv-semicolon-utf8-bom": (";", "utf-8-sig", "\r\n"),
    "csv-semicolon-cp1252": (";", "cp1252", "\r\n"),  # Excel on a Dutch Windows PC
}
FORMATS = [*CSV_FORMATS, "xlsx"]


def _quote(cell: str, delimiter: str) -> str:
    return f'"{cell}"' if delimiter in cell or '"' in cell else cell


def export(fmt: str) -> tuple[str, bytes]:
    """The same list in one format, as that program would write it."""
    if fmt == "xlsx":
        return "export.xlsx", _xlsx()
    delimiter, encoding, newline = CSV_FORMATS[fmt]
    rows = [HEADER, *STUDENTS]
    if encoding == "cp1252":  # Windows-1252 has no Ĳ: Excel writes the two letters
        rows = [[cell.replace("\u0132", "IJ") for cell in row] for row in rows]
    text = newline.join(delimiter.join(_quote(c, delimiter) for c in row) for row in rows) + newline
    return "export.csv", text.encode(encoding)


def _xlsx() -> bytes:
    """Typed cells as Excel keeps them: numbers lose their leading zero, dates are dates."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in STUDENTS:
        typed: list = list(row)
        typed[0] = int(row[0])
        typed[4] = row[4].replace("\u0132", "IJ") + "  "  # typed as two letters, trailing spaces
        for index in (5, 17):  # Geb.datum, Verwachte diplomadatum as date cells
            if row[index]:
                value = row[index]
                day = dt.date.fromisoformat(value) if value[4] == "-" else dt.datetime.strptime(value, "%d-%m-%Y")
                typed[index] = dt.datetime(day.year, day.month, day.day)
        if row[6].startswith("06"):
            typed[6] = int(row[6].replace("-", "")[1:])  # 612345678: Excel dropped the 0
        typed[12] = int(row[12]) if row[12] else None
        typed[16] = int(row[16])
        sheet.append(typed)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import(cast, fmt: str):
    name, data = export(fmt)
    return upload_and_preview(cast.school, cast.zorg.user, data, name)


def _snapshot():
    return list(Student.objects.order_by("student_number").values())


@pytest.mark.parametrize("first", FORMATS)
def test_importing_the_schools_file_again_in_any_format_gives_nothing_new(cast, first):
    batch = _import(cast, first)
    assert statuses(batch) == ["created"] * 4, [r["errors"] for r in batch.preview]
    assert confirming.import_confirm(batch=batch, user=cast.zorg.user)["created"] == 4
    sem = Student.objects.get(student_number="300101")
    assert (sem.roepnaam, sem.tussenvoegsel, sem.last_name) == ("Sem", "van", "IJsselmuiden")
    assert sem.phone == "+31612345678" and sem.date_of_birth == dt.date(2006, 2, 1) and sem.is_vulnerable
    assert Student.objects.get(student_number="300103").last_name == "Vries"
    assert Student.objects.get(student_number="300102").woonplaats == "'s-Hertogenbosch"
    before = _snapshot()
    events = TimelineEvent.objects.count()

    for again in FORMATS:  # the same file, and the same export saved in every other format
        batch = _import(cast, again)
        assert statuses(batch) == ["unchanged"] * 4, (again, [r.get("changes") for r in batch.preview])
        result = confirming.import_confirm(batch=batch, user=cast.zorg.user)
        assert result == {"created": 0, "updated": 0, "unchanged": 4, "skipped": 0, "double": 0, "error": 0}
    assert _snapshot() == before
    assert TimelineEvent.objects.count() == events
