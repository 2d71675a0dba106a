import pytest


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Rate-limit counters in a cache of this test process only: the shared test Redis is
    cleared by every other test run on the machine, which would reset a count mid-test."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "checkins"}}
    from django.core.cache import cache

    cache.clear()
