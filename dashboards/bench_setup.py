"""The small part of the national benchmark data set, made through the ORM: regions,
gemeenten, organisations, staff and their roles, contact plans and consent texts.

`seed_bench` (the command) builds on these with server-side bulk inserts; this module only
returns the ids the SQL needs, as plain rows for temporary tables.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import CoachKind, Membership, Municipality, Organisation, Region, Role, User
from coaching.models import FollowUpPlan
from coaching.services import followup_plans_ensure
from consent.models import ConsentText, Purpose
from kwint.lib.text import fold

# Region.number of bench regions: far above the 40 real RMC numbers, so a bench region is
# recognisable (the command is idempotent by it) and never mistaken for a real one.
BENCH_NUMBER_BASE = 900
EMAIL_DOMAIN = "bench.kwint.test"

# The 40 RMC regions, roughly as the ministry lists them, with a relative size: the big cities
# guide many times more young people than the rural regions.
REGIONS: list[tuple[str, float]] = [
    ("Groningen", 1.3),
    ("Oost-Groningen", 0.5),
    ("Friesland Noord", 0.8),
    ("Friesland Zuid-West", 0.6),
    ("Drenthe Noord", 0.5),
    ("Zuidoost-Drenthe", 0.5),
    ("IJssel-Vecht", 1.0),
    ("Twente-Noord", 0.8),
    ("Twente-Zuid", 0.9),
    ("Achterhoek", 0.7),
    ("Stedendriehoek", 0.8),
    ("Noordwest-Veluwe", 0.5),
    ("Eem en Vallei", 0.9),
    ("Utrecht", 1.8),
    ("Utrecht-Zuid", 0.8),
    ("Midden-Holland", 0.6),
    ("Rijnland", 1.0),
    ("Haaglanden", 2.2),
    ("Zuid-Holland-Oost", 0.8),
    ("Rijnmond", 2.6),
    ("Zuid-Holland-Zuid", 0.7),
    ("Drechtsteden", 0.7),
    ("Gooi en Vechtstreek", 0.6),
    ("Amsterdam-Diemen", 2.6),
    ("Zaanstreek-Waterland", 0.8),
    ("Kop van Noord-Holland", 0.5),
    ("West-Friesland", 0.6),
    ("Noord-Kennemerland", 0.6),
    ("Zuid-Kennemerland", 0.7),
    ("Flevoland", 1.1),
    ("Rivierenland", 0.6),
    ("Arnhem-Nijmegen", 1.9),
    ("West-Brabant", 1.4),
    ("Midden-Brabant", 1.1),
    ("Noordoost-Brabant", 1.1),
    ("Zuidoost-Brabant", 1.4),
    ("Noord-Limburg", 0.6),
    ("Midden-Limburg", 0.5),
    ("Zuid-Limburg", 1.1),
    ("Zeeland", 0.7),
]

COACH_FIRST = ["Jamal", "Sanne", "Peter", "Marieke", "Noor", "Ria", "Kees", "Annelies", "Wouter", "Fatma", "Henk"]
COACH_LAST = ["de Vries", "Jansen", "El Amrani", "Bakker", "Haddou", "Meijer", "Mulder", "Verbeek", "de Graaf"]


@dataclass
class Staff:
    """What the SQL steps need, as rows: (region_no, ...ids)."""

    regions: list[tuple] = field(default_factory=list)  # (no, region_id, weight, n_munis, n_schools, rmc, gemeente)
    municipalities: list[tuple] = field(default_factory=list)  # (region_no, idx, municipality_id, name)
    schools: list[tuple] = field(default_factory=list)  # (region_no, idx, org_id)
    coaches: list[tuple] = field(default_factory=list)  # (org_id, idx, user_id)
    zorg: list[tuple] = field(default_factory=list)  # (school_org_id, user_id)
    coordinators: list[tuple] = field(default_factory=list)  # (org_id, user_id)
    plans: list[tuple] = field(default_factory=list)  # (org_id, plan_id, name_nl, name_en)
    texts: list[tuple] = field(default_factory=list)  # (region_no, purpose, text_id)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(COACH_FIRST)} {rng.choice(COACH_LAST)}"


def setup_staff(*, regions: int, coaches: int, seed: int) -> Staff:
    """Regions, gemeenten, organisations and staff for `regions` regions with `coaches`
    coaches in all (half at the RMC, a fifth at the gemeente, the rest at the schools)."""
    rng = random.Random(seed)
    password = make_password(None)  # unusable: bench accounts are entered with force_login only
    now = timezone.now()
    staff = Staff()
    per_region = [coaches // regions + (1 if i < coaches % regions else 0) for i in range(regions)]
    specs = [REGIONS[i % len(REGIONS)] for i in range(regions)]
    users: list[User] = []
    pending: list[tuple[int, str, str, str, int | None]] = []  # (user index, org key, role, kind, capacity)
    orgs: dict[str, Organisation] = {}

    def user(email: str) -> int:
        users.append(User(email=email, full_name=_name(rng), password=password, date_joined=now))
        return len(users) - 1

    for no in range(1, regions + 1):
        base_name, weight = specs[no - 1]
        if no > len(REGIONS):
            base_name = f"{base_name} {no}"
        # "RMC-regio ...": never the name of a region the test cast makes (IJssel-Vecht, Rijnland).
        name = f"RMC-regio {base_name}"
        region = Region.objects.create(name=name, number=BENCH_NUMBER_BASE + no)
        n_munis = rng.randint(5, 14)
        munis = Municipality.objects.bulk_create(
            [Municipality(name=f"{base_name} gemeente {i}", region=region) for i in range(1, n_munis + 1)]
        )
        staff.municipalities += [(no, i, m.pk, m.name) for i, m in enumerate(munis, start=1)]
        n_schools = rng.choice([1, 2, 2, 2, 3])
        region_orgs = [(f"rmc{no}", f"RMC / Doorstroompunt {base_name}", Organisation.Kind.RMC, munis[0])]
        region_orgs.append((f"gem{no}", f"Gemeente {munis[0].name}", Organisation.Kind.GEMEENTE, munis[0]))
        region_orgs.append((f"wsp{no}", f"Werkgeversservicepunt {base_name}", Organisation.Kind.WSP, munis[0]))
        region_orgs += [
            (f"school{no}-{s}", f"ROC {base_name} {s}", Organisation.Kind.SCHOOL, munis[(s - 1) % n_munis])
            for s in range(1, n_schools + 1)
        ]
        for key, org_name, kind, muni in region_orgs:
            # bulk_create skips save(), which keeps the search column: fill it here.
            orgs[key] = Organisation(
                name=org_name, kind=kind, region=region, municipality=muni, search_name=fold(org_name)
            )
        Organisation.objects.bulk_create([orgs[key] for key, *_rest in region_orgs])
        staff.regions.append((no, region.pk, weight, n_munis, n_schools, orgs[f"rmc{no}"].pk, orgs[f"gem{no}"].pk))
        staff.schools += [(no, s, orgs[f"school{no}-{s}"].pk) for s in range(1, n_schools + 1)]

        # Coaches: half at the RMC, a fifth at the gemeente, the rest spread over the schools.
        total = per_region[no - 1]
        at_gemeente = max(1, total // 5)
        at_schools = max(n_schools, total - total // 2 - at_gemeente)
        at_rmc = max(1, total - at_gemeente - at_schools)
        plan = (
            [(f"rmc{no}", CoachKind.TRAJECTBEGELEIDER)] * at_rmc
            + [(f"gem{no}", CoachKind.CONSULENT)] * at_gemeente
            + [(f"school{no}-{1 + i % n_schools}", CoachKind.DOORWERKCOACH) for i in range(at_schools)]
        )
        for i, (key, kind) in enumerate(plan, start=1):
            pending.append((user(f"coach-{no}-{i}@{EMAIL_DOMAIN}"), key, Role.COACH, kind, rng.randint(120, 220)))
        pending.append((user(f"rmc-{no}@{EMAIL_DOMAIN}"), f"rmc{no}", Role.COORDINATOR, "", None))
        pending.append((user(f"gemeente-{no}@{EMAIL_DOMAIN}"), f"gem{no}", Role.COORDINATOR, "", None))
        pending.append((user(f"beheer-{no}@{EMAIL_DOMAIN}"), f"rmc{no}", Role.BEHEERDER, "", None))
        for s in range(1, n_schools + 1):
            pending.append((user(f"zorg-{no}-{s}@{EMAIL_DOMAIN}"), f"school{no}-{s}", Role.ZORGCOORDINATOR, "", None))

    User.objects.bulk_create(users, batch_size=1000)
    memberships = [
        Membership(user=users[i], organisation=orgs[key], role=role, coach_kind=kind, capacity=capacity)
        for i, key, role, kind, capacity in pending
    ]
    Membership.objects.bulk_create(memberships, batch_size=1000)
    counters: dict[int, int] = {}
    for m in memberships:
        if m.role == Role.COACH:
            counters[m.organisation.pk] = counters.get(m.organisation.pk, 0) + 1
            staff.coaches.append((m.organisation.pk, counters[m.organisation.pk], m.user.pk))
        elif m.role == Role.ZORGCOORDINATOR:
            staff.zorg.append((m.organisation.pk, m.user.pk))
        elif m.role == Role.COORDINATOR:
            staff.coordinators.append((m.organisation.pk, m.user.pk))

    guiding = [o for o in orgs.values() if o.kind in {Organisation.Kind.RMC, Organisation.Kind.GEMEENTE}]
    guiding += [o for o in orgs.values() if o.kind == Organisation.Kind.SCHOOL]
    for org in guiding:
        followup_plans_ensure(organisation=org)
    for plan in FollowUpPlan.objects.filter(organisation__in=guiding, is_default=True):
        staff.plans.append((plan.organisation_id, plan.pk, plan.name, plan.name_en or plan.name))

    texts = [
        ConsentText(
            purpose=purpose,
            region_id=region_id,
            version=1,
            title_nl=str(purpose.label),
            body_nl="Tekst voor de benchmark.",
            title_en=str(purpose.label),
            body_en="Benchmark text.",
            effective_from=dt.date(2020, 1, 1),
            published_at=now,
        )
        for _no, region_id, *_rest in staff.regions
        for purpose in Purpose
    ]
    ConsentText.objects.bulk_create(texts)
    region_no = {region_id: no for no, region_id, *_rest in staff.regions}
    staff.texts = [(region_no[t.region_id], t.purpose, t.pk) for t in texts]
    return staff
