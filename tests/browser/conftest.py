"""Playwright fixtures: Chromium against pytest-django's live server.

The browser: KWINT_CHROMIUM, else the system's `chromium` (Debian's package, /usr/bin/chromium),
else Playwright's own download. `make test` installs one when it can
(scripts/prepare_test_env.py); without any, the browser tests are skipped with one line saying
what to install, never failed one by one. KWINT_REQUIRE_BROWSER=true (CI) turns that skip into
a failure. Browser tests are marked `browser` and share one Chromium per session (starting it
costs ~1 s).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# Imports are read by a Celery worker: browser tests that upload use the real one.
from tests.integration.conftest import celery_worker_process  # noqa: F401

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_JS = Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js"


NO_BROWSER = "no Chromium for the browser tests; install it with: {hint}"


@functools.cache
def chromium_executable() -> str | None:
    """The Chromium to drive: a path, "" for Playwright's own download, None when there is none."""
    explicit = os.environ.get("KWINT_CHROMIUM", "")
    if explicit and os.access(explicit, os.X_OK):
        return explicit
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    with sync_playwright() as p:
        return "" if os.path.exists(p.chromium.executable_path) else None


def missing_browser_reason() -> str:
    hint = "sudo apt-get install chromium" if shutil.which("apt-get") else "playwright install --with-deps chromium"
    return NO_BROWSER.format(hint=hint)


def _is_browser_test(item) -> bool:
    return "tests/browser/" in str(item.fspath).replace(os.sep, "/")


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if _is_browser_test(item)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if browser_items and chromium_executable() is None:
        if os.environ.get("KWINT_REQUIRE_BROWSER", "").lower() in {"1", "true", "yes"}:
            raise pytest.UsageError(missing_browser_reason())
        skip = pytest.mark.skip(reason=missing_browser_reason())
        for item in browser_items:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def chromium():
    executable = chromium_executable()
    if executable is None:
        pytest.skip(missing_browser_reason())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable or None, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser context per test, Dutch locale, collecting console errors and CSP reports."""
    context = chromium.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(f"pageerror: {e}"))
    pg.base_url = live_server.url
    yield pg
    context.close()


@pytest.fixture
def phone_page(chromium, live_server):
    """A phone-sized context (iPhone 12-ish) for the young person's pages."""
    context = chromium.new_context(
        locale="nl-NL", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.base_url = live_server.url
    yield pg
    context.close()


def browser_login(page, email: str, password: str) -> None:
    """Log in through the real login form."""
    page.goto(page.base_url + "/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("domcontentloaded")


def axe_violations(page, tags=("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")) -> list[dict]:
    """Run axe-core (vendored from the npm registry) on the current page; return violations."""
    # evaluate() runs through the DevTools protocol, so the page's strict CSP (which would
    # block an injected <script>) stays on and is tested too.
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", list(tags)
    )
    found = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    # Text over a background image (Bootstrap's select arrow, its error icon) is a contrast
    # nobody can check: axe only says "needs review" (52 times on the team page). Count it.
    unverifiable = [
        n["target"]
        for v in result["incomplete"]
        if v["id"] == "color-contrast"
        for n in v["nodes"]
        if any("background image" in check.get("message", "") for check in n.get("any", []))
    ]
    if unverifiable:
        found.append({"id": "color-contrast-unverifiable", "impact": "serious", "nodes": unverifiable[:5]})
    return found


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1)
