"""Build the national benchmark data set: 40 regions, 150,000 young people, 600 coaches,
3,000,000 contacts, 1,000,000 situation records and 2,500,000 check-ins, in minutes.

Refused unless KWINT_ENV is `test` or `development` and the database is PostgreSQL: it must
never run against production. Idempotent: when the bench data is there it says so and stops;
when other data is there it refuses (benchmarks on a mix measure nothing). Everything is one
transaction, so an interrupted run leaves nothing behind. Ends with ANALYZE, so the planner
has statistics before the first measurement.

Distributions (see `dashboards/bench_sql.py` and `bench_activity.py`): regions of realistic
relative size; cohorts of the last three years plus this year's (and next year's students still
at school); Entree 31 %, level 2 51 %, level 3/4 18 %; 2 % live in another region than their
school's; consent for sharing about 70 % (varying per region), contact 80 %, research 45 %,
Matchtafel 30 %, with refusals, withdrawals and "not asked"; guidance by the RMC, the gemeente
or the school; young people who answer well, half of the time, or drift out of view; a
check-in schedule with late, missed and overdue moments; situations shifting towards work.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Region
from dashboards import bench_activity, bench_sql
from dashboards.bench_setup import BENCH_NUMBER_BASE, setup_staff
from students.models import Student

ALLOWED_ENVIRONMENTS = {"test", "development"}


class Command(BaseCommand):
    help = "Build national-scale benchmark data with bulk inserts (test/development only, PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--regions", type=int, default=40)
        parser.add_argument("--students", type=int, default=150_000)
        parser.add_argument("--coaches", type=int, default=600)
        parser.add_argument("--contacts", type=int, default=3_000_000)
        parser.add_argument("--situations", type=int, default=1_000_000)
        parser.add_argument("--checkins", type=int, default=2_500_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        self._refuse_unless_safe()
        if Region.objects.filter(number__gt=BENCH_NUMBER_BASE).exists():
            self.stdout.write(f"Bench data is already there ({self._counts()}); nothing to do.")
            return
        if Student.objects.exists() or Region.objects.exists():
            raise CommandError(
                "This database already holds other data (regions or young people). seed_bench only fills an "
                "empty database: create a fresh one (e.g. `createdb kwint_bench`) and point DATABASE_URL at it."
            )
        if (
            options["regions"] < 1
            or options["students"] < options["regions"]
            or options["coaches"] < options["regions"]
        ):
            raise CommandError("Need at least one region, and at least one student and one coach per region.")
        started = time.perf_counter()
        with transaction.atomic():
            self._build(options)
        self._step("ANALYZE", self._analyze)
        self.stdout.write(self.style.SUCCESS(f"Done in {time.perf_counter() - started:.0f} s: {self._counts()}"))

    def _refuse_unless_safe(self) -> None:
        if getattr(settings, "IS_PRODUCTION", True) or settings.KWINT_ENV not in ALLOWED_ENVIRONMENTS:
            raise CommandError(
                f"seed_bench runs only with KWINT_ENV=test or development (now {settings.KWINT_ENV!r}): it fills the "
                "database with millions of made-up rows and must never touch a production database."
            )
        if connection.vendor != "postgresql":
            raise CommandError(f"seed_bench needs PostgreSQL (benchmarks on {connection.vendor} measure nothing).")

    def _build(self, options: dict) -> None:
        today = timezone.localdate()
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            # JIT compiling these one-off queries costs more than running them (50 s under load).
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                # The rows are generated consistent; skipping the foreign-key triggers saves
                # minutes on 10 million rows. Needs a superuser, as development databases have.
                cursor.execute("SET LOCAL session_replication_role = replica")
            else:
                # Django makes foreign keys DEFERRABLE INITIALLY DEFERRED; pending checks would
                # block rebuilding the indexes inside this transaction: check each row as it goes.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute("SET LOCAL work_mem = '64MB'")
            bench_sql.create_helpers(cursor)
            undo_defaults = bench_sql.set_column_defaults(cursor)
        t0 = time.perf_counter()
        staff = setup_staff(regions=options["regions"], coaches=options["coaches"], seed=options["seed"])
        self.stdout.write(f"  staff, organisations, plans and texts  {time.perf_counter() - t0:6.1f} s")
        self._step("students", lambda c: bench_sql.load_staff(c, staff, options["students"]))
        self._step("students", lambda c: bench_sql.plan_students(c, today))
        self._step("students", lambda c: bench_sql.insert_students(c, now))
        self._step("consent", lambda c: bench_sql.insert_consent(c, now))
        self._step(
            "trajectories",
            lambda c: bench_sql.plan_trajectories(
                c, today, now, contacts=options["contacts"], situations=options["situations"]
            ),
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM bench_traj")
            trajectories = cursor.fetchone()[0] or 1
            indexes = bench_activity.drop_indexes(cursor, bench_sql.BIG_TABLES)
        per_trajectory = round(options["checkins"] / trajectories)
        self._step("check-ins", lambda c: bench_activity.insert_checkins(c, today, now, per_trajectory=per_trajectory))
        self._step("contacts", lambda c: bench_activity.insert_contacts(c, now))
        self._step("situations", lambda c: bench_activity.insert_situations(c, today, now))
        self._step("support actions, handovers", lambda c: bench_activity.insert_support_and_handovers(c, now))
        self._step("timeline", lambda c: bench_activity.insert_timeline(c, now))
        self._step("indexes", lambda c: bench_activity.recreate_indexes(c, indexes))
        with connection.cursor() as cursor:
            for table in bench_sql.TEMP_TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{table}")
            for statement in undo_defaults:
                cursor.execute(statement)

    @staticmethod
    def _analyze(cursor) -> None:
        # Kwint's own tables (the planner needs their statistics before the first measurement).
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            cursor.execute(f'ANALYZE "{table}"')

    def _step(self, name: str, run) -> None:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            run(cursor)
        self.stdout.write(f"  {name:<38} {time.perf_counter() - start:6.1f} s")
        self.stdout.flush()

    def _counts(self) -> str:
        tables = {
            "regions": "accounts_region",
            "students": "students_student",
            "contacts": "coaching_contact",
            "situations": "coaching_situationrecord",
            "check-ins": "coaching_checkin",
        }
        parts = []
        with connection.cursor() as cursor:
            for label, table in tables.items():
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
                parts.append(f"{cursor.fetchone()[0]:,} {label}")
            cursor.execute("SELECT count(*) FROM accounts_membership WHERE role = 'coach'")
            parts.append(f"{cursor.fetchone()[0]:,} coaches")
        return ", ".join(parts)
