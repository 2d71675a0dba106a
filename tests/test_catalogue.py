"""One English catalogue, complete and compiled.

Every string the source marks for translation must be in `locale/en/LC_MESSAGES/django.po`
with an English text that is not fuzzy (gettext leaves fuzzy entries out of the .mo: the page
would silently stay Dutch), and the committed .mo must be compiled from that .po. The strings
are found the way `makemessages` finds them (Django's own `templatize` for templates, the
gettext calls in Python), so the test needs no gettext tools: CI has none.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
from django.conf import settings
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# The same folders `make messages` skips.
SKIP = {".venv", "staticfiles", "benchmarks", "tests", "locale", "node_modules", ".git", "migrations"}
GETTEXT_CALLS = {
    "_": ("msgid",),
    "gettext": ("msgid",),
    "gettext_lazy": ("msgid",),
    "gettext_noop": ("msgid",),
    "ngettext": ("msgid", "plural"),
    "ngettext_lazy": ("msgid", "plural"),
    "pgettext": ("context", "msgid"),
    "pgettext_lazy": ("context", "msgid"),
    "npgettext": ("context", "msgid", "plural"),
    "npgettext_lazy": ("context", "msgid", "plural"),
}
LITERAL = r"u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
TEMPLATE_CALL = re.compile(rf"(?<![\w.])(_|n?p?gettext)\(({LITERAL}(?:,\s*{LITERAL})*)")


def source_files(*suffixes: str):
    for path in ROOT.rglob("*"):
        if path.suffix in suffixes and path.is_file() and not SKIP & set(path.relative_to(ROOT).parts):
            yield path


def test_gettext_is_never_imported_under_a_name_makemessages_cannot_see():
    # `gettext_lazy as _lazy` hid the column "Verwacht diploma" from makemessages (xgettext
    # only knows the standard names): it stayed Dutch in English.
    hidden = []
    for path in source_files(".py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                hidden += [
                    f"{path.relative_to(ROOT)}: {a.name} as {a.asname}"
                    for a in node.names
                    if a.asname not in (None, "_")
                ]
    assert not hidden, f"import under its own name (or as _): {hidden}"


def python_messages(path: Path) -> set[tuple[str | None, str]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        roles = GETTEXT_CALLS.get(name)
        if not roles or len(node.args) < len(roles):
            continue
        values = dict(zip(roles, node.args, strict=False))
        if not all(isinstance(values[r], ast.Constant) and isinstance(values[r].value, str) for r in roles):
            continue
        context = values["context"].value if "context" in values else None
        found.add((context, values["msgid"].value))
    return found


def template_messages(path: Path) -> set[tuple[str | None, str]]:
    found = set()
    for call, args in TEMPLATE_CALL.findall(templatize(path.read_text(encoding="utf-8"), origin=str(path))):
        literals = [ast.literal_eval(a) for a in re.findall(LITERAL, args)]
        if "p" in call:  # pgettext, npgettext: the context comes first
            found.add((literals[0], literals[1]))
        else:
            found.add((None, literals[0]))
    return found


def source_messages() -> set[tuple[str | None, str]]:
    messages: set[tuple[str | None, str]] = set()
    for path in source_files(".py"):
        messages |= python_messages(path)
    for path in source_files(".html", ".txt"):
        messages |= template_messages(path)
    return {m for m in messages if m[1]}


def catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def test_there_is_one_catalogue_for_the_whole_project():
    # A second catalogue (an app's locale/) silently loses to the project one where both
    # translate a string: the English a user reads depended on which file won.
    others = [p for p in ROOT.rglob("locale") if p.is_dir() and p != PO.parents[2] and not SKIP & set(p.parts)]
    assert others == [], f"merge these into locale/ and delete them: {others}"
    assert [Path(p) for p in settings.LOCALE_PATHS] == [PO.parents[2]]


def test_every_message_in_the_source_is_in_the_english_catalogue():
    known = {(e.msgctxt, e.msgid) for e in catalogue() if not e.obsolete}
    messages = source_messages()
    assert len(messages) > 500, "the extractor found too little: is it still reading the source?"
    missing = sorted(m[1] for m in messages - known)
    assert not missing, f"run `make messages` and translate: {missing[:15]}"


def test_every_english_message_is_translated_and_not_fuzzy():
    entries = [e for e in catalogue() if not e.obsolete and e.msgid]
    empty = [e.msgid for e in entries if not e.translated() and "fuzzy" not in e.flags]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not empty, f"translate these in locale/en (`make messages`, then fill msgstr): {empty[:15]}"
    assert not fuzzy, f"fuzzy translations (check them, then remove the flag): {fuzzy[:15]}"


def test_the_compiled_mo_is_not_older_than_the_po():
    # Compared by content, not by file time: git does not keep file times, so a fresh clone
    # would decide at random. An .mo compiled before the last .po change differs in content.
    compiled = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(MO))}
    stale = []
    for entry in catalogue():
        if entry.obsolete or not entry.msgid or not entry.translated():
            continue
        mo = compiled.get((entry.msgctxt, entry.msgid))
        if mo is None or mo.msgstr != entry.msgstr or mo.msgstr_plural != entry.msgstr_plural:
            stale.append(entry.msgid)
    extra = set(compiled) - {(e.msgctxt, e.msgid) for e in catalogue()} - {(None, "")}
    assert not stale, f"run `make messages`: the .mo is older than the .po, e.g. {stale[:5]}"
    assert not extra, f"the .mo has messages the .po no longer has: run `make messages`: {sorted(extra)[:5]}"
