"""Anonymous users reach nothing but the login page and the public pages: walk every URL."""

from __future__ import annotations

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Pages anyone may open. Everything else must send an anonymous visitor to the login page.
PUBLIC = {
    "login",
    "set_language",
    "healthz",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invite_accept",
}
PUBLIC_PREFIXES = ("consent:public", "checkins:public")


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            if ns == "admin":
                continue
            yield from _walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            yield name, prefix + str(pattern.pattern), pattern


def _concrete(route: str) -> str:
    import re

    route = re.sub(r"<uuid:[^>]+>", str(uuid.uuid4()), route)
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<(str|slug)?:?[^>]+>", "x", route)
    return "/" + route.lstrip("^").rstrip("$")


def all_routes():
    return list(_walk(get_resolver()))


@pytest.mark.django_db
@pytest.mark.parametrize("name,route", [(n, r) for n, r, _ in all_routes()])
def test_anonymous_users_are_sent_to_login(client, name, route):
    if name in PUBLIC or name.startswith(PUBLIC_PREFIXES):
        pytest.skip("public page")
    url = _concrete(route)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code == 302, f"{method.upper()} {url} ({name}) gave {response.status_code}"
        assert response["Location"].startswith("/inloggen/"), f"{url} ({name}) redirected elsewhere"


def test_every_public_page_is_named_on_purpose():
    names = {n for n, _, _ in all_routes()}
    assert "login" in names
