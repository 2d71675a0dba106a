"""Every dashboard figure on the hand-made region of `tests.dashboards.known`, where the answer
is known: in view, consent per purpose (with withdrawal), situation at 6/12/24 months with the
region's own "duurzaam", a student who moved region, unknown situations; per viewer."""

from __future__ import annotations

import pytest

from dashboards.figures import funnel_table, in_view_table, situation_tables
from dashboards.models import RegionSetting
from dashboards.selectors import checkin_table, consent_table, contact_table, dashboard_scope, national_scope
from dashboards.summary import summary_refresh_changed
from tests.dashboards.known import build


def totals(table) -> dict:
    grid = table.grid()
    return {**dict(zip(table.keys, grid[-1][:-1], strict=True)), "total": grid[-1][-1]}


def row(table, label) -> dict:
    grid = table.grid()
    r = table.rows.index(label)
    return {**dict(zip(table.keys, grid[r][:-1], strict=True)), "total": grid[r][-1]}


@pytest.fixture
def known(cast):
    return build(cast)


def _scope(membership):
    scope = dashboard_scope(membership)
    return scope, scope.students()


def test_in_view_out_of_view_and_unknown(cast, known):
    scope, students = _scope(cast.coordinator)
    # in_view: reached a month ago; old (5 months) and attempt (not reached): out of view;
    # silent and late: nothing logged. refused/withdrew are not visible, moved lives elsewhere.
    assert totals(in_view_table(students, scope, "school")) == {
        "in_view": 1,
        "out_of_view": 2,
        "unknown": 2,
        "total": 5,
    }


def test_the_in_view_months_are_set_per_region(cast, known):
    RegionSetting.objects.create(region=cast.region, in_view_months=6)
    scope, students = _scope(cast.coordinator)
    assert totals(in_view_table(students, scope, "school"))["in_view"] == 2


def test_situation_at_6_12_and_24_months(cast, known):
    scope, students = _scope(cast.coordinator)
    tables = situation_tables(students, scope, "school")
    six, twelve, twentyfour = (totals(tables[m]) for m in (6, 12, 24))
    # Permanent contract (in_view) and 36 hours (old) are both duurzaam by default; attempt's
    # "onbekend" and silent's record from before the diploma are unknown; late is not measured.
    assert six == {**dict.fromkeys(tables[6].keys, 0), "duurzaam": 2, "onbekend": 2, "total": 4}
    assert twelve == {**dict.fromkeys(tables[12].keys, 0), "duurzaam": 1, "opleiding": 1, "onbekend": 2, "total": 4}
    assert twentyfour["total"] == 0


def test_duurzaam_follows_the_regions_definition(cast, known):
    RegionSetting.objects.create(region=cast.region, duurzaam_permanent=False, duurzaam_min_hours=32)
    summary_refresh_changed(full=True)
    scope, students = _scope(cast.coordinator)
    six = totals(situation_tables(students, scope, "school")[6])
    # A permanent contract of 20 hours is other work here; 36 hours is duurzaam.
    assert six["duurzaam"] == 1 and six["werk"] == 1


def test_consent_per_purpose_counts_refusals_and_withdrawals(cast, known):
    scope = dashboard_scope(cast.coordinator)
    table = consent_table(scope, scope.consent_students())
    from students.models import Purpose

    # Seven young people live in the region (moved lives elsewhere now).
    assert row(table, Purpose.SHARING.label) == {
        "given": 5,
        "refused": 1,
        "withdrawn": 1,
        "not_asked": 0,
        "total": 7,
    }
    assert row(table, Purpose.RESEARCH.label) == {
        "given": 1,
        "refused": 1,
        "withdrawn": 1,
        "not_asked": 4,
        "total": 7,
    }
    assert row(table, Purpose.CONTACT.label)["not_asked"] == 7


def test_contacts_and_reach(cast, known):
    scope, students = _scope(cast.coordinator)
    assert totals(contact_table(students, "school")) == {"reached_n": 2, "not_reached_n": 1, "total": 3}


def test_checkins_on_time_late_and_overdue(cast, known):
    scope, students = _scope(cast.coordinator)
    assert totals(checkin_table(students, "school")) == {"on_time": 1, "late": 1, "overdue": 1, "total": 3}


def test_funnel_from_diploma_to_duurzaam(cast, known):
    scope, students = _scope(cast.coordinator)
    assert totals(funnel_table(students, scope)) == {"out": 4, "in_view": 0, "work": 0, "duurzaam": 1, "total": 5}


def test_a_student_who_moved_counts_in_the_new_region(cast, known):
    scope, students = _scope(cast.outsider_coordinator)
    assert totals(in_view_table(students, scope, "school")) == {
        "in_view": 1,
        "out_of_view": 0,
        "unknown": 0,
        "total": 1,
    }


def test_the_municipal_coordinator_counts_only_their_municipality(cast, known):
    scope, students = _scope(cast.gemeente_coordinator)
    # late lives in Kampen.
    assert totals(in_view_table(students, scope, "school"))["total"] == 4


def test_a_coach_counts_only_their_own_students(cast, known):
    scope, students = _scope(cast.coach)
    assert totals(in_view_table(students, scope, "school")) == {
        "in_view": 1,
        "out_of_view": 1,
        "unknown": 0,
        "total": 2,
    }


def test_the_school_counts_its_own_students_whatever_the_sharing_consent(cast, known):
    scope, students = _scope(cast.zorg)
    # The school keeps its own view: all eight, the one who moved and the refusals included.
    assert totals(in_view_table(students, scope, "school"))["total"] == 8


def test_the_national_analyst_counts_every_region(cast, known):
    scope = national_scope(known.analyst)
    table = in_view_table(scope.students(), scope, "regio")
    assert row(table, "IJssel-Vecht")["total"] == 5
    assert row(table, "Rijnland")["total"] == 1


def test_filters_narrow_every_figure(cast, known):
    from dashboards.filters import apply_filters

    scope, students = _scope(cast.coordinator)
    late = known.students["late"]
    only_late = apply_filters(students, {"cohort": late.cohort, "gemeente": late.municipality})
    assert totals(in_view_table(only_late, scope, "school"))["total"] == 1


def test_the_summary_takes_in_a_new_contact_on_its_next_run(cast, known):
    from django.utils import timezone

    from coaching.models import Contact

    scope, students = _scope(cast.coordinator)
    Contact.objects.create(student=known.students["silent"], at=timezone.now(), reached=True)
    # Until the summary runs, the page shows the figures of its last run (and says so).
    assert totals(in_view_table(students, scope, "school"))["in_view"] == 1
    assert summary_refresh_changed() >= 1
    assert totals(in_view_table(students, scope, "school")) == {
        "in_view": 2,
        "out_of_view": 2,
        "unknown": 1,
        "total": 5,
    }


def test_a_second_summary_run_changes_nothing(cast, known):
    scope, students = _scope(cast.coordinator)
    before = totals(in_view_table(students, scope, "school"))
    summary_refresh_changed()
    summary_refresh_changed()
    assert totals(in_view_table(students, scope, "school")) == before


def test_the_dashboard_counts_contacts_and_checkins_as_the_live_tables_do(cast, known):
    from dashboards.figures import dashboard

    scope, students = _scope(cast.coordinator)
    board = dashboard(scope, {}, "school")
    assert board.contacts.grid() == contact_table(students, "school").grid()
    assert board.checkins.grid() == checkin_table(students, "school").grid()
    assert totals(board.checkins) == {"on_time": 1, "late": 1, "overdue": 1, "total": 3}
