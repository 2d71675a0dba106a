"""Print benchmark results as aligned table lines and keep a log in benchmarks/results.txt."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.txt"


def report(name: str, seconds: float, **extra: object) -> str:
    """Print one result line (and append it to results.txt); returns the line.

    ``extra`` is anything that makes the number meaningful: rows, queries, per-item times.
    """
    details = "  ".join(f"{key}={_fmt(value)}" for key, value in extra.items())
    line = f"BENCH {name:<48} {seconds * 1000:>10.1f} ms  {details}".rstrip()
    print(line, flush=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    with RESULTS.open("a") as results:
        results.write(f"{stamp}  {line}\n")
    return line


@contextmanager
def timed() -> Iterator[dict[str, float]]:
    """``with timed() as t: ...`` then ``t["seconds"]``: wall-clock time of the block."""
    result: dict[str, float] = {}
    start = time.perf_counter()
    try:
        yield result
    finally:
        result["seconds"] = time.perf_counter() - start


def best_of(repeat: int, function) -> float:
    """The fastest of ``repeat`` runs, in seconds: the least noisy single number."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)
