import pytest


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Rate-limit counters in a cache of this test process only: the shared test Redis is
    cleared by every other test run on the machine, which would reset a count mid-test."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "checkins"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def standin(settings):
    """MessageBird's API, played by a local HTTP server; the app configured to use it."""
    from tests.checkins.standin import ACCESS_KEY, SIGNING_KEY, StandIn

    with StandIn() as server:
        settings.KWINT_SMS_BACKEND = "messagebird"
        settings.KWINT_SMS_MESSAGEBIRD_URL = server.url
        settings.KWINT_SMS_MESSAGEBIRD_ACCESS_KEY = ACCESS_KEY
        settings.KWINT_SMS_MESSAGEBIRD_SIGNING_KEY = SIGNING_KEY
        settings.KWINT_SMS_ORIGINATOR = "Kwint"
        yield server
