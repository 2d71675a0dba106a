"""The dashboard's figures. Every count starts from the access door (`students.access`): a
figure counts only young people the viewer may count. Each table is one grouped query, so a
page costs the same number of queries for 50 students or 150,000; small numbers are hidden
by `kwint.lib.stats.suppress_table` (and so is anything that would give them away)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organisation, Role
from coaching.models import MEASUREMENT_MONTHS, CheckIn, Contact, ContractType, SituationKind, SituationRecord
from dashboards.filters import GROUPS
from dashboards.models import RegionSetting, settings_for
from kwint.lib.stats import SuppressedTable, suppress_table
from students.access import students_consent_scope, students_counted_for
from students.models import Outcome, Purpose, Status, Student

DUURZAAM = "duurzaam"
# The columns of a situation table: work split in duurzaam and the rest, so every column is
# a category of its own and the row adds up to the students measured.
SITUATION_COLUMNS = [
    (DUURZAAM, _("Duurzaam werk")),
    (SituationKind.WORK.value, _("Ander werk")),
    (SituationKind.EDUCATION.value, SituationKind.EDUCATION.label),
    (SituationKind.WORK_BENEFIT.value, SituationKind.WORK_BENEFIT.label),
    (SituationKind.BENEFIT.value, SituationKind.BENEFIT.label),
    (SituationKind.DAYCARE.value, SituationKind.DAYCARE.label),
    (SituationKind.NOTHING.value, _("Niets")),
    (SituationKind.UNKNOWN.value, _("Onbekend")),
]
IN_VIEW_COLUMNS = [("in_view", _("In beeld")), ("out_of_view", _("Uit beeld")), ("unknown", _("Onbekend"))]
CONSENT_COLUMNS = [
    (Status.GIVEN.value, _("Gegeven")),
    (Status.REFUSED.value, _("Geweigerd")),
    (Status.WITHDRAWN.value, _("Ingetrokken")),
    ("not_asked", _("Niet gevraagd")),
]
CONTACT_COLUMNS = [("reached_n", _("Bereikt")), ("not_reached_n", _("Niet bereikt"))]
CHECKIN_COLUMNS = [("on_time", _("Op tijd")), ("late", _("Te laat gedaan")), ("overdue", _("Open en te laat"))]
FUNNEL_COLUMNS = [
    ("out", _("Niet in beeld")),
    ("in_view", _("In beeld, geen werk")),
    ("work", _("Werk, niet duurzaam")),
    (DUURZAAM, _("Duurzaam werk")),
]
# A check-in done within a week of its date counts as on time.
ON_TIME_DAYS = 7
CONTACT_PERIOD_MONTHS = 12


class MonthsAfter(Func):
    """date + n months, in the database (PostgreSQL's month arithmetic: 31 Aug + 6 = 28 Feb)."""

    output_field = DateField()

    def __init__(self, expression, months: int):
        super().__init__(expression, months=int(months))

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) + make_interval(months => {int(self.extra['months'])}))::date", params


@dataclass
class Scope:
    """Whose figures: which membership, over which students, and what the page calls it."""

    membership: Membership
    kind: str  # "region", "municipality", "school", "coach", "national"
    name: str
    region_ids: list[int]
    school: Organisation | None = None
    settings: dict[int, RegionSetting] = field(default_factory=dict)

    def students(self) -> QuerySet[Student]:
        return self._narrow(students_counted_for(self.membership))

    def consent_students(self) -> QuerySet[Student]:
        return self._narrow(students_consent_scope(self.membership))

    def _narrow(self, students: QuerySet[Student]) -> QuerySet[Student]:
        org = self.membership.organisation
        if self.kind == "region":
            # The region's young people by where they live now: one who moved away counts
            # in their new region, not here.
            return students.filter(region=org.region_id)
        if self.kind == "municipality":
            return students.filter(municipality=org.municipality_id)
        return students


DASHBOARD_ROLES = (Role.COORDINATOR, Role.ZORGCOORDINATOR, Role.COACH)


def dashboard_scope(membership: Membership) -> Scope | None:
    """The dashboard this membership gets, or None (no dashboard for this role)."""
    org = membership.organisation
    if membership.role not in DASHBOARD_ROLES:
        return None
    if org.kind == Organisation.Kind.SCHOOL:
        kind = "coach" if membership.role == Role.COACH else "school"
        scope = Scope(membership, kind, org.name, [org.region_id], school=org)
    elif membership.role == Role.COACH:
        scope = Scope(membership, "coach", membership.user.full_name, [org.region_id])
    elif org.kind == Organisation.Kind.RMC:
        scope = Scope(membership, "region", org.region.name, [org.region_id])
    elif org.kind == Organisation.Kind.GEMEENTE and org.municipality_id:
        scope = Scope(membership, "municipality", org.municipality.name, [org.region_id])
    else:
        scope = Scope(membership, "coach", org.name, [org.region_id])
    scope.settings = settings_for(scope.region_ids)
    return scope


def national_scope(membership: Membership) -> Scope:
    from accounts.models import Region

    region_ids = list(Region.objects.values_list("pk", flat=True))
    return Scope(membership, "national", "Nederland", region_ids, settings=settings_for(region_ids))


# --- building blocks ------------------------------------------------------------------------


def _per_region(settings: dict[int, RegionSetting], value, output_field):
    """A CASE on the student's region: each region's own setting."""
    whens = [When(region_id=rid, then=Value(value(s))) for rid, s in settings.items()]
    default = value(RegionSetting())
    if not whens:
        return Value(default, output_field=output_field)
    return Case(*whens, default=Value(default), output_field=output_field)


def in_view_annotated(students: QuerySet[Student], scope: Scope, now: dt.datetime) -> QuerySet[Student]:
    since = _per_region(
        scope.settings, lambda s: now - relativedelta(months=s.in_view_months), output_field=DateTimeField()
    )
    reached = Contact.objects.filter(student=OuterRef("pk"), reached=True, at__gte=OuterRef("in_view_since"))
    return students.annotate(
        in_view_since=since,
        is_in_view=Exists(reached),
        was_contacted=Exists(Contact.objects.filter(student=OuterRef("pk"))),
    )


def _situation_category(months: int | None):
    """The student's situation `months` after the diploma (None: the latest), as a category:
    the latest record from the diploma up to that date, work split by the region's duurzaam."""
    records = SituationRecord.objects.filter(student=OuterRef("pk"), date__gte=OuterRef("outcome_date"))
    if months is not None:
        records = records.filter(date__lte=OuterRef(f"measured_{months}"))
    duurzaam = Q(kind=SituationKind.WORK) & (
        (Q(contract_type=ContractType.PERMANENT) & Exact(OuterRef("duurzaam_permanent"), True))
        | Q(hours_per_week__gte=OuterRef("duurzaam_hours"))
    )
    category = Case(When(duurzaam, then=Value(DUURZAAM)), default=F("kind"), output_field=CharField())
    return Subquery(records.order_by("-date", "-id").annotate(category=category).values("category")[:1])


def with_situations(students: QuerySet[Student], scope: Scope, *, diploma_only: bool = True) -> QuerySet[Student]:
    annotations = {
        "duurzaam_permanent": _per_region(scope.settings, lambda s: s.duurzaam_permanent, BooleanField()),
        "duurzaam_hours": _per_region(scope.settings, lambda s: s.duurzaam_min_hours, IntegerField()),
    }
    for months in MEASUREMENT_MONTHS:
        annotations[f"measured_{months}"] = MonthsAfter("outcome_date", months)
    if diploma_only:
        students = students.filter(outcome=Outcome.DIPLOMA, outcome_date__isnull=False)
    students = students.annotate(**annotations)
    return students.annotate(
        **{f"situation_{m}": _situation_category(m) for m in MEASUREMENT_MONTHS},
        situation_now=_situation_category(None),
    )


def _table(rows: list[dict], columns: list[tuple[str, str]], *, total_row: bool = True) -> SuppressedTable:
    labels = [_label(r["group"]) for r in rows]
    values = [[r[key] for key, _label_ in columns] for r in rows]
    table = suppress_table(labels, [str(label) for _key, label in columns], values, total_row=total_row)
    table.keys = [key for key, _label_ in columns]
    return table


def _label(value) -> str:
    return "—" if value in (None, "") else str(value)


def _group_field(group: str, prefix: str = "") -> str:
    return prefix + GROUPS[group][1]


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


def consent_table(scope: Scope, students: QuerySet[Student]) -> SuppressedTable:
    """Per purpose: given, refused, withdrawn, not asked. Counted over the viewer's whole scope
    whatever the answer (a refusal hides the record, not the count). Two queries."""
    from students.models import CurrentConsent

    total = students.count()
    answers = (
        CurrentConsent.objects.filter(student__in=students.values("pk"))
        .values("purpose", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counted = {(a["purpose"], a["status"]): a["n"] for a in answers}
    rows = []
    for purpose in Purpose:
        row = {"group": purpose.label}
        for status in Status:
            row[status.value] = counted.get((purpose.value, status.value), 0)
        row["not_asked"] = total - sum(row[s.value] for s in Status)
        rows.append(row)
    # One young person counts once per purpose: a total over the purposes means nothing.
    return _table(rows, CONSENT_COLUMNS, total_row=False)


def contact_table(students: QuerySet[Student], group: str, now=None) -> SuppressedTable:
    """Contacts and attempts in the last twelve months, reached or not, per group."""
    now = now or timezone.now()
    rows = (
        Contact.objects.filter(
            student__in=students.values("pk"), at__gte=now - relativedelta(months=CONTACT_PERIOD_MONTHS)
        )
        .values(group=F(_group_field(group, "student__")))
        .annotate(reached_n=Count("pk", filter=Q(reached=True)), not_reached_n=Count("pk", filter=Q(reached=False)))
        .order_by("group")
    )
    return _table(list(rows), CONTACT_COLUMNS)


def checkin_table(students: QuerySet[Student], group: str, today=None) -> SuppressedTable:
    """Check-ins due in the last twelve months: done on time, done late, still open past
    their date, per group."""
    today = today or timezone.localdate()
    done = Q(status=CheckIn.Status.DONE)
    grace = F("due_date") + dt.timedelta(days=ON_TIME_DAYS)
    rows = (
        CheckIn.objects.filter(
            trajectory__student__in=students.values("pk"),
            due_date__gte=today - relativedelta(months=CONTACT_PERIOD_MONTHS),
            due_date__lt=today,
        )
        .exclude(status=CheckIn.Status.CANCELLED)
        .values(group=F(_group_field(group, "trajectory__student__")))
        .annotate(
            on_time=Count("pk", filter=done & Q(completed_at__date__lte=grace)),
            late=Count("pk", filter=done & Q(completed_at__date__gt=grace)),
            overdue=Count("pk", filter=~done),
        )
        .order_by("group")
    )
    return _table(list(rows), CHECKIN_COLUMNS)


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
        **{f"situation_{m}": F(f"{summary}situation_{m}") for m in MEASUREMENT_MONTHS},
        **{
            f"due_{m}": ExpressionWrapper(Q(**{f"measured_{m}__lte": today}), output_field=BooleanField())
            for m in MEASUREMENT_MONTHS
        },
    )
    fields = [
        "is_in_view",
        "was_contacted",
        "has_diploma",
        "situation_now",
        *[f"situation_{m}" for m in MEASUREMENT_MONTHS],
        *[f"due_{m}" for m in MEASUREMENT_MONTHS],
    ]
    return list(
        annotated.values(*fields, group_value=F(_group_field(group)), cohort_value=F("cohort"))
        .annotate(n=Count("pk"))
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
        if not fact["has_diploma"] or not fact[f"due_{months}"]:
            return None
        return fact[f"situation_{months}"] or SituationKind.UNKNOWN.value

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


def _share(table: SuppressedTable, row: int, column: int) -> int | None:
    """A whole percentage of the row total, or None when the count or the total is hidden."""
    part = table.shown_value(row, column)
    whole = table.shown_value(row, len(table.columns))
    if part is None or not whole:
        return None
    return round(100 * part / whole)


def caseloads(membership: Membership) -> list[dict]:
    """Per coach of the viewer's organisation: caseload against capacity (staff, not young
    people: no suppression)."""
    from coaching.selectors import team_for

    if membership.role == Role.COACH:
        return []
    return [{"name": m.user.full_name, "caseload": m.caseload, "capacity": m.capacity} for m in team_for(membership)]


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
        contacts=contact_table(students, group),
        checkins=checkin_table(students, group),
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
