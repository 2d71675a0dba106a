"""Task round trip through the real Redis and a real worker: what enqueue-to-result costs."""

from __future__ import annotations

import statistics
import time

from kwint.celery import heartbeat
from tests.integration.conftest import celery_worker_process  # noqa: F401 - the fixture

ROUND_TRIPS = 200


def test_heartbeat_round_trip(celery_worker_process, report):  # noqa: F811
    heartbeat.delay().get(timeout=20)  # warm the connections
    times = []
    for _ in range(ROUND_TRIPS):
        start = time.perf_counter()
        assert heartbeat.delay().get(timeout=20) == "ok"
        times.append(time.perf_counter() - start)
    times.sort()
    report(
        "celery heartbeat round trip (median)",
        statistics.median(times),
        p95_ms=times[int(len(times) * 0.95)] * 1000,
        n=ROUND_TRIPS,
    )
    start = time.perf_counter()
    results = [heartbeat.delay() for _ in range(ROUND_TRIPS)]
    assert [r.get(timeout=60) for r in results] == ["ok"] * ROUND_TRIPS
    seconds = time.perf_counter() - start
    report("celery heartbeat throughput (solo worker)", seconds, tasks=ROUND_TRIPS, per_second=ROUND_TRIPS / seconds)
