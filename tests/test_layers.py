"""The apps import one way, downward, and no app's modules import each other in a circle.

The contracts live in pyproject.toml ([tool.importlinter]); this runs them in `make test` so a
new upward import fails the suite, not only a lint run somebody may skip."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_source_file_over_500_lines():
    too_long = []
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & {".venv", "migrations", "tests", "benchmarks", "node_modules"}:
            continue
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > 500:
            too_long.append(f"{path.relative_to(ROOT)} ({lines})")
    assert not too_long, "split by concept: " + ", ".join(too_long)
