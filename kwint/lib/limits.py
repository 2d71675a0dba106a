"""A memory ceiling around one piece of work inside a long-lived worker process.

Celery's `worker_max_memory_per_child` only replaces a prefork child *after* its task ended,
and the time limits need the prefork pool; neither stops one task from taking the machine's
memory while it runs (the solo pool of the demo has no limits at all). Lowering the process's
soft address-space limit (RLIMIT_AS) for the duration of the work makes a runaway allocation
fail with MemoryError inside the task, which the task turns into a clear message; the limit is
restored afterwards, so the worker goes on with its next task unharmed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

try:
    import resource
except ImportError:  # pragma: no cover - not on Linux: no ceiling, the parser's own bounds remain
    resource = None  # type: ignore[assignment]


def _address_space_bytes() -> int | None:
    try:
        with open(f"/proc/{os.getpid()}/statm") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def _release_free_memory() -> None:
    """Hand memory the process freed back to the system before measuring it. Memory the
    allocator keeps for reuse is address space already counted, so a task could otherwise use
    all of it on top of the ceiling: after a large earlier task, many times the ceiling."""
    gc.collect()
    libc_name = ctypes.util.find_library("c")
    if libc_name:
        trim = getattr(ctypes.CDLL(libc_name), "malloc_trim", None)  # glibc only
        if trim is not None:
            trim(0)


@contextmanager
def memory_ceiling(extra_bytes: int) -> Iterator[int | None]:
    """Allow the process `extra_bytes` more address space than it uses now, until the block ends.
    Yields the ceiling in bytes (None where the platform cannot set one)."""
    _release_free_memory()
    current = _address_space_bytes()
    if resource is None or current is None or extra_bytes <= 0:
        yield None
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = current + extra_bytes
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    if soft != resource.RLIM_INFINITY and soft <= ceiling:
        yield soft  # an operator's tighter limit stays
        return
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    try:
        yield ceiling
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
