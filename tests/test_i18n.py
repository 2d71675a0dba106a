"""Dutch first, English available: the language switch works and the committed catalogue is complete.

Completeness of the catalogue and its compiled .mo: tests/test_catalogue.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


MESSAGES = [e for e in polib.pofile(str(PO)) if e.msgid and not e.obsolete]


def test_login_page_is_dutch_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="nl">' in content
    assert "Inloggen bij Kwint" in content


def test_switching_to_english_shows_the_login_page_in_english(client):
    page = client.get(reverse("login")).content.decode()
    # The footer form is what a visitor uses: post exactly what it offers.
    assert 'action="/taal/"' in page and '<option value="en"' in page
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    content = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in content
    assert "Log in to Kwint" in content
    assert "Skip to content" in content
    assert "Inloggen bij Kwint" not in content
    # And back to Dutch.
    client.post(reverse("set_language"), {"language": "nl", "next": reverse("login")})
    assert "Inloggen bij Kwint" in client.get(reverse("login")).content.decode()


def test_english_start_page_after_login(login, cast):
    client = login(cast.beheerder)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    content = client.get(reverse("home"), follow=True).content.decode()
    assert '<html lang="en">' in content
    assert "Log out" in content
    assert "Main menu" in content


def test_translations_keep_their_placeholders():
    placeholders = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    broken = []
    for entry in MESSAGES:
        source = entry.msgid_plural or entry.msgid
        translated = entry.msgstr or entry.msgstr_plural.get(1, "")
        if translated and sorted(placeholders.findall(translated)) != sorted(placeholders.findall(source)):
            broken.append(entry.msgid)
    assert not broken, f"placeholders differ between Dutch and English: {broken}"


def test_settings_offer_dutch_first_and_english():
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _ in settings.LANGUAGES] == ["nl", "en"]
    assert PO.parent.parent.parent in [Path(p) for p in settings.LOCALE_PATHS]


def test_dutch_is_shown_to_an_english_browser_until_the_user_chooses(client, db):
    # Staff often run an English browser but work in Dutch: Accept-Language is ignored.
    response = client.get("/inloggen/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Inloggen bij Kwint" in response.content.decode()
    client.post("/taal/", {"language": "en", "next": "/inloggen/"})
    assert "Inloggen bij Kwint" not in client.get("/inloggen/").content.decode()


def test_a_users_own_language_applies_without_a_cookie(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(language="en"))
    response = client.get("/account/start/")
    assert response["Content-Language"] == "en"
