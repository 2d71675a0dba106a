"""Benchmarks run like the tests (pytest-django, the real PostgreSQL), but only via `make bench`.

`make test` never collects them (pyproject: testpaths = ["tests"]). Files here may be named
`bench_*.py` or `test_*.py`; functions inside start with `test_`. The standard test fixtures
(`cast`, `login`, `student`, ...) are available. Use `report(...)` to print a result line.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.db import connection

from benchmarks.national import National, ensure_national
from benchmarks.reporting import RESULTS
from benchmarks.reporting import report as _report
from tests.conftest import cast, login, password, student  # noqa: F401 - fixtures for benchmarks


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".py" and file_path.name.startswith("bench_"):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Benchmarks keep their own test database (`test_<name>_bench`): the national data set
    stays there between runs (--reuse-db) and never meets `make test`, which needs an empty
    database. KWINT_TEST_DB_NAME still wins when set."""
    if not os.environ.get("KWINT_TEST_DB_NAME"):
        database = settings.DATABASES["default"]
        database.setdefault("TEST", {})["NAME"] = f"test_{database['NAME']}_bench"


@pytest.fixture(scope="session")
def national(django_db_setup, django_db_blocker) -> National:
    """The national data set (seed_bench: 40 regions, 150,000 young people, ...), seeded once
    per benchmark database and analysed before the first measurement. See benchmarks/national.py."""
    with django_db_blocker.unblock():
        return ensure_national()


@pytest.fixture(scope="session", autouse=True)
def _benchmarks_need_postgresql(django_db_setup, django_db_blocker):
    # Numbers from SQLite say nothing about production.
    with django_db_blocker.unblock():
        assert connection.vendor == "postgresql", f"benchmarks run on PostgreSQL, not {connection.vendor}"
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    print(f"\nBENCH database: PostgreSQL {version}, {connection.settings_dict['NAME']}")


@pytest.fixture
def report():
    """``report(name, seconds, **extra)``: print a result line, append it to results.txt."""
    return _report


@pytest.fixture(scope="session")
def results():
    """Measurements (benchmarks.national.measure) collected over the run; printed as the
    README table at the end and appended to results.txt."""
    collected: list = []
    yield collected
    if not collected:
        return
    lines = [
        "",
        # The shape of the table in benchmarks/README.md; "Met" is filled in by hand.
        "| Measurement | Scale | Median | p95 | Queries | First / warm | Target | Met |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        *(m.row() for m in collected),
    ]
    print("\n".join(lines), flush=True)
    with RESULTS.open("a") as out:
        out.write("\n".join(lines) + "\n")
