"""The bulk of the national benchmark data set, generated inside PostgreSQL.

Every row is computed server-side from `generate_series` and a deterministic hash of its
number (`pg_temp.u(n, salt)`, uniform in [0, 1)): no row travels from Python, the same options
give the same data, and 10 million rows take minutes instead of hours. The distributions are
meant to look like a region's real data (see `seed_bench --help`), not to be statistics.

Temporary tables (dropped at the end) carry the plan between steps: `bench_student` (one row
per young person, with their consent answers and guidance) and `bench_traj` (one row per
trajectory, with how reachable the young person is).
"""

from __future__ import annotations

import datetime as dt
import json

from dashboards.bench_setup import EMAIL_DOMAIN, Staff
from kwint.lib.text import fold

FIRST_NAMES = [
    "Daan", "Sem", "Noah", "Lucas", "Mohammed", "Liam", "Finn", "Mila", "Emma", "Julia", "Sara", "Yara", "Noor",
    "Fenna", "Lotte", "Zoë", "Aylin", "Emre", "Kofi", "Dewi", "Thijs", "Bram", "Anouk", "Iris", "Youssef", "Ilias",
    "Selin", "Priya", "Jesse", "Stijn", "Chloë", "Mees", "Rayan", "Amira", "Bilal",
]  # fmt: skip
TUSSENVOEGSELS = ["", "", "", "", "de", "van", "van der", "van den", "van 't", "ter", "in 't"]
LAST_NAMES = [
    "Jansen", "Vries", "Bakker", "Visser", "Smit", "Meijer", "Boer", "Mulder", "Groot", "Bos", "Vos", "Peters",
    "Hendriks", "Dekker", "Brouwer", "Yılmaz", "El Idrissi", "Kaya", "Özdemir", "Wijk", "Berg", "Dijk", "Kok",
    "Jacobs", "Haan", "Vermeulen", "Koster", "Prins", "Huisman", "d'Souza", "Postma",
]  # fmt: skip
# (name, crebo, level, sector, weight): Entree and level 2 dominate, some level 3/4.
PROGRAMMES = [
    ("Entree - assistent logistiek", "25255", 1, "Entree", 8),
    ("Entree - assistent verkoop/retail", "25256", 1, "Entree", 8),
    ("Entree - assistent horeca, voeding of voedingsindustrie", "25251", 1, "Entree", 7),
    ("Entree - assistent bouwen, wonen en onderhoud", "25252", 1, "Entree", 5),
    ("Entree - assistent zorg en welzijn", "25254", 1, "Entree", 4),
    ("Medewerker logistiek", "25453", 2, "Transport en logistiek", 10),
    ("Verkoopmedewerker", "25467", 2, "Handel", 9),
    ("Helpende zorg en welzijn", "25498", 2, "Zorg en welzijn", 9),
    ("Basismedewerker fastfood", "25181", 2, "Horeca", 5),
    ("Medewerker bouw", "25409", 2, "Bouw", 6),
    ("Medewerker schoonmaak", "25414", 2, "Facilitair", 4),
    ("Kok", "25180", 2, "Horeca", 5),
    ("Medewerker productie", "25322", 2, "Techniek", 5),
    ("Pedagogisch medewerker", "25484", 3, "Zorg en welzijn", 3),
    ("Verzorgende IG", "25491", 3, "Zorg en welzijn", 3),
    ("Medewerker ICT", "25604", 4, "ICT", 2),
    ("Logistiek teamleider", "25455", 3, "Transport en logistiek", 2),
]
CHANNELS = ["telefoon", "telefoon", "telefoon", "app", "app", "sms", "email", "kantoor", "werkplek", "huisbezoek"]
DISCUSSED = [
    "Gesproken over werk en hoe het gaat met de planning.",
    "Cv samen doorgenomen; vacature bij een distributiecentrum besproken.",
    "Gaat goed op het werk, wil graag meer uren.",
    "Twijfelt over een vervolgopleiding; informatie over niveau 3 gegeven.",
    "Geldzorgen besproken; afspraak met schuldhulp gemaakt.",
    "Voicemail ingesproken.",
]
EMPLOYERS = [("Logistiek", "PostNL"), ("Detailhandel", "Jumbo"), ("Horeca", "Van der Valk"), ("Zorg", "Zorggroep")]
TEMP_TABLES = ("bench_region", "bench_muni", "bench_school", "bench_coach", "bench_org", "bench_plan", "bench_text")
TEMP_TABLES += ("bench_programme", "bench_student", "bench_traj")
# Big tables: their secondary indexes are dropped before the inserts and rebuilt after (one
# sort per index instead of millions of random B-tree inserts). Constraint indexes stay.
BIG_TABLES = ("coaching_contact", "coaching_checkin", "coaching_situationrecord", "students_timelineevent")


def _array(values: list) -> str:
    """A SQL ARRAY literal of constants we wrote ourselves (never user input)."""
    quoted = []
    for v in values:
        quoted.append(str(v) if isinstance(v, int) else "'" + str(v).replace("'", "''") + "'")
    return "ARRAY[" + ", ".join(quoted) + "]"


def _pick(values: list, expr: str) -> str:
    """SQL for values[floor(expr * len)], expr uniform in [0, 1)."""
    return f"({_array(values)})[1 + floor(({expr}) * {len(values)})::int]"


def create_helpers(cursor) -> None:
    for table in TEMP_TABLES:
        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{table}")
    # Deterministic "random" in [0, 1) from a row number and a salt.
    cursor.execute(
        """CREATE OR REPLACE FUNCTION pg_temp.u(n bigint, salt int) RETURNS float8
           LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
           $$ SELECT (hashint8(n * 7919 + salt) & 2147483647)::float8 / 2147483648.0 $$"""
    )


def load_staff(cursor, staff: Staff, students: int) -> None:
    """Temporary tables from the ORM part, and each region's range of student numbers."""
    total_weight = sum(r[2] for r in staff.regions)
    cursor.execute(
        """CREATE TEMP TABLE bench_region (no int PRIMARY KEY, region_id bigint, n_munis int, n_schools int,
           rmc_id bigint, gemeente_id bigint, first_g int, last_g int)"""
    )
    first = 1
    rows = []
    for i, (no, region_id, weight, n_munis, n_schools, rmc, gem) in enumerate(staff.regions):
        count = students - first + 1 if i == len(staff.regions) - 1 else round(students * weight / total_weight)
        rows.append((no, region_id, n_munis, n_schools, rmc, gem, first, first + count - 1))
        first += count
    cursor.executemany("INSERT INTO bench_region VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", rows)
    cursor.execute("CREATE TEMP TABLE bench_muni (region_no int, idx int, municipality_id bigint, name text)")
    cursor.executemany("INSERT INTO bench_muni VALUES (%s, %s, %s, %s)", staff.municipalities)
    cursor.execute("CREATE TEMP TABLE bench_school (region_no int, idx int, org_id bigint)")
    cursor.executemany("INSERT INTO bench_school VALUES (%s, %s, %s)", staff.schools)
    cursor.execute("CREATE TEMP TABLE bench_coach (org_id bigint, idx int, user_id bigint)")
    cursor.executemany("INSERT INTO bench_coach VALUES (%s, %s, %s)", staff.coaches)
    cursor.execute(
        """CREATE TEMP TABLE bench_org AS SELECT org_id, count(*) AS n_coaches FROM bench_coach GROUP BY org_id"""
    )
    cursor.execute("CREATE TEMP TABLE bench_plan (org_id bigint, plan_id bigint, name_nl text, name_en text)")
    cursor.executemany("INSERT INTO bench_plan VALUES (%s, %s, %s, %s)", staff.plans)
    cursor.execute("CREATE TEMP TABLE bench_text (region_no int, purpose text, text_id bigint)")
    cursor.executemany("INSERT INTO bench_text VALUES (%s, %s, %s)", staff.texts)
    cursor.execute(
        "CREATE TEMP TABLE bench_programme (idx int, name text, crebo text, level int, sector text, lo float8, hi float8)"
    )
    total = sum(p[4] for p in PROGRAMMES)
    cumulative = 0.0
    rows = []
    for idx, (name, crebo, level, sector, weight) in enumerate(PROGRAMMES, start=1):
        rows.append((idx, name, crebo, level, sector, cumulative / total, (cumulative + weight) / total))
        cumulative += weight
    cursor.executemany("INSERT INTO bench_programme VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)
    for table in ("bench_region", "bench_muni", "bench_school", "bench_coach", "bench_org", "bench_programme"):
        cursor.execute(f"ANALYZE {table}")


def _consent(purpose_salt: int, given: str, refused: str, withdrawn: str) -> str:
    """SQL for one purpose's answer: G(iven), R(efused), W(ithdrawn) or N(ot asked)."""
    u = f"pg_temp.u(g, {purpose_salt})"
    return (
        f"CASE WHEN studying AND pg_temp.u(g, 17) < 0.7 THEN 'N' WHEN {u} < {given} THEN 'G' "
        f"WHEN {u} < {refused} THEN 'R' WHEN {u} < {withdrawn} THEN 'W' ELSE 'N' END"
    )


def plan_students(cursor, today: dt.date) -> None:
    """One row per young person: where they live and learn, their cohort, consent, guidance."""
    y = today.year
    cursor.execute(
        f"""
        CREATE TEMP TABLE bench_student AS
        WITH base AS (
            SELECT g, r.no AS region_no, r.n_schools, r.n_munis,
                   CASE WHEN pg_temp.u(g, 8) < 0.02 THEN mod(r.no, (SELECT count(*)::int FROM bench_region)) + 1
                        ELSE r.no END AS home_no,
                   (mod(r.no, 7) - 3) * 0.025 AS off,
                   CASE WHEN pg_temp.u(g, 3) < 0.15 THEN {y - 3} WHEN pg_temp.u(g, 3) < 0.40 THEN {y - 2}
                        WHEN pg_temp.u(g, 3) < 0.67 THEN {y - 1} WHEN pg_temp.u(g, 3) < 0.92 THEN {y}
                        ELSE {y + 1} END AS cohort,
                   CASE WHEN pg_temp.u(g, 4) < 0.10 THEN 2 WHEN pg_temp.u(g, 4) < 0.25 THEN 5
                        WHEN pg_temp.u(g, 4) < 0.90 THEN 7 ELSE 11 END AS month
            FROM generate_series(1, (SELECT max(last_g) FROM bench_region)) g
            JOIN bench_region r ON g BETWEEN r.first_g AND r.last_g
        ), dated AS (
            SELECT *, make_date(cohort, month, 1 + floor(pg_temp.u(g, 11) * 27)::int) AS diploma_on FROM base
        ), outcome AS (
            SELECT *, diploma_on > %(today)s AS studying FROM dated
        ), answered AS (
            SELECT *,
                   {_consent(13, "0.68 + off", "0.80 + off", "0.83 + off")} AS c_sharing,
                   {_consent(15, "0.30", "0.42", "0.44")} AS c_matchtafel,
                   {_consent(16, "0.45", "0.65", "0.67")} AS c_research
            FROM outcome
        )
        SELECT a.*,
               CASE WHEN studying AND pg_temp.u(g, 17) < 0.7 THEN 'N'
                    WHEN c_sharing = 'G' THEN CASE WHEN pg_temp.u(g, 14) < 0.93 THEN 'G'
                        WHEN pg_temp.u(g, 14) < 0.96 THEN 'R' WHEN pg_temp.u(g, 14) < 0.98 THEN 'W' ELSE 'N' END
                    ELSE CASE WHEN pg_temp.u(g, 14) < 0.45 THEN 'G' WHEN pg_temp.u(g, 14) < 0.75 THEN 'R'
                        WHEN pg_temp.u(g, 14) < 0.78 THEN 'W' ELSE 'N' END END AS c_contact,
               CASE WHEN studying THEN 'studying' WHEN pg_temp.u(g, 12) < 0.05 THEN 'left' ELSE 'diploma' END
                   AS outcome,
               s.org_id AS school_id, m.municipality_id, m.name AS woonplaats, hr.region_id,
               p.name AS programme, p.crebo, p.level, p.sector, NULL::bigint AS student_id,
               NULL::bigint AS guiding_id, NULL::bigint AS coach_id
        FROM answered a
        JOIN bench_school s ON s.region_no = a.region_no AND s.idx = 1 + floor(pg_temp.u(g, 9) * a.n_schools)::int
        JOIN bench_region hr ON hr.no = a.home_no
        JOIN bench_muni m ON m.region_no = a.home_no AND m.idx = CASE
            WHEN a.home_no <> a.region_no OR hr.n_munis = 1 OR pg_temp.u(g, 6) < 0.4 THEN 1
            ELSE 2 + floor(pg_temp.u(g, 7) * (hr.n_munis - 1))::int END
        JOIN bench_programme p ON pg_temp.u(g, 5) >= p.lo AND pg_temp.u(g, 5) < p.hi
        """,
        {"today": today},
    )
    # Guidance: with sharing consent the RMC (60 %), the gemeente (15 %) or the school's own
    # doorwerkcoach; with only contact consent half stay with the school's coach.
    cursor.execute(
        """
        UPDATE bench_student b SET guiding_id = CASE
                WHEN b.outcome = 'studying' THEN NULL
                WHEN b.c_sharing = 'G' AND pg_temp.u(b.g, 18) < 0.60 THEN r.rmc_id
                WHEN b.c_sharing = 'G' AND pg_temp.u(b.g, 18) < 0.75 THEN r.gemeente_id
                WHEN b.c_sharing = 'G' THEN b.school_id
                WHEN b.c_contact = 'G' AND pg_temp.u(b.g, 18) < 0.5 THEN b.school_id
                ELSE NULL END
        FROM bench_region r WHERE r.no = b.region_no
        """
    )
    cursor.execute(
        """
        UPDATE bench_student b SET coach_id = c.user_id
        FROM bench_org o, bench_coach c
        WHERE o.org_id = b.guiding_id AND c.org_id = o.org_id
          AND c.idx = 1 + floor(pg_temp.u(b.g, 19) * o.n_coaches)::int
        """
    )


def insert_students(cursor, now: dt.datetime) -> None:
    first = _pick(FIRST_NAMES, "pg_temp.u(g, 1)")
    tussen = _pick(TUSSENVOEGSELS, "pg_temp.u(g, 2)")
    last = _pick(LAST_NAMES, "pg_temp.u(g, 22)")
    # The search column as Student.normalize() fills it: the same picks from the folded lists.
    search = (
        f"concat_ws(' ', {_pick([fold(n) for n in FIRST_NAMES], 'pg_temp.u(g, 1)')}, "
        f"NULLIF({_pick([fold(t) for t in TUSSENVOEGSELS], 'pg_temp.u(g, 2)')}, ''), "
        f"{_pick([fold(n) for n in LAST_NAMES], 'pg_temp.u(g, 22)')}, 'b' || lpad(g::text, 7, '0'))"
    )
    cursor.execute(
        f"""
        INSERT INTO students_student
            (code, first_name, roepnaam, tussenvoegsel, last_name, date_of_birth, phone, email, postcode,
             woonplaats, location, student_number, programme_name, crebo, level, leerweg, sector, class_name,
             cohort, expected_diploma_date, outcome, outcome_date, is_vulnerable, support_needs,
             erase_after, erased_at, created_at, updated_at, coach_id, guiding_organisation_id,
             municipality_id, region_id, school_id, search_text, erase_reason, legal_hold_reason)
        SELECT gen_random_uuid(), {first}, '', {tussen}, {last},
               diploma_on - make_interval(years => 17 + floor(pg_temp.u(g, 23) * 4)::int,
                                          days => floor(pg_temp.u(g, 24) * 300)::int),
               '06' || lpad(mod(g, 100000000)::text, 8, '0'), 'jongere' || g || '@{EMAIL_DOMAIN}',
               (1000 + mod(region_no * 211 + mod(g, 200), 9000))::text || ' ' || chr(65 + mod(g, 26)) || chr(65 + mod(g, 23)),
               woonplaats, '', 'B' || lpad(g::text, 7, '0'), programme, crebo, level,
               CASE WHEN pg_temp.u(g, 25) < 0.75 THEN 'BOL' ELSE 'BBL' END, sector,
               'K' || (1 + mod(g, 9))::text, cohort, diploma_on, outcome,
               CASE WHEN outcome = 'studying' THEN NULL ELSE diploma_on END,
               pg_temp.u(g, 26) < 0.4, '[]'::jsonb, NULL, NULL,
               %(now)s, %(now)s, coach_id, guiding_id, municipality_id, region_id, school_id, {search}, '', ''
        FROM bench_student ORDER BY g
        """,
        {"now": now},
    )
    cursor.execute(
        """UPDATE bench_student b SET student_id = s.id FROM students_student s
           WHERE s.student_number = 'B' || lpad(b.g::text, 7, '0')"""
    )
    cursor.execute("CREATE UNIQUE INDEX ON bench_student (g)")
    cursor.execute("ANALYZE bench_student")


def insert_consent(cursor, now: dt.datetime) -> None:
    """Append-only answers (a withdrawal is a 'given' followed by a 'withdrawn') and the
    current-state projection the access door reads."""
    purposes = {"sharing": "c_sharing", "contact": "c_contact", "matchtafel": "c_matchtafel", "research": "c_research"}
    for purpose, column in purposes.items():
        answered = "(diploma_on - 30 + interval '12 hours')"
        cursor.execute(
            f"""
            INSERT INTO consent_consentrecord
                (code, purpose, status, method, given_by, representative_name, answered_at, recorded_at, note,
                 recorded_by_id, student_id, text_id)
            SELECT gen_random_uuid(), %(purpose)s, CASE WHEN {column} = 'R' THEN 'refused' ELSE 'given' END,
                   'paper', 'student', '', least({answered}, %(now)s), %(now)s, '', NULL, b.student_id, t.text_id
            FROM bench_student b JOIN bench_text t ON t.region_no = b.home_no AND t.purpose = %(purpose)s
            WHERE {column} <> 'N'
            """,
            {"purpose": purpose, "now": now},
        )
        cursor.execute(
            f"""
            INSERT INTO consent_consentrecord
                (code, purpose, status, method, given_by, representative_name, answered_at, recorded_at, note,
                 recorded_by_id, student_id, text_id)
            SELECT gen_random_uuid(), %(purpose)s, 'withdrawn', 'digital', 'student', '',
                   least({answered} + make_interval(days => 30 + floor(pg_temp.u(g, 27) * 400)::int), %(now)s),
                   %(now)s, '', NULL, b.student_id, t.text_id
            FROM bench_student b JOIN bench_text t ON t.region_no = b.home_no AND t.purpose = %(purpose)s
            WHERE {column} = 'W'
            """,
            {"purpose": purpose, "now": now},
        )
    cursor.execute(
        """
        INSERT INTO consent_currentconsent (purpose, status, changed_at, record_id, student_id)
        SELECT DISTINCT ON (student_id, purpose) purpose, status, answered_at, id, student_id
        FROM consent_consentrecord
        WHERE student_id IN (SELECT student_id FROM bench_student)
        ORDER BY student_id, purpose, answered_at DESC, id DESC
        """
    )


def plan_trajectories(cursor, today: dt.date, now: dt.datetime, *, contacts: int, situations: int) -> None:
    """One trajectory per guided young person who left school, and how reachable they are."""
    cursor.execute(
        """
        CREATE TEMP TABLE bench_traj AS
        WITH t AS (
            SELECT b.g, b.student_id, b.coach_id, b.guiding_id AS org_id, b.diploma_on,
                   least(b.diploma_on + 14, %(today)s) AS start_on,
                   (b.diploma_on + interval '2 years')::date AS end_on,
                   CASE WHEN pg_temp.u(b.g, 20) < 0.55 THEN 'high' WHEN pg_temp.u(b.g, 20) < 0.82 THEN 'mid'
                        ELSE 'fade' END AS reach
            FROM bench_student b WHERE b.guiding_id IS NOT NULL AND b.coach_id IS NOT NULL
        ), closed AS (
            SELECT *, CASE
                WHEN pg_temp.u(g, 28) < 0.08 AND %(today)s - start_on > 120
                    THEN start_on + ((least(end_on, %(today)s) - start_on) * (0.4 + 0.5 * pg_temp.u(g, 29)))::int
                WHEN end_on <= %(today)s THEN end_on END AS closed_on
            FROM t
        )
        SELECT *, least(%(today)s, coalesce(closed_on, end_on)) - start_on AS elapsed,
               CASE WHEN closed_on IS NULL THEN ''
                    WHEN closed_on >= end_on THEN 'termijn_verlopen'
                    ELSE (ARRAY['doel_bereikt', 'geen_behoefte', 'niet_bereikbaar', 'verhuisd'])
                         [1 + floor(pg_temp.u(g, 30) * 4)::int] END AS close_reason,
               NULL::bigint AS id, 0 AS n_contacts, 0 AS n_situations, NULL::date AS fade_on
        FROM closed
        """,
        {"today": today},
    )
    cursor.execute(
        """UPDATE bench_traj SET fade_on = start_on + (elapsed * (0.3 + 0.5 * pg_temp.u(g, 21)))::int
           WHERE reach = 'fade'"""
    )
    # Contacts and situation records in proportion to the time in guidance, scaled to the totals.
    cursor.execute("SELECT coalesce(sum(elapsed * (0.4 + 1.2 * pg_temp.u(g, 31))), 0) FROM bench_traj")
    weight = float(cursor.fetchone()[0]) or 1.0
    cursor.execute(
        """UPDATE bench_traj SET
               n_contacts = floor(elapsed * (0.4 + 1.2 * pg_temp.u(g, 31)) * %(c)s + pg_temp.u(g, 32))::int,
               n_situations = floor(elapsed * (0.4 + 1.2 * pg_temp.u(g, 31)) * %(s)s + pg_temp.u(g, 33))::int""",
        {"c": contacts / weight, "s": situations / weight},
    )
    cursor.execute(
        """
        INSERT INTO coaching_trajectory
            (code, diploma_date, start_date, end_date, closed_at, close_reason, created_at, closed_by_id, coach_id,
             final_situation_id, organisation_id, plan_id, student_id)
        SELECT gen_random_uuid(), t.diploma_on, t.start_on, t.end_on,
               CASE WHEN t.closed_on IS NULL THEN NULL ELSE t.closed_on + interval '16 hours' END,
               t.close_reason, %(now)s, NULL, t.coach_id, NULL, t.org_id, p.plan_id, t.student_id
        FROM bench_traj t JOIN bench_plan p ON p.org_id = t.org_id
        """,
        {"now": now},
    )
    cursor.execute("UPDATE bench_traj t SET id = x.id FROM coaching_trajectory x WHERE x.student_id = t.student_id")
    cursor.execute("ANALYZE bench_traj")


def set_column_defaults(cursor, apps_labels=("students", "consent", "coaching")) -> list[str]:
    """Give every NOT NULL column with a constant Django default (or a blank string) that
    default in the database too, for the length of the build. Django keeps defaults in Python;
    the bulk inserts here name their columns, so a column another feature adds later would
    otherwise break the seed with a NOT NULL error. Returns the statements that undo it."""
    from django.apps import apps

    undo = []
    for label in apps_labels:
        for model in apps.get_app_config(label).get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            for field in model._meta.concrete_fields:
                if field.null or field.primary_key:
                    continue
                if not (field.has_default() or field.empty_strings_allowed):
                    continue
                value = field.get_default()
                if isinstance(value, bool):
                    literal = "true" if value else "false"
                elif isinstance(value, int):
                    literal = str(int(value))
                elif isinstance(value, str):
                    literal = "'" + str(value).replace("'", "''") + "'"
                elif isinstance(value, list | dict):
                    literal = "'" + json.dumps(value).replace("'", "''") + "'::jsonb"
                else:
                    continue
                table, column = model._meta.db_table, field.column
                cursor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET DEFAULT {literal}')
                undo.append(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" DROP DEFAULT')
    return undo
