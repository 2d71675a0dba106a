"""Password reset and invitations (issue 17): a reset link lives an hour, an invitation its own
lifetime; both carry the user's UUID; every request enqueues the mail task, known address or
not, with the same answer; rate limits per client address and per typed address."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.passwords import invite_link, invite_tokens, reset_link, reset_tokens
from accounts.tasks import password_reset_mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued(monkeypatch):
    """What the web request hands to Celery (the worker itself: tests/integration)."""
    calls: list[dict] = []
    monkeypatch.setattr(password_reset_mail, "delay", lambda **kwargs: calls.append(kwargs))
    return calls


def _ask(client, email, **extra):
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def test_known_and_unknown_addresses_get_the_same_answer_and_the_same_work(cast, enqueued):
    answers, queries = [], []
    for email in (cast.coach.user.email, "niemand@kwint.test"):
        with CaptureQueriesContext(connection) as captured:
            response = _ask(Client(), email)
        answers.append((response.status_code, response["Location"]))
        queries.append(len(captured))
    assert answers[0] == answers[1] == (302, reverse("password_reset_done"))
    assert queries[0] == queries[1] == 0  # nothing looked up in the request: the worker does it
    assert enqueued == [{"email": cast.coach.user.email}, {"email": "niemand@kwint.test"}]
    assert mail.outbox == []  # no mail sent in the request


def test_the_task_mails_a_real_account_only(cast):
    assert password_reset_mail(email="NIEMAND@kwint.test") == 0
    assert password_reset_mail(email=cast.coach.user.email.upper()) == 1
    (message,) = mail.outbox
    assert message.to == [cast.coach.user.email]
    assert "nieuw wachtwoord" in message.subject
    assert "60 minuten" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    link = re.search(r"https?://\S+/wachtwoord-vergeten/\S+/", message.body).group(0)
    assert link in html
    assert str(cast.coach.user.code) in link


def test_an_inactive_account_gets_no_mail(cast):
    cast.coach.user.is_active = False
    cast.coach.user.save()
    assert password_reset_mail(email=cast.coach.user.email) == 0


def test_links_carry_the_uuid_not_the_sequential_id(cast):
    user = cast.coach.user
    for link in (reset_link(user), invite_link(user)):
        assert str(user.code) in link
        encoded_pk = base64.urlsafe_b64encode(str(user.pk).encode()).decode().rstrip("=")
        assert f"/{encoded_pk}/" not in link


def _path(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_a_reset_link_lives_one_hour_and_works_once(cast):
    user = cast.coach.user
    start = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        path = _path(reset_link(user))
        traveller.shift(dt.timedelta(minutes=59))
        assert reset_tokens.check_token(user, path.rstrip("/").rsplit("/", 1)[1])
        browser = Client()
        form = browser.get(path, follow=True)
        assert form.context["validlink"] is True
        traveller.shift(dt.timedelta(minutes=2))
        assert Client().get(path, follow=True).context["validlink"] is False
        assert "een uur lang" in Client().get(path, follow=True).content.decode()


def test_a_reset_link_sets_the_password_once(cast):
    user = cast.coach.user
    path = _path(reset_link(user))
    browser = Client()
    form = browser.get(path, follow=True)
    new = "een-nieuw-en-lang-wachtwoord-2026"
    done = browser.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new)
    assert Client().get(path, follow=True).context["validlink"] is False


def test_an_invitation_has_its_own_lifetime(cast, settings):
    settings.KWINT_INVITE_DAYS = 7
    user = cast.coach.user
    start = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        path = _path(invite_link(user))
        traveller.shift(dt.timedelta(days=6, hours=23))
        assert Client().get(path, follow=True).context["validlink"] is True
        traveller.shift(dt.timedelta(hours=2))
        page = Client().get(path, follow=True)
        assert page.context["validlink"] is False
        assert "uitnodiging is verlopen" in page.content.decode()


def test_a_reset_token_is_no_invitation_and_an_invitation_no_reset(cast):
    user = cast.coach.user
    reset = reset_tokens.make_token(user)
    invitation = invite_tokens.make_token(user)
    assert not invite_tokens.check_token(user, reset)
    assert not reset_tokens.check_token(user, invitation)
    swapped = reverse("invite_accept", kwargs={"code": user.code, "token": reset})
    assert Client().get(swapped, follow=True).context["validlink"] is False


def test_requests_for_one_address_are_limited_silently(cast, enqueued, settings):
    settings.KWINT_PASSWORD_RESETS_PER_EMAIL = 3
    answers = [_ask(Client(), cast.coach.user.email, REMOTE_ADDR=f"192.0.2.{n}") for n in range(5)]
    # The same answer every time; only three mails were asked for.
    assert {(r.status_code, r["Location"]) for r in answers} == {(302, reverse("password_reset_done"))}
    assert len(enqueued) == 3


def test_requests_from_one_client_address_are_limited(cast, enqueued, settings):
    settings.KWINT_PASSWORD_RESETS_PER_ADDRESS = 4
    settings.KWINT_TRUSTED_PROXIES = 1
    for n in range(4):
        _ask(Client(), f"persoon{n}@kwint.test", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    refused = _ask(Client(), cast.coach.user.email, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert refused.status_code == 429
    assert "te vaak een nieuw wachtwoord aangevraagd" in refused.content.decode()
    assert len(enqueued) == 4
    # Someone else behind the same proxy is not affected.
    other = _ask(Client(), cast.coach.user.email, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert other.status_code == 302 and len(enqueued) == 5
