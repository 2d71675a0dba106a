"""`make run` on a fresh machine migrates the demo's embedded SQLite database: every migration
must apply there too, not only on PostgreSQL (a PostgreSQL-only operation once broke it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_migration_applies_to_the_demos_sqlite(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "REDIS_CACHE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {"KWINT_ENV": "demo", "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "demo.sqlite3").stat().st_size > 0
