"""Load: many coaches browsing their caseloads and student pages at once, against gunicorn with
DEBUG off (issue 16: 50 users, p95 under 300 ms, no error). A measurement, never part of
`make test`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kwint_load REDIS_URL=redis://127.0.0.1:6379/2 \\
        make load ARGS="--users 50 --duration 60"

DATABASE_URL must hold the national bench data (`KWINT_ENV=development manage.py seed_bench`,
benchmarks/README.md), analysed. The script gives the coaches with the largest caseloads a known
password (bench accounts only: it refuses any other database), starts gunicorn with
gunicorn.conf.py (or `--gunicorn-args`; `--url` to use a server that runs already) under
KWINT_ENV=demo: production's settings (DEBUG off, collected static files) less TLS and the
second factor. Each virtual user is another coach: it signs in through the login form (not
measured), then for `--duration` seconds opens its caseload (a random page of it) or one of its
young people's pages, waits a think time (uniform `--think` seconds, 0.5-1.5 by default: a
coach who reads fast) and goes on. Latency is to the last byte of the response.

It prints one README table row, and per page type the count, median, p95 and errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import time
from dataclasses import dataclass, field

import httpx

from benchmarks.serve import PYTHON, ROOT, cpu_seconds, demo_env, gunicorn, login

PASSWORD = "load-test-only-2026"
SETUP = """
import json
from django.contrib.auth.hashers import make_password
from django.db.models import Count
from accounts.models import User
from students.models import Student
n = {users}
coaches = list(Student.objects.exclude(coach=None).values("coach").annotate(n=Count("pk")).order_by("-n")[:n])
users = User.objects.filter(pk__in=[c["coach"] for c in coaches])
if users.exclude(email__endswith="@bench.kwint.test").exists():
    raise SystemExit("not the bench data set: refusing to set passwords")
users.update(password=make_password({password!r}))
emails = dict(users.values_list("pk", "email"))
out = []
for c in coaches:
    codes = Student.objects.filter(coach_id=c["coach"]).values_list("code", flat=True)[:50]
    out.append({{"email": emails[c["coach"]], "caseload": c["n"], "students": [str(x) for x in codes]}})
print("COACHES " + json.dumps(out))
"""


@dataclass
class Sample:
    kind: str
    seconds: float
    ok: bool
    first: bool


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cpu: dict[int, float] = field(default_factory=dict)


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def coaches(users: int, env: dict[str, str]) -> list[dict]:
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", SETUP.format(users=users, password=PASSWORD)],
        cwd=ROOT,
        env={**env, "KWINT_ENV": "development"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("COACHES "))
    return json.loads(line.removeprefix("COACHES "))


async def virtual_user(base: str, coach: dict, state: dict, think: tuple[float, float], results, rng):
    # Idle connections are dropped after 4 s, before gunicorn closes them (keepalive = 5): a
    # request on a connection the server is closing would count as an error of the server.
    limits = httpx.Limits(keepalive_expiry=4.0)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        # Sign in (the sync helper, in a thread): a login hashes a password, not what is measured.
        sync = httpx.Client(timeout=60)
        try:
            await asyncio.to_thread(login, sync, base, coach["email"], PASSWORD)
            client.cookies.update(sync.cookies)
        finally:
            sync.close()
        state["ready"] += 1
        await state["start"].wait()
        await asyncio.sleep(rng.uniform(0, think[1]))  # users do not all click at the same instant
        pages = max(1, -(-coach["caseload"] // 50))
        first = True
        while time.monotonic() < state["stop_at"]:
            if rng.random() < 0.5 or not coach["students"]:
                kind, url = "caseload", f"/coaching/caseload/?pagina={rng.randint(1, pages)}"
            else:
                kind, url = "student", f"/jongeren/{rng.choice(coach['students'])}/"
            t0 = time.perf_counter()
            try:
                response = await client.get(url)
                ok = response.status_code == 200
                if not ok:
                    results.errors.append(f"{url}: {response.status_code}")
            except httpx.HTTPError as exc:
                ok = False
                results.errors.append(f"{url}: {exc!r}")
            results.samples.append(Sample(kind, time.perf_counter() - t0, ok, first))
            first = False
            await asyncio.sleep(rng.uniform(*think))


def postgres_backends(database_url: str) -> list[int]:
    import psycopg2

    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


async def run(
    base: str,
    team: list[dict],
    duration: float,
    think: tuple[float, float],
    seed: int,
    cpu_of=None,
) -> Results:
    """`cpu_of()`: the pids whose CPU time the measured part is charged with (gunicorn workers,
    PostgreSQL backends), read at the start and at the end of the measured part."""
    results = Results()
    state = {"ready": 0, "start": asyncio.Event(), "stop_at": 0.0}
    rng = random.Random(seed)
    tasks = [
        asyncio.create_task(virtual_user(base, c, state, think, results, random.Random(rng.random()))) for c in team
    ]
    while state["ready"] < len(team):
        failed = [t for t in tasks if t.done()]
        if failed:
            failed[0].result()  # a login that failed: raise it
        await asyncio.sleep(0.2)
    before = cpu_seconds(cpu_of()) if cpu_of else {}
    state["stop_at"] = time.monotonic() + duration
    state["start"].set()
    await asyncio.gather(*tasks)
    if cpu_of:
        after = cpu_seconds(cpu_of())
        results.cpu = {pid: used - before.get(pid, 0.0) for pid, used in after.items()}
    return results


def summary(results: Results, duration: float, users: int, label: str) -> list[str]:
    lines = []
    warm = [s for s in results.samples if not s.first]
    first = [s for s in results.samples if s.first]
    for kind in ("caseload", "student", None):
        chosen = [s.seconds * 1000 for s in warm if kind in (None, s.kind)]
        if not chosen:
            continue
        lines.append(
            f"LOAD {kind or 'all':<9} n={len(chosen):>5}  median {statistics.median(chosen):6.0f} ms  "
            f"p95 {percentile(chosen, 0.95):6.0f} ms  p99 {percentile(chosen, 0.99):6.0f} ms  "
            f"max {max(chosen):6.0f} ms"
        )
    every = [s.seconds * 1000 for s in warm]
    cold = [s.seconds * 1000 for s in first]
    errors = len(results.errors)
    rate = len(results.samples) / duration
    lines.append(
        f"LOAD {rate:.1f} requests/s over {duration:.0f} s, {errors} errors"
        + (f": {results.errors[:5]}" if errors else "")
    )
    met = "yes" if percentile(every, 0.95) < 300 and errors == 0 else "no"
    lines.append(
        f"| load: {users} users browsing caseloads and student pages ({label}, {rate:.0f} req/s) ¹ | national "
        f"| {statistics.median(every):.0f} ms | {percentile(every, 0.95):.0f} ms | — "
        f"| {statistics.median(cold):.0f} / {statistics.median(every):.0f} ms | p95 < 300 ms, no error | {met}"
        f"{'' if not errors else f' ({errors} errors)'} |"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of browsing measured")
    parser.add_argument("--think", type=float, nargs=2, default=(0.5, 1.5), metavar=("MIN", "MAX"))
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--url", help="an already running Kwint (its database must be DATABASE_URL)")
    parser.add_argument("--gunicorn-args", default="", help="extra gunicorn options, e.g. '--workers 4'")
    parser.add_argument("--no-collectstatic", action="store_true")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL to the PostgreSQL database with the bench data (see the docstring)")
    env = demo_env(database_url, os.environ.get("REDIS_URL", ""))
    team = coaches(args.users, env)
    print(
        f"LOAD {len(team)} coaches, caseloads {team[-1]['caseload']}-{team[0]['caseload']}, "
        f"think {args.think[0]}-{args.think[1]} s, {args.duration:.0f} s",
        flush=True,
    )
    extra = args.gunicorn_args.split()
    label = " ".join(extra) or "gunicorn.conf.py"
    if args.url:
        results = asyncio.run(run(args.url, team, args.duration, tuple(args.think), args.seed))
    else:
        if not args.no_collectstatic:
            subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        with gunicorn(env, args=extra) as server:
            workers = server.workers()

            def cpu_of() -> list[int]:
                return workers + postgres_backends(database_url)

            results = asyncio.run(run(server.url, team, args.duration, tuple(args.think), args.seed, cpu_of))
            memory = server.memory_mb()
        python = sum(used for pid, used in results.cpu.items() if pid in workers)
        sql = sum(used for pid, used in results.cpu.items() if pid not in workers)
        n = len(results.samples)
        print(
            f"LOAD CPU per request: gunicorn {python / n * 1000:.0f} ms + PostgreSQL {sql / n * 1000:.0f} ms "
            f"({python:.1f} s + {sql:.1f} s for {n} requests): two idle cores serve at most "
            f"{2 / ((python + sql) / n):.0f} requests/s",
            flush=True,
        )
        print(f"LOAD gunicorn workers' memory after the run: {', '.join(f'{m:.0f}' for m in memory)} MB", flush=True)
    print("\n".join(summary(results, args.duration, len(team), label)), flush=True)


if __name__ == "__main__":
    main()
