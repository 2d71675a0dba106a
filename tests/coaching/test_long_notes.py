"""A 10,000-character note (issue 11): lists show the first lines and a "meer" disclosure (a
native <details>: keyboard and screen reader, no script, no inline style), and new notes are
bounded with a clear Dutch message, in the contact and the handover form."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from coaching.models import Contact
from kwint.lib.templatetags.kwint_text import PREVIEW_CHARS, long_text, preview_of
from students.models import Handover
from students.validators import NOTE_MAX_LENGTH
from tests.coaching.factories import guided_student
from tests.main_pages import visible_text

pytestmark = pytest.mark.django_db

LONG = ("Vandaag gebeld over werk en wonen. " * 300).strip()  # 10,499 characters


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


@pytest.fixture
def guided(cast):
    with time_machine.travel(dt.datetime.now().astimezone() - dt.timedelta(days=42)):
        return guided_student(cast, diploma=dt.date.today() - dt.timedelta(days=42))


def _disclosures(html: str) -> list[str]:
    return re.findall(r'<span class="long-text">.*?</details></span>', html, re.S)


def test_a_short_note_is_shown_whole():
    assert preview_of("Kort.\nTwee regels.") is None
    assert long_text("Kort & goed\nregel twee") == "Kort &amp; goed<br>regel twee"


def test_a_long_note_shows_its_first_lines_and_meer():
    html = str(long_text(LONG, "besproken"))
    start = re.search(r'<span class="long-text-start">(.*?)</span>', html).group(1)
    assert len(start) <= PREVIEW_CHARS + 1 and start.endswith("…") and LONG.startswith(start[:-1])
    assert re.search(r'<summary><span class="long-text-more">meer</span>', html)
    assert '<span class="visually-hidden"> besproken</span>' in html
    assert LONG in html  # the whole text, behind the disclosure
    assert "style=" not in html and "onclick" not in html and "<script" not in html


def test_many_short_lines_are_folded_after_three():
    start = preview_of("een\ntwee\ndrie\nvier\nvijf")
    assert start == "een\ntwee\ndrie…"


def test_the_student_page_folds_a_ten_thousand_character_contact_note(cast, login, guided):
    Contact.objects.create(
        student=guided,
        trajectory=guided.trajectories.get(),
        author=cast.coach.user,
        at=timezone.now(),
        channel="telefoon",
        reached=True,
        discussed=LONG,
        next_steps=LONG,
    )
    html = login(cast.coach).get(reverse("students:detail", args=[guided.code])).content.decode()
    folded = _disclosures(html)
    assert len(folded) == 2
    # What a reader sees before opening: only the starts, not 20,000 characters.
    closed = re.sub(r"<details.*?</details>", "", html, flags=re.S)
    assert LONG not in closed and len(visible_text(closed)) < 5000


def test_the_student_page_folds_long_own_words_of_a_handover(cast, login, guided):
    Handover.objects.create(
        student=guided, created_by=cast.zorg.user, own_words_wants=LONG, status=Handover.Status.DRAFT
    )
    html = login(cast.zorg).get(reverse("students:detail", args=[guided.code])).content.decode()
    assert len(_disclosures(html)) == 1


def test_the_handover_form_bounds_each_text_with_a_dutch_message(cast, login, guided):
    response = login(cast.zorg).post(
        reverse("students:handover", args=[guided.code]), {"own_words_wants": "x" * (NOTE_MAX_LENGTH + 1)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["own_words_wants"] == [
        f"Maak de notitie korter: maximaal {NOTE_MAX_LENGTH} tekens, nu {NOTE_MAX_LENGTH + 1}."
    ]
