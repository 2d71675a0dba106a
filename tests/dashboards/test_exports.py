"""Exports: each dashboard table as CSV and XLSX with the page's numbers, the case list (only
visible students, each written to the access log), the pseudonymised research export."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from audit.models import AccessLogEntry, Action
from dashboards.models import ResearchExport, ResearchProject
from dashboards.research import pseudonym
from students.models import Purpose
from tests.dashboards.known import build
from tests.factories import give_consent

TABLES = [
    "trechter",
    "in-beeld",
    "situatie-6",
    "situatie-12",
    "situatie-24",
    "toestemming",
    "contacten",
    "contactmomenten",
]


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _xlsx(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_table_exports_in_both_formats_with_filters_and_date(cast, login, table, fmt):
    build(cast)
    response = login(cast.coordinator).get(f"/regio/export/{table}.{fmt}", {"niveau": 2})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response) if fmt == "csv" else _xlsx(response)
    flat = " ".join(str(c) for r in rows for c in r)
    assert "Niveau: Niveau 2" in flat and "Gemaakt op" in flat


def test_the_in_view_export_holds_the_pages_numbers_and_hides_the_same_cells(cast, login):
    build(cast)
    client = login(cast.coordinator)
    rows = _csv(client.get("/regio/export/in-beeld.csv"))
    total = next(r for r in rows if r and r[0] == "Totaal")
    # 1 in view, 2 out of view, 2 unknown, 5 in all: every one under 5 is hidden, and the
    # total of 5 shows.
    assert total == ["Totaal", "<5", "<5", "<5", "5"]
    html = client.get("/regio/").content.decode()
    assert '<td class="text-end" data-cell="5">5</td>' in html


def test_the_xlsx_export_has_numbers_as_numbers(cast, login):
    known = build(cast)
    for i in range(6):
        from tests.factories import StudentFactory

        s = StudentFactory(school=cast.school, region=cast.region, municipality=cast.municipality)
        give_consent(s)
    rows = _xlsx(login(cast.coordinator).get("/regio/export/toestemming.xlsx"))
    # Nobody was asked for contact consent: 0, 0, 0 and 13 not asked, all shown as numbers.
    contact = next(r for r in rows if r and r[0] == Purpose.CONTACT.label)
    assert contact[1:] == [0, 0, 0, 13, 13] and all(isinstance(v, int) for v in contact[1:])
    # Sharing: 11 given, 1 refused, 1 withdrawn; 1 + 1 = 2 would give both away, so more is hidden.
    sharing = next(r for r in rows if r and r[0] == Purpose.SHARING.label)
    assert sharing[2] == "<5" and sharing[3] == "<5" and "x" in sharing
    assert known


def test_the_case_list_holds_only_visible_students_and_logs_each(cast, login):
    known = build(cast)
    client = login(cast.coordinator)
    assert client.get("/regio/caselijst.csv").status_code == 405
    response = client.post("/regio/caselijst.csv")
    text = response.content.decode("utf-8-sig")
    visible = ["in_view", "old", "attempt", "silent", "late"]
    for name in visible:
        assert known.students[name].last_name in text
    # Refused and withdrawn sharing: not on the list; moved: lives in another region now.
    for name in ("refused", "withdrew"):
        assert known.students[name].sort_name not in text
    logged = set(
        AccessLogEntry.objects.filter(action=Action.EXPORT, detail="caselist").values_list("student_code", flat=True)
    )
    assert logged == {known.students[n].code for n in visible}


@pytest.mark.parametrize("role", ["coach", "zorg", "stagiair", "matchtafel", "beheerder"])
def test_only_coordinators_export_a_case_list(cast, login, role):
    assert login(getattr(cast, role)).post("/regio/caselijst.csv").status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_research_export_is_pseudonymised_and_recorded(cast, login, fmt):
    known = build(cast)
    client = login(cast.coordinator)
    client.post("/regio/onderzoek/", {"name": "Evaluatie wet"})
    project = ResearchProject.objects.get(name="Evaluatie wet")
    response = client.post(f"/regio/onderzoek/{project.code}/export.{fmt}")
    rows = _csv(response) if fmt == "csv" else _xlsx(response)
    header, body = rows[0], rows[1:]
    assert header[0] == "pseudoniem"
    # Only in_view consented to research (old withdrew, attempt refused).
    assert [r[0] for r in body] == [pseudonym(project, known.students["in_view"].code)]
    flat = " ".join(str(c) for r in rows for c in r)
    for student in known.students.values():
        assert student.last_name not in flat and student.first_name not in flat
        assert str(student.code) not in flat
    assert len(body[0][2]) == 7  # diploma month YYYY-MM
    record = ResearchExport.objects.get()
    assert (record.project, record.made_by, record.row_count, record.file_format) == (
        project,
        cast.coordinator.user,
        1,
        fmt,
    )


def test_pseudonyms_are_stable_within_a_project_and_differ_across_projects(cast):
    a = ResearchProject.objects.create(name="A", region=cast.region)
    b = ResearchProject.objects.create(name="B", region=cast.region)
    code = "6b1f6a53-8c1e-4d3c-9a55-0f4f1cb5a111"
    assert pseudonym(a, code) == pseudonym(a, code)
    assert pseudonym(a, code) != pseudonym(b, code)


def test_a_student_who_gives_research_consent_later_joins_the_export(cast, login):
    known = build(cast)
    give_consent(known.students["silent"], purpose=Purpose.RESEARCH)
    client = login(cast.coordinator)
    client.post("/regio/onderzoek/", {"name": "Evaluatie"})
    project = ResearchProject.objects.get()
    rows = _csv(client.post(f"/regio/onderzoek/{project.code}/export.csv"))
    assert len(rows) == 3


def test_the_beheerder_sees_the_research_exports_of_the_region(cast, login):
    build(cast)
    login(cast.coordinator).post("/regio/onderzoek/", {"name": "Evaluatie"})
    project = ResearchProject.objects.get()
    login(cast.coordinator).post(f"/regio/onderzoek/{project.code}/export.csv")
    html = login(cast.beheerder).get("/regio/onderzoek/log/").content.decode()
    assert "Evaluatie" in html and cast.coordinator.user.email in html


@pytest.mark.parametrize("role", ["gemeente_coordinator", "coach", "zorg", "outsider_coordinator"])
def test_only_the_regions_rmc_coordinator_exports_for_research(cast, login, role):
    project = ResearchProject.objects.create(name="A", region=cast.region)
    response = login(getattr(cast, role)).post(f"/regio/onderzoek/{project.code}/export.csv")
    assert response.status_code in (403, 404)
    assert not ResearchExport.objects.exists()


def test_data_leak_each_coordinator_exports_only_their_own_people(cast, login):
    known = build(cast)
    text = login(cast.outsider_coordinator).post("/regio/caselijst.csv").content.decode("utf-8-sig")
    # Rijnland's coordinator: only the young person who moved there.
    assert known.students["moved"].last_name in text
    for name, student in known.students.items():
        if name != "moved" and student.last_name != known.students["moved"].last_name:
            assert student.last_name not in text
    gemeente = login(cast.gemeente_coordinator).post("/regio/caselijst.csv").content.decode("utf-8-sig")
    assert known.students["late"].last_name not in gemeente or known.students["late"].last_name in {
        known.students[n].last_name for n in ("in_view", "old", "attempt", "silent")
    }


@pytest.mark.parametrize("table", ["in-beeld", "situatie-12", "toestemming"])
def test_data_leak_national_exports_hold_no_names(cast, client, table):
    known = build(cast)
    client.force_login(known.analyst.user)
    response = client.get(f"/regio/landelijk/export/{table}.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    for student in known.students.values():
        assert student.last_name not in text
    assert "IJssel-Vecht" in text or table == "toestemming"


@pytest.mark.parametrize("role", ["coordinator", "coach", "beheerder"])
def test_only_the_analyst_exports_national_tables(cast, login, role):
    assert login(getattr(cast, role)).get("/regio/landelijk/export/in-beeld.csv").status_code == 403
