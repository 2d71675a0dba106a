"""Coaching speed on PostgreSQL: the caseload page of a coach with 100 young people, and the
morning reminder sweep over 150,000 young people (1,500 coaches of 100). Prints the numbers;
asserts only what must hold whatever the speed (query counts, one digest per coach)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role, User
from benchmarks.reporting import best_of, timed
from coaching import outbox, reminders
from coaching.models import CheckIn, FollowUpPlan, Reminder, Trajectory
from coaching.services import contact_log, followup_plans_ensure, support_action_add
from consent.models import ConsentRecord, CurrentConsent, Purpose, Status
from students.models import Outcome, Student
from tests.coaching.factories import guided_student

pytestmark = pytest.mark.django_db

STUDENTS = 150_000
PER_COACH = 100
BATCH = 5_000
# Student numbers of this file's own young people. Not "B": the national bench data set
# (seed_bench) numbers its 150,000 students B0000000..., and its consent rows would collide
# (currentconsent_unique) when this benchmark runs on that database.
PREFIX = "CB"


def test_caseload_page_for_a_coach_with_100_students(cast, login, report, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for i in range(PER_COACH):
        student = guided_student(cast, diploma=timezone.localdate() - dt.timedelta(days=7 * i))
        contact_log(
            student=student,
            author=cast.coach.user,
            channel="telefoon",
            reached=bool(i % 3),
            situation={"kind": "werk", "contract_type": "tijdelijk"},
        )
        if i % 4 == 0:
            support_action_add(student=student, kind="cv")
    client = login(cast.coach)
    url = reverse("coaching:caseload")
    client.get(url)  # warm up
    connection.queries_log.clear()  # a full debug log (maxlen 9000) would make the count 0
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries.captured_queries)
    assert len(response.context["rows"]) == 50 and response.context["page"].paginator.count == PER_COACH
    assert query_count > 0
    seconds = best_of(20, lambda: client.get(url))
    report(f"caseload page, coach with {PER_COACH} students (page of 50)", seconds, queries=query_count)
    seconds = best_of(10, lambda: client.get(url, {"toon": "aandacht", "sorteer": "laatste_contact"}))
    report("caseload page, filtered + sorted", seconds)


def _bulk_region(cast, today: dt.date) -> list[User]:
    """150,000 consented students of one RMC, 100 per coach, with open trajectories and a
    quarterly schedule spread over two years of diplomas. Bulk inserts; schedule rows by SQL."""
    coaches = User.objects.bulk_create(
        [
            User(email=f"bench-coach-{i}@kwint.test", full_name=f"Coach {i}", password="!")
            for i in range(STUDENTS // PER_COACH)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=c, organisation=cast.rmc, role=Role.COACH, capacity=PER_COACH) for c in coaches]
    )
    for start in range(0, STUDENTS, BATCH):
        Student.objects.bulk_create(
            [
                Student(
                    code=uuid.uuid4(),
                    first_name="Bench",
                    last_name=f"Jongere {i}",
                    school=cast.school,
                    region=cast.region,
                    municipality=cast.municipality,
                    student_number=f"{PREFIX}{i:07d}",
                    outcome=Outcome.DIPLOMA,
                    outcome_date=today - dt.timedelta(days=i % 730),
                    guiding_organisation=cast.rmc,
                    coach=coaches[i // PER_COACH],
                )
                for i in range(start, min(start + BATCH, STUDENTS))
            ],
            batch_size=BATCH,
        )
    plan = FollowUpPlan.objects.get(organisation=cast.rmc, kind="regulier")
    now = timezone.now()
    with connection.cursor() as cursor:
        # Consent (sharing) for everyone: the access module's EXISTS must find a row.
        cursor.execute(
            f"""INSERT INTO {ConsentRecord._meta.db_table}
                (code, student_id, purpose, status, method, given_by, representative_name, answered_at,
                 recorded_at, note)
                SELECT gen_random_uuid(), id, %s, %s, 'paper', 'student', '', %s, %s, ''
                FROM {Student._meta.db_table} WHERE student_number LIKE %s""",
            [Purpose.SHARING, Status.GIVEN, now, now, f"{PREFIX}%"],
        )
        cursor.execute(
            f"""INSERT INTO {CurrentConsent._meta.db_table} (student_id, purpose, status, record_id, changed_at)
                SELECT student_id, purpose, status, id, answered_at FROM {ConsentRecord._meta.db_table}
                WHERE purpose = %s AND student_id IN
                  (SELECT id FROM {Student._meta.db_table} WHERE student_number LIKE %s)""",
            [Purpose.SHARING, f"{PREFIX}%"],
        )
        cursor.execute(
            f"""INSERT INTO {Trajectory._meta.db_table}
                (code, student_id, organisation_id, coach_id, plan_id, diploma_date, start_date, end_date,
                 close_reason, created_at)
                SELECT gen_random_uuid(), id, guiding_organisation_id, coach_id, %s, outcome_date, outcome_date,
                       (outcome_date + interval '2 years')::date, '', %s
                FROM {Student._meta.db_table} WHERE student_number LIKE %s""",
            [plan.pk, now, f"{PREFIX}%"],
        )
        # Eight quarterly check-ins each; past ones done, except one in ten of the last month.
        cursor.execute(
            f"""INSERT INTO {CheckIn._meta.db_table}
                (code, trajectory_id, coach_id, due_date, status, is_measurement, measurement_month, is_manual)
                SELECT gen_random_uuid(), t.id, t.coach_id, d.due,
                       CASE WHEN d.due >= %s THEN 'planned'
                            WHEN d.due >= %s AND t.student_id %% 10 = 0 THEN 'planned'
                            ELSE 'done' END,
                       k IN (2, 4, 8), CASE k WHEN 2 THEN 6 WHEN 4 THEN 12 WHEN 8 THEN 24 END, false
                FROM {Trajectory._meta.db_table} t
                CROSS JOIN generate_series(1, 8) AS k
                CROSS JOIN LATERAL (SELECT (t.start_date + k * 91) AS due) d
                WHERE t.organisation_id = %s""",
            [today, today - dt.timedelta(days=30), cast.rmc.pk],
        )
        cursor.execute("ANALYZE")
    return coaches


def test_reminder_sweep_over_150000_students(cast, report, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    today = timezone.localdate()
    followup_plans_ensure(organisation=cast.rmc)
    with timed() as t:
        coaches = _bulk_region(cast, today)
    checkins = CheckIn.objects.count()
    due = CheckIn.objects.filter(status="planned", due_date__lte=today).count()
    report("coaching bench data: students + schedule", t["seconds"], students=STUDENTS, checkins=checkins, due=due)

    connection.queries_log.clear()
    with timed() as t, CaptureQueriesContext(connection) as queries:
        ids = reminders.reminders_plan(today=today)
    digests = Reminder.objects.filter(kind="digest").count()
    report(
        "reminder sweep (plan), 150k students",
        t["seconds"],
        reminders=len(ids),
        digests=digests,
        escalations=Reminder.objects.filter(kind="overdue").count(),
        queries=len(queries.captured_queries),
    )
    # The national data set (when present) has coaches of its own: count only this file's.
    assert Reminder.objects.filter(kind="digest", recipient__in=coaches).count() <= len(coaches)

    with timed() as t:
        again = reminders.reminders_plan(today=today)
    report("reminder sweep (plan) again: idempotent", t["seconds"], new=len(set(again) - set(ids)))
    assert set(again) == set(ids)

    sample = ids[:500]
    with timed() as t:
        results = [outbox.deliver(pk) for pk in sample]
    report(
        f"reminder send, first {len(sample)} (claim + build + send)",
        t["seconds"],
        per_mail_ms=1000 * t["seconds"] / max(len(sample), 1),
        sent=results.count("sent"),
        mails=len(mail.outbox),
    )
    assert len(mail.outbox) == results.count("sent")
