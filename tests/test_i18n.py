"""Dutch first, English available: the language switch works and the committed catalogue is complete.

CI has no gettext tools, so locale/en/LC_MESSAGES/django.mo is committed; these tests prove it
was compiled from the current django.po.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file as makemessages writes it: flags, msgid, msgid_plural, msgstr(s)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict = {"flags": set(), "obsolete": False}
        key = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                entry[key] = ast.literal_eval(value)
        if "msgid" in entry and not entry["obsolete"]:
            entries.append(entry)
    return entries


ENTRIES = read_po(PO)
MESSAGES = [e for e in ENTRIES if e["msgid"]]


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


# The pages every visitor sees. (Pages that change often are covered by `make messages`.)
FOUNDATION_TEMPLATES = [
    "base.html",
    "registration/login.html",
    "registration/locked_out.html",
    "403.html",
    "404.html",
    "500.html",
]


def test_no_translation_is_fuzzy():
    # Fuzzy entries are left out of the .mo: the page would silently stay Dutch.
    fuzzy = [e["msgid"] for e in MESSAGES if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy translations (check them, then remove the flag): {fuzzy[:10]}"


def test_every_string_of_the_foundation_pages_is_translated():
    translated = {e["msgid"] for e in MESSAGES if e.get("msgstr") or e.get("msgstr[0]")}
    strings = set()
    for name in FOUNDATION_TEMPLATES:
        text = (ROOT / "templates" / name).read_text()
        strings |= set(re.findall(r'{% translate "([^"]+)"', text))
        strings |= set(re.findall(r"{% translate '([^']+)'", text))
    assert len(strings) > 15
    missing = sorted(strings - translated)
    assert not missing, f"translate these in locale/en (make messages): {missing}"


def test_the_committed_mo_is_compiled_from_the_current_po():
    with MO.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    stale = []
    for entry in MESSAGES:
        if "msgid_plural" in entry:
            if catalog.get((entry["msgid"], 0)) != entry.get("msgstr[0]"):
                stale.append(entry["msgid"])
        elif entry.get("msgstr") and catalog.get(entry["msgid"]) != entry["msgstr"]:
            stale.append(entry["msgid"])
    assert not stale, f"run `make messages` (or compilemessages): the .mo is out of date, e.g. {stale[:5]}"


def test_translations_keep_their_placeholders():
    placeholders = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    broken = []
    for entry in MESSAGES:
        source = entry.get("msgid_plural", entry["msgid"])
        translated = entry.get("msgstr") or entry.get("msgstr[1]") or ""
        if translated and sorted(placeholders.findall(translated)) != sorted(placeholders.findall(source)):
            broken.append(entry["msgid"])
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
