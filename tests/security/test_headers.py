"""Security headers on responses, and `manage.py check --deploy` clean with production settings."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]


def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_frame_denial_nosniff_referrer_and_cookie_flags(login, cast):
    response = login(cast.coach).get(reverse("password_change"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_hsts_and_secure_cookies_in_production_settings(settings, client):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = False
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]


def test_session_and_csrf_cookies_are_httponly():
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY


def test_check_deploy_reports_no_warnings_with_production_settings():
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "KWINT_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/kwint",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "kwint.example.nl",
        "DJANGO_SETTINGS_MODULE": "kwint.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_response_carries_a_permissions_policy_also_for_visitors_and_static_files(client):
    from kwint.lib.security import PERMISSIONS_POLICY

    for path in (reverse("login"), "/bestaat-niet/", "/static/css/kwint.css", reverse("healthz")):
        response = client.get(path)
        assert response["Permissions-Policy"] == PERMISSIONS_POLICY, path
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in PERMISSIONS_POLICY


def test_pages_for_a_signed_in_user_are_never_stored_but_static_files_are_cached(login, cast):
    coach = login(cast.coach)
    page = coach.get(reverse("password_change"))
    assert page["Cache-Control"] == "no-store, private"
    css = coach.get("/static/css/kwint.css")
    assert "no-store" not in css.get("Cache-Control", "")


def test_after_logout_the_back_button_finds_nothing(client, cast):
    """What the browser would show on Back is whatever it stored: nothing, with no-store."""
    from tests.factories import PASSWORD

    client.post(reverse("login"), {"username": cast.coach.user.email, "password": PASSWORD})
    stored = client.get(reverse("password_change"))
    assert "no-store" in stored["Cache-Control"]
    client.post(reverse("logout"))
    again = client.get(reverse("password_change"))
    assert again.status_code == 302 and again["Location"].startswith(reverse("login"))
