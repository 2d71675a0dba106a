"""Front-end speed that a test can hold without timing anything (issue 16):

- the trimmed Bootstrap (`make css`) keeps every class a template, form, template tag or
  script can put on a page, and the pages load it instead of the full file;
- every script is deferred, so none stands in the way of the first paint;
- collected static files (demo and production) are fingerprinted, cached for a year and
  served Brotli- or gzip-compressed.

The speed itself (Lighthouse) is measured by benchmarks/lighthouse.py, never here.
"""

from __future__ import annotations

import re
from pathlib import Path

import crispy_bootstrap5
import django.forms
import pytest
from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
FULL_CSS = ROOT / "static/vendor/bootstrap/css/bootstrap.min.css"
TRIMMED_CSS = ROOT / "static/vendor/bootstrap/css/bootstrap.kwint.min.css"
CRISPY = Path(crispy_bootstrap5.__file__).parent / "templates/bootstrap5"
WIDGETS = Path(django.forms.__file__).parent / "templates/django/forms/widgets"
# What scripts and Django's messages add at run time (also PurgeCSS content, Makefile: css).
DYNAMIC = ROOT / "benchmarks/frontend/dynamic.html"
# The crispy-bootstrap5 templates that `|crispy` and `as_crispy_field` render (Makefile: css).
CRISPY_TEMPLATES = [
    "field.html",
    "uni_form.html",
    "display_form.html",
    "errors.html",
    *(
        f"layout/{name}.html"
        for name in (
            "attrs",
            "field_errors",
            "field_errors_block",
            "field_file",
            "help_text",
            "help_text_and_errors",
            "radio_checkbox_select",
        )
    ),
]
# The Bootstrap components whose run-time classes dynamic.html lists.
COMPONENTS_IN_DYNAMIC_HTML = {"collapse", "dropdown"}


def _selectors(css: str) -> set[str]:
    """Every selector of every rule (inside @media too), whitespace normalised."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"url\([^)]*\)", "", css)
    found: set[str] = set()
    for prelude in re.findall(r"([^{};]+)\{", css):
        if not prelude.strip().startswith("@"):
            for part in prelude.split(","):
                part = re.sub(r"\s*([>+~])\s*", r"\1", part.strip())
                found.add(re.sub(r"\s+", " ", part))
    return found


def _classes(selectors: set[str]) -> set[str]:
    return {cls for selector in selectors for cls in re.findall(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)", selector)}


def _needs(selector: str) -> tuple[set[str], set[str], set[str]]:
    """The classes, elements and attribute names a page must have for the selector to match.
    What is under :not() need not be there; pseudo-classes and -elements need nothing."""
    selector = re.sub(r":not\([^)]*\)", "", selector)
    attributes = set(re.findall(r"\[([\w-]+)", selector))
    selector = re.sub(r"\[[^\]]*\]", "", selector)
    classes = set(re.findall(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)", selector))
    selector = re.sub(r"::?[\w-]+(\([^)]*\))?", "", selector)
    elements = set(re.findall(r"(?:^|[\s>+~])([a-z][a-z0-9]*)", selector))
    return classes, elements, attributes


def _markup_files() -> list[Path]:
    return [
        *_template_files(),
        *(CRISPY / name for name in CRISPY_TEMPLATES),
        *sorted(WIDGETS.glob("*.html")),
        DYNAMIC,
    ]


def _template_files() -> list[Path]:
    return sorted((ROOT / "templates").rglob("*.html"))


def _classes_in_markup(text: str) -> set[str]:
    """Class names in class="..." attributes, template logic taken out; a name glued to a
    variable (alert-{{ x }}) is no literal class: dynamic.html lists what it becomes."""
    found: set[str] = set()
    for value in re.findall(r'class="([^"]*)"', text):
        value = re.sub(r"\{%.*?%\}", " ", value)
        for token in value.split():
            if "{" not in token and "}" not in token:
                found.add(token)
    # crispy_field field 'class' 'form-control is-invalid'
    for value in re.findall(r"\{% crispy_field \w+ 'class' '([^']*)' %\}", text):
        found.update(value.split())
    return found


def _elements_and_attributes(text: str) -> tuple[set[str], set[str]]:
    elements: set[str] = set()
    attributes: set[str] = set()
    for name, rest in re.findall(r"<([a-z][a-z0-9]*)\b((?:\{[^}]*\}|[^>{])*)>", text):
        elements.add(name)
        rest = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", rest)
        rest = re.sub(r'"[^"]*"|\'[^\']*\'', "", rest)
        attributes.update(re.findall(r"([a-zA-Z][\w:-]*)\s*(?==|\s|/|$)", rest + " "))
    return elements, attributes


def _classes_in_code() -> set[str]:
    found: set[str] = set()
    python = [
        *ROOT.glob("*/forms.py"),
        *ROOT.glob("*/views.py"),
        *ROOT.glob("*/templatetags/*.py"),
        *(ROOT / "kwint/lib").rglob("*.py"),
    ]
    for path in python:
        for value in re.findall(r"[\"']class[\"']\s*:\s*[\"']([^\"']*)[\"']", path.read_text()):
            found.update(value.split())
        found |= _classes_in_markup(path.read_text())
    for path in (ROOT / "static/js").glob("*.js"):
        for args in re.findall(r"classList\.(?:add|remove|toggle|contains)\(([^)]*)\)", path.read_text()):
            found.update(re.findall(r"[\"']([\w-]+)[\"']", args))
    return found


def _used() -> tuple[set[str], set[str], set[str]]:
    classes, elements, attributes = _classes_in_code(), set(), set()
    for path in _markup_files():
        text = path.read_text()
        classes |= _classes_in_markup(text)
        found_elements, found_attributes = _elements_and_attributes(text)
        elements |= found_elements
        attributes |= found_attributes
    return classes, elements, attributes


def test_every_bootstrap_rule_the_pages_can_use_survives_the_trim():
    """A Bootstrap rule applies when its classes, elements and attributes are on the page: each
    such rule must still be in the trimmed file (`.nav-fill .nav-item` may go; `.nav-link`,
    `textarea.form-control` and `.dropdown-menu[data-bs-popper]` may not)."""
    full = _selectors(FULL_CSS.read_text())
    kept = _selectors(TRIMMED_CSS.read_text())
    classes, elements, attributes = _used()
    # The finder must find what it is there to protect, or this test proves nothing.
    assert {"btn", "form-control", "is-invalid", "navbar-toggler", "visually-hidden-focusable", "show"} <= classes
    assert {"textarea", "select", "input", "table", "label"} <= elements
    assert {"type", "data-bs-popper", "disabled", "checked"} <= attributes
    needed = set()
    for selector in full:
        need_classes, need_elements, need_attributes = _needs(selector)
        if (need_classes or need_elements or need_attributes) and (
            need_classes <= classes and need_elements <= elements and need_attributes <= attributes
        ):
            needed.add(selector)
    missing = sorted(needed - kept)
    assert not missing, f"run `make css`: the trimmed Bootstrap lacks {missing[:20]}"
    # And it is a trim: unused components are gone (grid, utilities and form parts stay whole).
    assert len(TRIMMED_CSS.read_bytes()) < len(FULL_CSS.read_bytes()) * 0.7
    assert not {"carousel", "modal", "offcanvas", "toast", "tooltip", "popover", "accordion"} & _classes(kept)


def test_the_pages_use_only_the_bootstrap_components_that_are_built_and_kept():
    """`make js` bundles only Collapse and Dropdown, and dynamic.html keeps only their classes."""
    entry = (ROOT / "benchmarks/frontend/bootstrap-kwint.js").read_text()
    built = set(re.findall(r"bootstrap/js/src/(\w+)\.js", entry))
    assert built == COMPONENTS_IN_DYNAMIC_HTML
    components = {
        toggle for path in _template_files() for toggle in re.findall(r'data-bs-toggle="(\w+)"', path.read_text())
    }
    assert components <= COMPONENTS_IN_DYNAMIC_HTML, (
        f"new Bootstrap component {components - COMPONENTS_IN_DYNAMIC_HTML}: add the classes its script sets "
        "to benchmarks/frontend/dynamic.html and COMPONENTS_IN_DYNAMIC_HTML here, then `make css`"
    )


def test_no_page_loads_the_full_bootstrap_or_a_blocking_script():
    for path in _template_files():
        text = path.read_text()
        assert "bootstrap.min.css" not in text, f"{path.name} loads the untrimmed Bootstrap"
        assert "bootstrap.bundle" not in text, f"{path.name} loads all of Bootstrap's JavaScript (make js)"
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, f"{path.name}: inline script ({tag})"
            assert re.search(r"\sdefer\b", tag), f"{path.name}: {tag} is not deferred"


@pytest.fixture
def collected_static(settings, tmp_path):
    """Static files as the demo and production serve them: collected with WhiteNoise's
    compressed manifest storage."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


@pytest.mark.django_db
def test_collected_static_files_are_fingerprinted_compressed_and_cached_for_a_year(collected_static):
    client = Client()  # a new handler: WhiteNoise reads the collected files
    login = client.get(reverse("login"))
    assert login.status_code == 200
    url = static("vendor/bootstrap/css/bootstrap.kwint.min.css")
    assert re.search(r"bootstrap\.kwint\.min\.[0-9a-f]{12}\.css$", url), url
    assert url in login.content.decode()
    size = TRIMMED_CSS.stat().st_size
    for encoding in ("br", "gzip"):
        response = client.get(url, headers={"accept-encoding": encoding})
        assert response.status_code == 200
        assert response["Content-Encoding"] == encoding
        assert response["Cache-Control"] == "max-age=315360000, public, immutable"
        assert int(response["Content-Length"]) < size / 4
        assert response["Vary"] == "Accept-Encoding"
    for path in ("vendor/bootstrap/js/bootstrap.kwint.min.js", "vendor/htmx/htmx.min.js", "js/kwint.js"):
        response = client.get(static(path), headers={"accept-encoding": "br, gzip"})
        assert response["Content-Encoding"] == "br", path
        assert "immutable" in response["Cache-Control"], path
