"""The dashboard's figures, counted in one pass over the students' summary rows and pivoted
into tables (each suppressed by `kwint.lib.stats.suppress_table`); see `dashboards.selectors`
for the scope and the building blocks."""

from __future__ import annotations

from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from coaching.models import MEASUREMENT_MONTHS, SituationKind
from dashboards.selectors import (
    CHECKIN_COLUMNS,
    CONTACT_COLUMNS,
    DUURZAAM,
    FUNNEL_COLUMNS,
    IN_VIEW_COLUMNS,
    SITUATION_COLUMNS,
    SUMMARY_COUNTS,
    MonthsAfter,
    Scope,
    _group_field,
    _per_region,
    _share,
    _table,
    caseloads,
    consent_table,
)
from kwint.lib.stats import SuppressedTable
from students.models import Outcome, Student

# --- the figures ----------------------------------------------------------------------------


def in_view_table(students: QuerySet[Student], scope: Scope, group: str, now=None) -> SuppressedTable:
    """In view (a reached contact within the region's months), out of view (contact logged,
    none reached recently), unknown (nothing logged yet), per group."""
    return in_view_from(student_facts(students, scope, group, now=now))


def situation_tables(students: QuerySet[Student], scope: Scope, group: str, today=None) -> dict[int, SuppressedTable]:
    """Per measurement (6, 12, 24 months after the diploma) the situation of the students with
    a diploma whose measurement date has passed, per group."""
    return situations_from(student_facts(students, scope, group, today=today))


def funnel_table(students: QuerySet[Student], scope: Scope, now=None) -> SuppressedTable:
    """From diploma to in view to duurzaam work (now), as four categories that add up to the
    students with a diploma: the stages are sums of them, so suppression covers the stages."""
    return funnel_from(student_facts(students, scope, "school", now=now), str(scope.name))


def trend(students: QuerySet[Student], scope: Scope, now=None) -> list[dict]:
    return trend_from(student_facts(students, scope, "cohort", now=now))


# --- one pass over the students -------------------------------------------------------------
# Grouping by the per-student values (from the summary) returns a few hundred combinations,
# pivoted into every table here: one query for in view, situations, funnel and trend.


def student_facts(students: QuerySet[Student], scope: Scope, group: str, now=None, today=None) -> list[dict]:
    """Per combination of group, cohort, in view, contacted, diploma and situations: how many
    students. One query, over the students' summary rows (dashboards.summary): "in view" and
    whether a measurement date has passed are decided here, against the clock."""
    now = now or timezone.now()
    today = today or timezone.localdate()
    since = _per_region(
        scope.settings, lambda s: now - relativedelta(months=s.in_view_months), output_field=DateTimeField()
    )
    summary = "dashboard_summary__"
    annotated = students.annotate(
        in_view_since=since,
        **{f"measured_{m}": MonthsAfter("outcome_date", m) for m in MEASUREMENT_MONTHS},
    ).annotate(
        is_in_view=ExpressionWrapper(Q(**{f"{summary}last_reached_at__gte": F("in_view_since")}), BooleanField()),
        was_contacted=F(f"{summary}contacted"),
        situation_now=F(f"{summary}situation_now"),
        has_diploma=ExpressionWrapper(Q(outcome=Outcome.DIPLOMA, outcome_date__isnull=False), BooleanField()),
        # A measurement counts only for a diploma whose date has passed (NULL: not counted);
        # folded into one column each so the grouping has fewer keys to sort on.
        **{
            f"situation_{m}": Case(
                When(
                    Q(outcome=Outcome.DIPLOMA, outcome_date__isnull=False, **{f"measured_{m}__lte": today}),
                    then=Coalesce(NullIf(F(f"{summary}situation_{m}"), Value("")), Value(SituationKind.UNKNOWN.value)),
                ),
                default=None,
                output_field=CharField(),
            )
            for m in MEASUREMENT_MONTHS
        },
    )
    fields = [
        "is_in_view",
        "was_contacted",
        "has_diploma",
        "situation_now",
        *[f"situation_{m}" for m in MEASUREMENT_MONTHS],
    ]
    sums = {f"sum_{k}": Coalesce(Sum(f"{summary}{k}"), 0) for k in SUMMARY_COUNTS}
    return list(
        annotated.values(*fields, group_value=F(_group_field(group)), cohort_value=F("cohort"))
        .annotate(n=Count("pk"), **sums)
        .order_by()
    )


def _pivot(facts: list[dict], key: str, columns, classify) -> SuppressedTable:
    rows: dict = {}
    for fact in facts:
        column = classify(fact)
        if column is None:
            continue
        row = rows.setdefault(fact[key], dict.fromkeys((c for c, _l in columns), 0))
        row[column] += fact["n"]
    ordered = sorted(rows.items(), key=lambda item: (item[0] is None, str(item[0])))
    return _table([{"group": g, **counts} for g, counts in ordered], columns)


def _in_view_of(fact: dict) -> str:
    if fact["is_in_view"]:
        return "in_view"
    return "out_of_view" if fact["was_contacted"] else "unknown"


def _situation_of(months: int):
    def classify(fact: dict) -> str | None:
        # None: no diploma or the measurement date has not passed (decided in student_facts).
        return fact[f"situation_{months}"]

    return classify


def _funnel_of(fact: dict) -> str | None:
    if not fact["has_diploma"]:
        return None
    if not fact["is_in_view"]:
        return "out"
    if fact["situation_now"] == DUURZAAM:
        return DUURZAAM
    if fact["situation_now"] in (SituationKind.WORK, SituationKind.WORK_BENEFIT):
        return "work"
    return "in_view"


def _sum_pivot(facts: list[dict], columns, fields: dict[str, str], key: str = "group_value") -> SuppressedTable:
    """Per group, the summed per-student counts (contacts, check-ins); groups with none left out."""
    rows: dict = {}
    for fact in facts:
        row = rows.setdefault(fact[key], dict.fromkeys((c for c, _l in columns), 0))
        for column, name in fields.items():
            row[column] += fact[f"sum_{name}"]
    kept = [(g, counts) for g, counts in rows.items() if any(counts.values())]
    ordered = sorted(kept, key=lambda item: (item[0] is None, str(item[0])))
    return _table([{"group": g, **counts} for g, counts in ordered], columns)


def contacts_from(facts: list[dict]) -> SuppressedTable:
    return _sum_pivot(facts, CONTACT_COLUMNS, {"reached_n": "contacts_reached", "not_reached_n": "contacts_unreached"})


def checkins_from(facts: list[dict]) -> SuppressedTable:
    fields = {"on_time": "checkins_on_time", "late": "checkins_late", "overdue": "checkins_overdue"}
    return _sum_pivot(facts, CHECKIN_COLUMNS, fields)


def in_view_from(facts: list[dict], key: str = "group_value") -> SuppressedTable:
    return _pivot(facts, key, IN_VIEW_COLUMNS, _in_view_of)


def situations_from(facts: list[dict], key: str = "group_value") -> dict[int, SuppressedTable]:
    return {m: _pivot(facts, key, SITUATION_COLUMNS, _situation_of(m)) for m in MEASUREMENT_MONTHS}


def funnel_from(facts: list[dict], name: str) -> SuppressedTable:
    single = [{**f, "scope_name": name} for f in facts]
    table = _pivot(single, "scope_name", FUNNEL_COLUMNS, _funnel_of)
    return (
        table
        if table.rows
        else _table([{"group": name, **dict.fromkeys((c for c, _l in FUNNEL_COLUMNS), 0)}], FUNNEL_COLUMNS)
    )


def trend_from(facts: list[dict]) -> list[dict]:
    """Per cohort: share in view and share in duurzaam work at 12 months, from the same
    suppressed tables (a share is shown only when both its counts are)."""
    in_view = in_view_from(facts, "cohort_value")
    at_12 = situations_from(facts, "cohort_value")[12]
    by_cohort: dict[str, dict] = {}
    for r, label in enumerate(in_view.rows):
        by_cohort.setdefault(label, {"cohort": label})["in_view"] = _share(in_view, r, 0)
    for r, label in enumerate(at_12.rows):
        by_cohort.setdefault(label, {"cohort": label})["duurzaam_12"] = _share(at_12, r, 0)
    return [by_cohort[k] for k in sorted(by_cohort)]


@dataclass
class Dashboard:
    scope: Scope
    group: str
    in_view: SuppressedTable
    situations: dict[int, SuppressedTable]
    funnel: SuppressedTable
    consent: SuppressedTable
    contacts: SuppressedTable
    checkins: SuppressedTable
    trend: list[dict]
    caseloads: list[dict]


def dashboard(scope: Scope, filters: dict, group: str) -> Dashboard:
    """Every figure of the dashboard for `scope`, filtered. A fixed number of queries."""
    from dashboards.filters import apply_filters

    students = apply_filters(scope.students(), filters)
    consent_students = apply_filters(scope.consent_students(), filters)
    facts = student_facts(students, scope, group)
    return Dashboard(
        scope=scope,
        group=group,
        in_view=in_view_from(facts),
        situations=situations_from(facts),
        funnel=funnel_from(facts, str(scope.name)),
        consent=consent_table(scope, consent_students),
        contacts=contacts_from(facts),
        checkins=checkins_from(facts),
        trend=trend_from(facts),
        caseloads=caseloads(scope.membership),
    )


@dataclass
class NationalOverview:
    in_view: SuppressedTable
    situations: dict[int, SuppressedTable]
    consent: SuppressedTable


def national_overview(scope: Scope, filters: dict) -> NationalOverview:
    """The same indicators per region, for the national analyst: counts only, never a name."""
    from dashboards.filters import apply_filters

    facts = student_facts(apply_filters(scope.students(), filters), scope, "regio")
    return NationalOverview(
        in_view=in_view_from(facts),
        situations=situations_from(facts),
        consent=consent_table(scope, apply_filters(scope.consent_students(), filters)),
    )
