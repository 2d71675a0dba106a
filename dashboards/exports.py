"""The files behind the dashboard: each table as CSV or XLSX (aggregates only, hidden the same
way as on the page, with the filters and the date in the file), and the coordinator's case
list (names, so only students whose consent allows it; every one written to the access log)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from kwint.lib.dates import short_date
from kwint.lib.spreadsheet import csv_text, xlsx_bytes
from kwint.lib.stats import SuppressedTable

FORMATS = ("csv", "xlsx")


def _cell(text: str):
    """A shown cell as the file holds it: a number where the page shows one, else the mark."""
    return int(text) if text.isdigit() else text


def table_rows(title: str, scope_name: str, filters: list[tuple[str, str]], group_label: str, table: SuppressedTable):
    """The header and rows of one exported table: what, whose, when and which filters first."""
    header = [title, scope_name]
    rows: list[list] = [
        [_("Gemaakt op"), short_date(timezone.localdate())],
        [_("Filters"), "; ".join(f"{label}: {value}" for label, value in filters) or _("geen")],
        [
            _("Kleine aantallen"),
            _("onder de %(n)s staat “<%(n)s”; “x” is verborgen zodat een klein aantal niet terug te rekenen is")
            % {"n": table.limit},
        ],
        [],
        [str(group_label), *table.columns, _("Totaal")],
    ]
    for label, cells in table.display_rows():
        rows.append([_("Totaal") if label == "__total__" else label, *(_cell(c) for c in cells)])
    return header, rows


def render(fmt: str, header, rows, *, sheet: str) -> tuple[bytes, str]:
    from kwint.lib.spreadsheet import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

    if fmt == "csv":
        return csv_text(header, rows).encode("utf-8"), CSV_CONTENT_TYPE
    return xlsx_bytes(header, rows, sheet_title=sheet), XLSX_CONTENT_TYPE


def render_file(fmt: str, header, rows, *, sheet: str) -> tuple[bytes, str]:
    return render(fmt, header, rows, sheet=sheet)


def case_list_rows(scope, filters: dict):
    """The coordinator's case list: name, school, programme, coach, situation now, last contact.
    Only students the coordinator may see (the access door); one query. Returns the header, the
    rows and the students' codes (for the access log)."""
    from django.db.models import OuterRef, Subquery

    from coaching.models import Contact
    from dashboards.filters import apply_filters
    from dashboards.selectors import SITUATION_COLUMNS, with_situations

    labels = {key: str(label) for key, label in SITUATION_COLUMNS}
    reached = Contact.objects.filter(student=OuterRef("pk"), reached=True)
    students = (
        with_situations(apply_filters(scope.students(), filters), scope, diploma_only=False)
        .select_related("school", "coach")
        .annotate(last_contact=Subquery(reached.order_by("-at").values("at")[:1]))
        .order_by("last_name", "first_name", "pk")
    )
    header = [_("Naam"), _("School"), _("Opleiding"), _("Cohort"), _("Coach"), _("Situatie nu"), _("Laatst bereikt")]
    rows, codes = [], []
    for s in students:
        rows.append(
            [
                s.sort_name,
                s.school.name,
                s.programme_name,
                s.cohort,
                s.coach.full_name if s.coach else "",
                labels.get(s.situation_now or "", ""),
                short_date(s.last_contact) if s.last_contact else "",
            ]
        )
        codes.append(s.code)
    return header, rows, codes
