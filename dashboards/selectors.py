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
SUMMARY_COUNTS = ("contacts_reached", "contacts_unreached", "checkins_on_time", "checkins_late", "checkins_overdue")


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
    """A CASE on the student's region: each region's own setting. One WHEN per value that
    differs from the default (not one per region): the national overview's 40 regions mostly
    use the defaults, and a 40-branch CASE in the grouping key cost a second per 100,000 rows."""
    default = value(RegionSetting())
    regions_by_value: dict = {}
    for rid, s in settings.items():
        if value(s) != default:
            regions_by_value.setdefault(value(s), []).append(rid)
    whens = [When(region_id__in=rids, then=Value(v)) for v, rids in regions_by_value.items()]
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
    from coaching.selectors import caseloads_for

    if membership.role == Role.COACH:
        return []
    return [
        {"name": m.user.full_name, "caseload": m.caseload, "capacity": m.capacity} for m in caseloads_for(membership)
    ]
