"""The benchmark's guidance history, generated in PostgreSQL (see `bench_sql`): check-ins,
contacts, situation records, support actions, handovers and the timeline.

Reachability drives the history: "high" young people answer 85 % of the calls, "mid" ones 55 %,
and "fade" ones answer well until a date and hardly ever after it (they drift out of view: their
check-ins go overdue or missed, their situation turns "onbekend").
"""

from __future__ import annotations

import datetime as dt

from dashboards.bench_sql import CHANNELS, DISCUSSED, EMPLOYERS, _pick

KINDS = "ARRAY['werk', 'opleiding', 'werk_uitkering', 'uitkering', 'dagbesteding', 'niets', 'onbekend']"


def insert_checkins(cursor, today: dt.date, now: dt.datetime, *, per_trajectory: int) -> None:
    """`per_trajectory` check-ins spread over the two years; 6, 12 and 24 months are measurements."""
    k = max(per_trajectory, 3)
    cursor.execute(
        """
        INSERT INTO coaching_checkin
            (code, due_date, status, is_measurement, measurement_month, is_manual, completed_at, coach_id,
             completed_by_id, trajectory_id)
        SELECT gen_random_uuid(), d.due, s.status, d.month IS NOT NULL, d.month, false,
               CASE WHEN s.status = 'done' THEN least(d.due + s.delay + interval '14 hours', %(now)s) END,
               t.coach_id, NULL, t.id
        FROM bench_traj t
        CROSS JOIN LATERAL generate_series(1, %(k)s) AS n
        CROSS JOIN LATERAL (
            SELECT t.start_on + (n * (t.end_on - t.start_on) / %(k)s) AS due,
                   CASE n WHEN round(%(k)s * 0.25)::int THEN 6 WHEN round(%(k)s * 0.5)::int THEN 12
                          WHEN %(k)s THEN 24 END AS month,
                   pg_temp.u(t.g * 100 + n, 34) AS u1, pg_temp.u(t.g * 100 + n, 35) AS u2
        ) d
        CROSS JOIN LATERAL (
            SELECT CASE
                WHEN t.closed_on IS NOT NULL AND d.due > t.closed_on THEN 'cancelled'
                WHEN d.due > %(today)s THEN 'planned'
                WHEN t.closed_on IS NULL AND d.due >= %(today)s - 45
                     AND d.u1 < CASE WHEN t.reach = 'fade' AND d.due > t.fade_on THEN 0.6 ELSE 0.22 END
                    THEN 'planned'
                WHEN t.reach = 'fade' AND d.due > t.fade_on AND d.u2 < 0.7 THEN 'missed'
                WHEN t.reach = 'fade' AND d.due > t.fade_on THEN 'done'
                WHEN d.u2 < 0.90 THEN 'done'
                ELSE 'missed' END AS status,
                CASE WHEN d.u2 < 0.78 THEN floor(d.u1 * 6)::int ELSE 8 + floor(d.u1 * 40)::int END AS delay
        ) s
        """,
        {"k": k, "today": today, "now": now},
    )


def insert_contacts(cursor, now: dt.datetime) -> None:
    channel = _pick(CHANNELS, "pg_temp.u(t.g * 1000 + n, 36)")
    discussed = _pick(DISCUSSED, "pg_temp.u(t.g * 1000 + n, 37)")
    cursor.execute(
        f"""
        INSERT INTO coaching_contact
            (code, at, channel, reached, duration_minutes, discussed, next_steps, created_at, edited_at,
             author_id, student_id, trajectory_id, by_student)
        SELECT gen_random_uuid(), c.at, {channel}, c.reached,
               CASE WHEN c.reached THEN 5 + floor(pg_temp.u(t.g * 1000 + n, 38) * 40)::int END,
               CASE WHEN c.reached THEN {discussed} ELSE '' END, '', c.at, NULL, t.coach_id, t.student_id, t.id,
               false
        FROM bench_traj t
        CROSS JOIN LATERAL generate_series(1, t.n_contacts) AS n
        CROSS JOIN LATERAL (
            SELECT least(t.start_on + (t.elapsed * (n - pg_temp.u(t.g * 1000 + n, 39)) / t.n_contacts)::int
                         + make_interval(hours => 9 + floor(pg_temp.u(t.g * 1000 + n, 40) * 8)::int,
                                         mins => floor(pg_temp.u(t.g * 1000 + n, 41) * 60)::int),
                         %(now)s) AS at
        ) a
        CROSS JOIN LATERAL (
            SELECT a.at, pg_temp.u(t.g * 1000 + n, 42) < CASE
                WHEN t.reach = 'high' THEN 0.85 WHEN t.reach = 'mid' THEN 0.55
                WHEN a.at::date <= t.fade_on THEN 0.75 ELSE 0.06 END AS reached
        ) c
        """,
        {"now": now},
    )


def insert_situations(cursor, today: dt.date, now: dt.datetime) -> None:
    """The first records are the measurements (6, 12, 24 months, when passed; one in eight is
    never recorded), the rest fall between; the kind shifts towards work as months pass."""
    sector = _pick([s for s, _e in EMPLOYERS], "pg_temp.u(t.g, 46)")
    employer = _pick([e for _s, e in EMPLOYERS], "pg_temp.u(t.g, 46)")
    benefit = _pick(["participatiewet", "ww", "wajong"], "pg_temp.u(t.g, 47)")
    contract = (
        "CASE WHEN k.uc < 0.12 + 0.18 * k.w THEN 'vast' WHEN k.uc < 0.50 THEN 'tijdelijk' "
        "WHEN k.uc < 0.68 THEN 'oproep' WHEN k.uc < 0.88 THEN 'uitzend' ELSE 'bbl' END"
    )
    cursor.execute(
        f"""
        INSERT INTO coaching_situationrecord
            (code, date, kind, contract_type, hours_per_week, sector, employer, education_name, benefit, note,
             measurement_month, created_at, contact_id, recorded_by_id, student_id, trajectory_id)
        SELECT gen_random_uuid(), k.on_date, k.kind,
               CASE WHEN k.kind IN ('werk', 'werk_uitkering') THEN {contract} ELSE '' END,
               CASE WHEN k.kind IN ('werk', 'werk_uitkering')
                    THEN 8 + floor(32 * power(pg_temp.u(t.g, 44), 0.7))::int END,
               CASE WHEN k.kind IN ('werk', 'werk_uitkering') THEN {sector} ELSE '' END,
               CASE WHEN k.kind IN ('werk', 'werk_uitkering') THEN {employer} ELSE '' END,
               CASE WHEN k.kind = 'opleiding' THEN 'Mbo niveau 3' ELSE '' END,
               CASE WHEN k.kind IN ('uitkering', 'werk_uitkering') THEN {benefit} ELSE '' END,
               '', k.month, %(now)s, NULL, t.coach_id, t.student_id, t.id
        FROM bench_traj t
        CROSS JOIN LATERAL (
            SELECT count(*) FILTER (WHERE (t.diploma_on + make_interval(months => m)) <= t.start_on + t.elapsed)
                   AS n_marks
            FROM unnest(ARRAY[6, 12, 24]) AS m
        ) marks
        CROSS JOIN LATERAL generate_series(1, greatest(t.n_situations, marks.n_marks)) AS n
        CROSS JOIN LATERAL (
            SELECT CASE WHEN n <= marks.n_marks AND pg_temp.u(t.g * 1000 + n, 48) >= 0.125
                        THEN (ARRAY[6, 12, 24])[n] END AS month
        ) mm
        CROSS JOIN LATERAL (
            SELECT mm.month,
                   least(CASE WHEN mm.month IS NOT NULL
                              THEN (t.diploma_on + make_interval(months => mm.month))::date
                                   + floor(pg_temp.u(t.g * 1000 + n, 49) * 20)::int
                              ELSE t.start_on + floor(t.elapsed * pg_temp.u(t.g * 1000 + n, 50))::int END,
                         t.start_on + t.elapsed, %(today)s) AS on_date
        ) d
        CROSS JOIN LATERAL (
            SELECT d.month, d.on_date,
                   least((d.on_date - t.diploma_on) / 730.0, 1.0) AS w,
                   0.75 * pg_temp.u(t.g, 43) + 0.25 * pg_temp.u(t.g * 1000 + n, 51) AS uk,
                   0.7 * pg_temp.u(t.g, 45) + 0.3 * pg_temp.u(t.g * 1000 + n, 52) AS uc
        ) x
        CROSS JOIN LATERAL (
            SELECT x.month, x.on_date, x.w, x.uc, CASE
                WHEN t.reach = 'fade' AND x.on_date > t.fade_on AND pg_temp.u(t.g * 1000 + n, 53) < 0.6
                    THEN 'onbekend'
                ELSE ({KINDS})[CASE
                    WHEN x.uk < 0.30 + 0.22 * x.w THEN 1 WHEN x.uk < 0.45 + 0.22 * x.w THEN 2
                    WHEN x.uk < 0.52 + 0.22 * x.w THEN 3 WHEN x.uk < 0.62 + 0.18 * x.w THEN 4
                    WHEN x.uk < 0.65 + 0.18 * x.w THEN 5 WHEN x.uk < 0.87 + 0.02 * x.w THEN 6 ELSE 7 END] END AS kind
        ) k
        """,
        {"today": today, "now": now},
    )


def insert_support_and_handovers(cursor, now: dt.datetime) -> None:
    kinds = ["cv", "sollicitatietraining", "assertiviteit", "doelgroepenregister", "schuldhulp", "aanvraag"]
    kind = _pick(kinds, "pg_temp.u(t.g, 54)")
    cursor.execute(
        f"""
        INSERT INTO coaching_supportaction
            (code, kind, status, started_on, ended_on, note, created_at, created_by_id, student_id, trajectory_id)
        SELECT gen_random_uuid(), {kind},
               CASE WHEN t.closed_on IS NOT NULL OR pg_temp.u(t.g, 55) < 0.5 THEN 'afgerond' ELSE 'loopt' END,
               t.start_on + floor(t.elapsed * pg_temp.u(t.g, 56) / 2)::int, NULL, '', %(now)s, t.coach_id,
               t.student_id, t.id
        FROM bench_traj t WHERE pg_temp.u(t.g, 57) < 0.5
        """,
        {"now": now},
    )
    wants = _pick(["Werk in de logistiek", "Meer uren werken", "Een opleiding op niveau 3", "Rust en geld"], "0.5")
    cursor.execute(
        f"""
        INSERT INTO students_handover
            (code, status, what_works, school_contacts, support_needs, risks, preferred_channel, own_words_wants,
             own_words_needs, offered_at, decided_at, decline_reason, created_at, updated_at, created_by_id,
             decided_by_id, offered_by_id, to_coach_id, to_organisation_id, student_id)
        SELECT gen_random_uuid(), 'accepted', '', '', '[]'::jsonb, '', 'phone', {wants}, '',
               t.diploma_on - 20 + interval '10 hours', t.start_on + interval '10 hours', '', %(now)s, %(now)s,
               NULL, NULL, NULL, t.coach_id, t.org_id, t.student_id
        FROM bench_traj t
        """,
        {"now": now},
    )


def insert_timeline(cursor, now: dt.datetime) -> None:
    """What the student page shows: created, consent answers, coach and plan, every contact and
    situation, as event names and data (rendered when shown)."""
    cursor.execute(
        """
        INSERT INTO students_timelineevent (at, kind, summary, data, actor_id, student_id, event)
        SELECT %(now)s - interval '400 days', 'created', '', '{"source": "school_administration"}'::jsonb, NULL::bigint,
               b.student_id, 'student_created'
        FROM bench_student b
        UNION ALL
        SELECT r.answered_at, 'consent', '', jsonb_build_object('purpose', r.purpose, 'status', r.status), NULL,
               r.student_id, 'consent_answered'
        FROM consent_consentrecord r JOIN bench_student b ON b.student_id = r.student_id
        UNION ALL
        SELECT t.start_on + interval '10 hours', 'assigned', '',
               jsonb_build_object('coach_name', u.full_name, 'organisation_name', o.name), NULL, t.student_id,
               'coach_assigned'
        FROM bench_traj t JOIN accounts_user u ON u.id = t.coach_id JOIN accounts_organisation o ON o.id = t.org_id
        UNION ALL
        SELECT t.start_on + interval '10 hours 1 minute', 'checkin', '',
               jsonb_build_object('plan', jsonb_build_object('nl', p.name_nl, 'en', p.name_en), 'end', t.end_on),
               t.coach_id, t.student_id, 'plan_started'
        FROM bench_traj t JOIN bench_plan p ON p.org_id = t.org_id
        """,
        {"now": now},
    )
    cursor.execute(
        """
        INSERT INTO students_timelineevent (at, kind, summary, data, actor_id, student_id, event)
        SELECT c.at, 'contact', '', jsonb_build_object('channel', c.channel, 'reached', c.reached), c.author_id,
               c.student_id, 'contact_logged'
        FROM coaching_contact c JOIN bench_traj t ON t.id = c.trajectory_id
        UNION ALL
        SELECT s.date + interval '15 hours', 'situation', '',
               jsonb_build_object('kind', s.kind, 'measurement_month', s.measurement_month), s.recorded_by_id,
               s.student_id, 'situation_recorded'
        FROM coaching_situationrecord s JOIN bench_traj t ON t.id = s.trajectory_id
        """
    )


def drop_indexes(cursor, tables: tuple[str, ...]) -> list[str]:
    """Drop the secondary (non-constraint) indexes of `tables`; returns their definitions."""
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
        [list(tables)],
    )
    rows = cursor.fetchall()
    for name, _definition in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in rows]


def recreate_indexes(cursor, definitions: list[str]) -> None:
    for definition in definitions:
        cursor.execute(definition)
