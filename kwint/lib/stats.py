"""Small-number suppression for aggregates: a cell small enough to identify someone is hidden."""

from __future__ import annotations

from django.conf import settings

SUPPRESSED = "<{}"


def suppress(count: int, threshold: int | None = None) -> str:
    """Show counts of 0 and of `threshold` or more; hide 1..threshold-1 as "<threshold"."""
    limit = threshold if threshold is not None else getattr(settings, "KWINT_SUPPRESS_BELOW", 5)
    if 0 < count < limit:
        return SUPPRESSED.format(limit)
    return str(count)
