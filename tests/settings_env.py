"""The environment variables kwint/settings.py reads, found by reading its source."""

from __future__ import annotations

import re
from pathlib import Path

SETTINGS_PY = Path(__file__).resolve().parent.parent / "kwint" / "settings.py"
# env("X"), env.str("X", ...), env.db("X"), env.list(\n    "X" ...) and so on.
_ENV_CALL = re.compile(r"\benv(?:\.\w+)?\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']")

SETTINGS_ENV_NAMES: frozenset[str] = frozenset(_ENV_CALL.findall(SETTINGS_PY.read_text()))
