"""Kwint's own 403/404/500 pages, in the demo as in production: DEBUG is never on unless a
developer sets it, so a mistyped URL never shows Django's list of URL patterns (issue 11)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import path

ROOT = Path(__file__).resolve().parent.parent

# Run in a fresh process with the demo's settings, as `make run` starts: collect the static
# files (into a temporary folder), then ask for a mistyped URL and for the page's stylesheet.
DEMO_PROBE = """
import json, re, sys, django
from django.conf import settings
django.setup()
settings.STATIC_ROOT = sys.argv[1]
from django.core.management import call_command
call_command("collectstatic", "--noinput", verbosity=0)
from django.test import Client
client = Client()
missing = client.get("/jongeren/bestaat-niet/")
body = missing.content.decode()
css = re.search(r'href="(/static/css/kwint[^"]*\\.css)"', body)
static = client.get(css.group(1)) if css else None
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "status": missing.status_code,
    "body": body,
    "css": css.group(1) if css else None,
    "css_status": static.status_code if static else None,
    "css_cache": static.get("Cache-Control", "") if static else "",
}))
"""


def _demo(tmp_path, **extra: str) -> dict:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "kwint.settings",
        "KWINT_ENV": "demo",
        # An empty database: the 404 page for a visitor must not need one.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        **extra,
    }
    result = subprocess.run(
        [sys.executable, "-c", DEMO_PROBE, str(tmp_path / "static")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_mistyped_url_in_the_demo_gets_kwints_404_and_static_files_still_load(tmp_path):
    values = _demo(tmp_path)
    assert values["DEBUG"] is False
    assert values["status"] == 404
    body = values["body"]
    assert "Deze pagina bestaat niet (meer)" in body
    assert "URLconf" not in body and "DEBUG = True" not in body and "kwint.urls" not in body
    # Fingerprinted (CompressedManifestStaticFilesStorage) and served by WhiteNoise.
    assert values["css"] and values["css"] != "/static/css/kwint.css"
    assert values["css_status"] == 200
    assert "max-age=315360000" in values["css_cache"]


def test_debug_is_on_only_when_a_developer_asks(tmp_path):
    assert _demo(tmp_path, DEBUG="true")["DEBUG"] is True


# --- the pages themselves (tests run with DEBUG off, like the demo and production) -----------


def _boom(request):
    raise RuntimeError("kapot")


urlpatterns = [path("kapot/", _boom)]


@pytest.mark.django_db
def test_the_404_page_works_for_a_visitor_and_for_a_signed_in_user(client, login, cast):
    for who in (client, login(cast.coach)):
        response = who.get("/bestaat-niet/")
        assert response.status_code == 404
        body = response.content.decode()
        assert '<html lang="nl">' in body
        assert "Deze pagina bestaat niet (meer)" in body
        assert 'href="#main"' in body  # the skip link of the one base layout


@pytest.mark.django_db
def test_the_500_page_is_dutch_and_needs_no_database(settings, caplog):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    caplog.set_level("ERROR")
    response = client.get("/kapot/")
    assert response.status_code == 500
    body = response.content.decode()
    assert '<html lang="nl">' in body
    assert "<h1" in body and "Er ging iets mis" in body
    assert "functioneel beheerder" in body
    assert "kapot" not in body and "Traceback" not in body
    assert 'name="viewport"' in body
