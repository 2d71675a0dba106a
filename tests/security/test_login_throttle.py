"""The client's address behind the proxy, and a login lockout that slows a guesser down without
letting a stranger lock a known account out (issue 17)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.login_throttle import delay_after
from audit.models import AccessLogEntry, Action
from kwint.lib.client_address import client_address
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
ATTACKER = "203.0.113.9"
REAL_USER = "198.51.100.7"


# --- the one client-address rule --------------------------------------------------------------


@pytest.mark.parametrize(
    "trusted,remote,forwarded,expected",
    [
        (0, "192.0.2.5", "", "192.0.2.5"),
        (0, "192.0.2.5", "203.0.113.9", "192.0.2.5"),  # no proxy: the header is a lie
        (1, PROXY, "203.0.113.9", "203.0.113.9"),
        (1, PROXY, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client's own entry is ignored
        (2, PROXY, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (1, PROXY, "", PROXY),  # did not come through the proxy (e.g. the container healthcheck)
        (2, PROXY, "203.0.113.9", PROXY),  # shorter than the trusted chain
        (1, PROXY, "not-an-address", PROXY),
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
        (1, PROXY, "[2001:db8::1]:443", "2001:db8::1"),
        (0, "", "", "0.0.0.0"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(settings, trusted, remote, forwarded, expected):
    settings.KWINT_TRUSTED_PROXIES = trusted
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)
    assert client_address(request) == expected


# --- through the proxy ---------------------------------------------------------------------------


@pytest.fixture
def behind_proxy(settings):
    settings.KWINT_TRUSTED_PROXIES = 1
    settings.AXES_FAILURE_LIMIT = 5


def _login(client, email, password, forwarded: str):
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_the_proxy_a_lockout_hits_the_guesser_not_the_real_user(behind_proxy, cast):
    email = cast.coach.user.email
    guesser = Client()
    for n in range(4):
        # Each guess forges a new X-Forwarded-For entry; the proxy appends the real address.
        assert _login(guesser, email, "verkeerd-wachtwoord", f"10.66.0.{n}, {ATTACKER}").status_code == 200
    assert _login(guesser, email, "verkeerd-wachtwoord", f"10.66.0.9, {ATTACKER}").status_code == 429
    assert _login(guesser, email, PASSWORD, ATTACKER).status_code == 429
    # The real coach, from their own address through the same proxy, logs in at once.
    response = _login(Client(), email, PASSWORD, REAL_USER)
    assert response.status_code == 302 and response["Location"] != reverse("login")
    login = AccessLogEntry.objects.get(action=Action.LOGIN, actor=cast.coach.user)
    assert login.ip_address == REAL_USER
    failures = AccessLogEntry.objects.filter(action=Action.LOGIN_FAILED)
    assert set(failures.values_list("ip_address", flat=True)) == {ATTACKER}


def test_one_account_attacked_from_many_addresses_does_not_lock_the_real_user_out(behind_proxy, cast):
    email = cast.coach.user.email
    for host in range(12):
        guesser = Client()
        for _n in range(6):
            _login(guesser, email, "verkeerd-wachtwoord", f"203.0.113.{host}")
    response = _login(Client(), email, PASSWORD, REAL_USER)
    assert response.status_code == 302 and response["Location"] != reverse("login")


def test_spraying_many_accounts_from_one_address_is_limited(behind_proxy, cast, settings):
    settings.KWINT_LOGIN_FAILURES_PER_ADDRESS = 10
    victims = [MembershipFactory(organisation=cast.rmc).user for _n in range(10)]
    sprayer = Client()
    for victim in victims:  # one guess per account: the per-account limit never trips
        assert _login(sprayer, victim.email, "Welkom2026!", ATTACKER).status_code == 200
    blocked = _login(sprayer, cast.coach.user.email, PASSWORD, ATTACKER)
    assert blocked.status_code == 429  # not even a right password is checked from there
    assert "Inloggen is tijdelijk niet mogelijk" in blocked.content.decode()
    assert (
        AccessLogEntry.objects.filter(action=Action.SECURITY, object_type="address", ip_address=ATTACKER).count() == 1
    )
    # Colleagues elsewhere are not affected.
    assert _login(Client(), cast.coach.user.email, PASSWORD, REAL_USER).status_code == 302


def test_the_wait_grows_with_each_further_wrong_password(behind_proxy, cast):
    email = cast.coach.user.email
    guesser = Client()
    start = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for _n in range(4):
            _login(guesser, email, "fout-1", ATTACKER)
        locked = _login(guesser, email, "fout-1", ATTACKER)
        assert locked.status_code == 429
        assert "over 1 minuut" in locked.content.decode()
        # Trying while waiting changes nothing (not checked, not counted).
        traveller.shift(dt.timedelta(seconds=30))
        assert _login(guesser, email, PASSWORD, ATTACKER).status_code == 429
        traveller.shift(dt.timedelta(seconds=31))
        second = _login(guesser, email, "fout-2", ATTACKER)  # checked: wrong again
        assert second.status_code == 429
        assert "over 2 minuten" in second.content.decode()
        traveller.shift(dt.timedelta(seconds=90))
        assert _login(guesser, email, PASSWORD, ATTACKER).status_code == 429
        traveller.shift(dt.timedelta(seconds=31))
        # The wait is over: the right password works, and ends the streak.
        response = _login(guesser, email, PASSWORD, ATTACKER)
        assert response.status_code == 302 and response["Location"] != reverse("login")


def test_the_wait_doubles_up_to_the_configured_maximum(settings):
    settings.AXES_COOLOFF_HOURS_MAX = 0.5
    waits = [delay_after(n, 5) for n in range(4, 12)]
    assert waits == [
        dt.timedelta(0),
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=2),
        dt.timedelta(minutes=4),
        dt.timedelta(minutes=8),
        dt.timedelta(minutes=16),
        dt.timedelta(minutes=30),
        dt.timedelta(minutes=30),
    ]
