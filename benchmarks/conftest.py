"""Benchmarks run like the tests (pytest-django, the real PostgreSQL), but only via `make bench`.

`make test` never collects them (pyproject: testpaths = ["tests"]). Files here may be named
`bench_*.py` or `test_*.py`; functions inside start with `test_`. The standard test fixtures
(`cast`, `login`, `student`, ...) are available. Use `report(...)` to print a result line.
"""

from __future__ import annotations

import pytest
from django.db import connection

from benchmarks.reporting import report as _report
from tests.conftest import cast, login, password, student  # noqa: F401 - fixtures for benchmarks


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".py" and file_path.name.startswith("bench_"):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


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
