"""The memory ceiling a reading runs under: a runaway allocation fails inside the block, and the
process is itself again afterwards."""

import resource

import pytest

from kwint.lib.limits import memory_ceiling

MB = 1024 * 1024


def test_an_allocation_past_the_ceiling_fails_and_the_limit_is_restored():
    before = resource.getrlimit(resource.RLIMIT_AS)
    with pytest.raises(MemoryError), memory_ceiling(64 * MB) as ceiling:
        assert ceiling is not None
        bytearray(512 * MB)
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    bytearray(256 * MB)  # fine again


def test_work_within_the_ceiling_is_untouched():
    with memory_ceiling(256 * MB):
        data = bytearray(16 * MB)
    assert len(data) == 16 * MB


def test_an_operators_tighter_limit_stays():
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    try:
        with memory_ceiling(64 * MB) as outer, memory_ceiling(1024 * MB) as inner:
            assert inner == outer
    finally:
        assert resource.getrlimit(resource.RLIMIT_AS) == (soft, hard)
