"""Every main page, per role, in Dutch and in English, on the seeded demo: no Dutch left in the
English pages, no English (or internal codes) in the Dutch ones, and dates in Kwint's two
styles only ("4 dec. 2026" in lists, "4 december 2026" in text, 24-hour times).

Names and free text from the database are blanked out first (tests.main_pages.data_strings):
a young person's own words stay in the language they were written in. Texts stored per
language (plan names, consent texts) are not blanked: they must follow the reader.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from consent.models import ConsentText
from tests.main_pages import client_for, data_strings, demo_world, main_pages, visible_text, without_data

pytestmark = pytest.mark.django_db

# Words a Dutch page uses and an English page never does (no names, no product terms such as
# "Doorstroompunt", "Matchtafel", "mbo", "Wajong" that English keeps).
DUTCH_WORDS = [
    "het",
    "een",
    "van",
    "voor",
    "niet",
    "naar",
    "wordt",
    "zijn",
    "bij",
    "met",
    "ook",
    "nog",
    "geen",
    "deze",
    "jongere",
    "jongeren",
    "toestemming",
    "gegeven",
    "geweigerd",
    "ingetrokken",
    "bereikt",
    "overdracht",
    "overdrachten",
    "contactmoment",
    "contactmomenten",
    "contactplan",
    "opslaan",
    "annuleren",
    "wijzigen",
    "vastleggen",
    "afdrukken",
    "gebruiker",
    "gebruikers",
    "organisatie",
    "organisaties",
    "opleiding",
    "situatie",
    "uitkering",
    "werk",
    "telefoon",
    "gesprek",
    "vandaag",
    "maanden",
    "gepland",
    "begeleiding",
    "zoeken",
    "terug",
    "volgende",
    "vorige",
    "nieuwe",
    "gewist",
    "wissen",
    "geboortedatum",
    "verwacht",
    "verwachte",
    "aflopend",
    "ja",
    "nee",
    "licht",
    "intensief",
    "aandacht",
    "dossier",
    "inzage",
    "januari",
    "februari",
    "maart",
    "mei",
    "juni",
    "juli",
    "augustus",
    "oktober",
    "mrt",
    "okt",
    "uur",
    "keer",
    "wie",
    "heeft",
    "bekeken",
    "afgewezen",
    # The daily-work pages (issue 11): the whole schedule, folded notes, the access log's words.
    "meer",
    "minder",
    "gedaan",
    "gemist",
    "schema",
    "formulier",
    "geopend",
    "kies",
    "reden",
    "afsluiten",
    "bewaard",
]
# Words an English page uses and a Dutch page never does, and internal codes ("log_contact").
ENGLISH_WORDS = [
    "the",
    "and",
    "with",
    "for",
    "yes",
    "not",
    "view",
    "save",
    "cancel",
    "search",
    "consent",
    "housing",
    "work",
    "coordinator",
    "event",
    "events",
    "none",
    "page",
    "next",
    "previous",
    "phone",
    "email",
    "edit",
    "changed",
    "created",
    "support",
    "education",
    "benefit",
    "unknown",
    "given",
    "refused",
    "withdrawn",
    "january",
    "february",
    "march",
    "may",
    "june",
    "july",
    "august",
    "october",
]
INTERNAL_CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")

NL_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
NL_ABBREVIATIONS = r"jan\.|feb\.|mrt\.|apr\.|mei|jun\.|jul\.|aug\.|sep\.|okt\.|nov\.|dec\."
WRONG_DATE_STYLES = {
    "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "numeric date": re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b"),
    "capitalised month abbreviation": re.compile(r"\b(Jan|Feb|Mrt|Mar|Apr|Mei|May|Jun|Jul|Aug|Sep|Okt|Oct|Nov|Dec)\b"),
    "abbreviation without full stop": re.compile(r"\b\d{1,2} (jan|feb|mrt|apr|jun|jul|aug|sep|okt|nov|dec)(?!\.)\b"),
    "day and month without year": re.compile(rf"\b\d{{1,2}} ({NL_MONTHS}|{NL_ABBREVIATIONS})(?! \d{{4}})"),
    "12-hour time": re.compile(r"\b\d{1,2}[:.]\d{2} ?([ap]\.?m\.?)", re.IGNORECASE),
    "hour without leading zero": re.compile(r"(?<![\d:])\d:\d{2}\b"),
}


def words_in(text: str, words: list[str]) -> set[str]:
    found = set()
    for word in words:
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE):
            found.add(word)
    return found


@pytest.fixture
def rendered(client, settings):
    world = demo_world(settings)
    data = data_strings()
    # The inzage prints the consent texts exactly as the young person read them, in Dutch.
    read_texts = sorted(
        {t for row in ConsentText.objects.values_list("title_nl", "body_nl") for t in row}, key=len, reverse=True
    )
    pages = main_pages(world)

    def render(language: str) -> dict[str, str]:
        texts = {}
        for page in pages:
            response = client_for(client, page.who, language).get(page.path)
            assert response.status_code == 200, f"{page.id}: {response.status_code}"
            shown = data + read_texts if page.name == "inzage" else data
            texts[page.id] = without_data(visible_text(response.content.decode()), shown)
        return texts

    return render


def test_the_english_pages_have_no_dutch_left(rendered):
    pages = rendered("en")
    assert len(pages) >= 25
    dutch = {name: sorted(words_in(text, DUTCH_WORDS)) for name, text in pages.items()}
    assert {name: found for name, found in dutch.items() if found} == {}


def test_the_dutch_pages_have_no_english_or_internal_codes(rendered):
    pages = rendered("nl")
    english = {name: sorted(words_in(text, ENGLISH_WORDS)) for name, text in pages.items()}
    codes = {name: sorted(set(INTERNAL_CODE.findall(text))) for name, text in pages.items()}
    assert {name: found for name, found in english.items() if found} == {}
    assert {name: found for name, found in codes.items() if found} == {}


def test_dates_have_one_style_on_every_dutch_page(rendered):
    pages = rendered("nl")
    wrong = {}
    for name, text in pages.items():
        for style, pattern in WRONG_DATE_STYLES.items():
            hits = [m.group(0) for m in pattern.finditer(text)]
            if hits:
                wrong[f"{name}: {style}"] = hits[:3]
    assert wrong == {}
    everything = " ".join(pages.values())
    # The two styles really are there: a list date and a sentence date.
    assert re.search(rf"\b\d{{1,2}} ({NL_ABBREVIATIONS}) \d{{4}}\b", everything)
    assert re.search(rf"\b\d{{1,2}} ({NL_MONTHS}) \d{{4}}\b", everything)
    assert re.search(r"\b\d{2}:\d{2}\b", everything)


def test_english_dates_use_the_same_two_styles(rendered):
    pages = rendered("en")
    wrong = {}
    for name, text in pages.items():
        for style in ("ISO date", "numeric date", "12-hour time", "hour without leading zero"):
            hits = [m.group(0) for m in WRONG_DATE_STYLES[style].finditer(text)]
            if hits:
                wrong[f"{name}: {style}"] = hits[:3]
    assert wrong == {}
    assert re.search(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b", " ".join(pages.values()))


# Words that keep their capital inside a label: names, acronyms, the product's own terms.
PROPER = {"RMC", "Doorstroompunt", "IP", "JSON", "AVG", "IJ", "UWV", "WSP", "BBL", "BOL", "B1", "Kwint"}
PROPER |= {"Matchtafel", "Nederlands", "Engels", "Dutch", "English"}


def _labels_not_in_sentence_case(html: str) -> list[str]:
    wrong = []
    for label in re.findall(r"<dt[^>]*>(.*?)</dt>", html, re.S):
        words = re.sub(r"<[^>]+>", "", label).split()
        if any(w[:1].isupper() and w.strip("()/,:") not in PROPER for w in words[1:]):
            wrong.append(label.strip())
    return wrong


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_inzage_labels_are_in_sentence_case(client, settings, language):
    world = demo_world(settings)
    reader = client_for(client, "rmc@kwint.demo", language)
    html = reader.get(reverse("privacy:inzage", args=[world.coached.code])).content.decode()
    labels = re.findall(r"<dt[^>]*>(.*?)</dt>", html, re.S)
    assert len(labels) > 20
    assert _labels_not_in_sentence_case(html) == []
    if language == "nl":
        # Support needs as the words the form uses, never the stored codes.
        assert not re.search(r"<dd[^>]*>[^<]*\b(housing|language|transport|money|health)\b", html)
