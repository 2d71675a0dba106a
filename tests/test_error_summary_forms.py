"""Every form, sent wrong, answers with the error summary (issue 15): the page title starts with
"Fout:", the summary is there to take the focus (static/js/kwint.js, checked in the browser in
tests/browser/test_accessibility.py and test_keyboard.py), each error links to its field, and
the messages are Dutch. Walks the forms of every role with the Django client."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from coaching.services import contact_log
from consent.models import Purpose
from students.handovers import handover_offer
from tests.coaching.factories import guided_student
from tests.consent.factories import publish_texts
from tests.factories import StudentFactory, give_consent

pytestmark = pytest.mark.django_db

ENGLISH_DEFAULTS = ("This field is required", "Enter a valid", "Select a valid")


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


@pytest.fixture
def world(cast):
    publish_texts(cast.region)
    with time_machine.travel(dt.datetime.now().astimezone() - dt.timedelta(days=42)):
        guided = guided_student(cast, diploma=dt.date.today() - dt.timedelta(days=42))
    contact = contact_log(student=guided, author=cast.coach.user, channel="sms", reached=False)
    school_student = StudentFactory(school=cast.school, municipality=cast.municipality, region=cast.region)
    offered = StudentFactory(school=cast.school, municipality=cast.municipality, region=cast.region)
    give_consent(offered, Purpose.SHARING)
    handover = handover_offer(student=offered, actor=cast.zorg.user, organisation=cast.rmc)
    return {"guided": guided, "contact": contact, "school_student": school_student, "handover": handover}


def _forms(cast, world):
    g, s = world["guided"].code, world["school_student"].code
    long_text = "x" * 4001
    return [
        # (who, url, data sent, a field the summary must link to)
        (cast.coach, reverse("coaching:contact_new", args=[g]), {}, "id_channel"),
        (cast.coach, reverse("coaching:contact_edit", args=[world["contact"].code]), {}, "id_channel"),
        (cast.coach, reverse("coaching:close", args=[g]), {}, "id_reason_0"),
        (cast.zorg, reverse("students:new"), {}, "id_first_name"),
        (cast.zorg, reverse("students:edit", args=[s]), {}, "id_first_name"),
        (cast.zorg, reverse("students:handover", args=[s]), {"own_words_wants": long_text}, "id_own_words_wants"),
        (cast.zorg, reverse("consent:record", args=[s]), {}, None),
        (cast.coordinator, reverse("students:handover_decline", args=[world["handover"].code]), {}, "id_reason"),
        (cast.coordinator, reverse("privacy:correction", args=[g]), {}, "id_what"),
        (cast.beheerder, reverse("accounts:organisation_create"), {}, "id_name"),
        (cast.beheerder, reverse("accounts:user_invite"), {}, "id_email"),
        (cast.beheerder, reverse("consent:text_create"), {}, None),
        (None, reverse("login"), {"username": "", "password": ""}, "id_username"),
    ]


def test_every_form_sent_wrong_shows_the_summary_with_fout_in_the_title(cast, login, client, world):
    missing = {}
    for who, url, data, field in _forms(cast, world):
        browser = login(who) if who is not None else client
        if who is None:
            client.logout()
        # As a browser sends it: never an empty body (the CSRF token is always there), so a view
        # that reads `request.POST or None` gets a bound form.
        response = browser.post(url, {"csrfmiddlewaretoken": "x", **data})
        html = response.content.decode()
        problems = []
        if response.status_code not in {200, 400}:
            problems.append(f"status {response.status_code}")
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        if not title or not title.group(1).strip().startswith("Fout:"):
            problems.append("title does not start with Fout:")
        summary = re.search(r"<div class=\"error-summary\" tabindex=\"-1\".*?</div>", html, re.S)
        if not summary:
            problems.append("no focusable error summary")
        elif field and f'href="#{field}"' not in summary.group(0):
            problems.append(f"summary does not link to {field}")
        if field and f'id="{field}"' not in html:
            problems.append(f"no field with id {field}")
        if any(text in html for text in ENGLISH_DEFAULTS):
            problems.append("English message")
        if problems:
            missing[url] = problems
    assert missing == {}, "\n".join(f"{k}: {v}" for k, v in missing.items())


def test_a_search_form_with_a_wrong_period_shows_the_summary_too(cast, login, world):
    html = (
        login(cast.coordinator)
        .get(reverse("privacy:log"), {"date_from": "2026-05-02", "date_to": "2026-05-01"})
        .content.decode()
    )
    assert "<title>Fout:" in html and 'href="#id_date_to"' in html
