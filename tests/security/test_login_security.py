"""Lockout, login logging, session expiry and logout everywhere on a password change."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from audit.models import AccessLogEntry, Action, Result
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _attempt(client, email, password="wrong-password-123"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_five_wrong_passwords_lock_the_account_with_a_dutch_page(client, cast, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _i in range(4):
        response = _attempt(client, cast.coach.user.email)
        assert response.status_code == 200
        assert "horen niet bij elkaar" in response.content.decode()
    locked = _attempt(client, cast.coach.user.email)
    assert locked.status_code == 429
    assert "Inloggen is tijdelijk niet mogelijk" in locked.content.decode()
    # Even the right password is refused while locked.
    assert _attempt(client, cast.coach.user.email, PASSWORD).status_code == 429
    assert AccessLogEntry.objects.filter(
        action=Action.SECURITY, result=Result.DENIED, detail__contains="geblokkeerd"
    ).exists()


def test_the_lockout_does_not_reveal_whether_the_account_exists(client, cast):
    def run(email):
        pages = [_attempt(Client(), email) for _i in range(5)]
        return [(p.status_code, p.content.decode().replace(email, "X")) for p in pages]

    known = run(cast.coach.user.email)
    unknown = run("niemand@kwint.test")

    def strip_csrf(pages):
        import re

        return [(s, re.sub(r'value="[A-Za-z0-9]{32,}"', "", c)) for s, c in pages]

    assert strip_csrf(known) == strip_csrf(unknown)
    assert known[-1][0] == 429


def test_failed_and_successful_logins_are_logged_without_an_actor(client, cast):
    _attempt(client, "niemand@kwint.test")
    _attempt(client, cast.coach.user.email)
    failed = AccessLogEntry.objects.filter(action=Action.LOGIN_FAILED).order_by("id")
    assert [e.actor_id for e in failed] == [None, None]
    assert {e.detail for e in failed} == {"onjuiste inloggegevens"}
    _attempt(client, cast.coach.user.email, PASSWORD)
    assert AccessLogEntry.objects.filter(action=Action.LOGIN, actor=cast.coach.user, ip_address="10.0.0.7").exists()


def test_the_session_ends_after_idle_time(client, cast, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    start = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client.post(reverse("login"), {"username": cast.coach.user.email, "password": PASSWORD})
        assert client.get(reverse("password_change")).status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("password_change")).status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get(reverse("password_change"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert "niet actief" in client.get(reverse("login")).content.decode()


def test_the_session_ends_after_the_absolute_maximum_even_when_active(client, cast, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    settings.SESSION_ABSOLUTE_MAX = 10 * 3600
    start = dt.datetime(2026, 9, 1, 7, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client.post(reverse("login"), {"username": cast.coach.user.email, "password": PASSWORD})
        for _i in range(20):  # active every 25 minutes for 8h20
            traveller.shift(dt.timedelta(minutes=25))
            assert client.get(reverse("password_change")).status_code == 200
        traveller.shift(dt.timedelta(hours=2))  # 10h20 after login, last request 2h ago -> both rules
        assert client.get(reverse("password_change")).status_code == 302


def test_a_password_change_logs_out_every_other_session(cast):
    here, elsewhere = Client(), Client()
    for c in (here, elsewhere):
        c.post(reverse("login"), {"username": cast.coach.user.email, "password": PASSWORD})
        assert c.get(reverse("password_change")).status_code == 200
    new = "een-heel-nieuw-wachtwoord-2026"
    response = here.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert here.get(reverse("password_change")).status_code == 200
    assert elsewhere.get(reverse("password_change")).status_code == 302


def test_the_password_change_form_speaks_dutch(login, cast):
    response = login(cast.coach).post(
        reverse("password_change"), {"old_password": "fout", "new_password1": "a", "new_password2": "b"}
    )
    assert response.status_code == 200
    assert "Uw oude wachtwoord is niet juist ingevoerd" in response.content.decode()
