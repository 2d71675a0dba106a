"""The access log tells the truth (issue 11): opening a form is a view, saving it is a change,
and the log the young person reads (and the coordinator searches) says so in plain words in the
reader's language, never as internal names ("log_contact", "consent_form")."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from audit.models import AccessLogEntry, Action
from audit.services import access_log
from tests.coaching.factories import guided_student
from tests.main_pages import visible_text

pytestmark = pytest.mark.django_db

INTERNAL = re.compile(r"\b[a-z]+_[a-z_]+\b")


@pytest.fixture
def guided(cast):
    with time_machine.travel(dt.datetime.now().astimezone() - dt.timedelta(days=42)):
        return guided_student(cast, diploma=dt.date.today() - dt.timedelta(days=42))


def _newest(student) -> AccessLogEntry:
    return AccessLogEntry.objects.filter(student_code=student.code).order_by("-id").first()


def test_opening_the_contact_form_is_a_view_and_saving_it_a_change(cast, login, guided):
    client = login(cast.coach)
    url = reverse("coaching:contact_new", args=[guided.code])
    client.get(url)
    opened = _newest(guided)
    assert (opened.action, opened.detail) == (Action.VIEW, "log_contact")
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert client.post(url, {"date": yesterday, "time": "10:00", "channel": "sms", "reached": "0"}).status_code == 302
    assert _newest(guided).action == Action.CHANGE


def test_a_form_sent_back_with_errors_changed_nothing_and_is_logged_as_a_view(cast, login, guided):
    client = login(cast.coach)
    before = AccessLogEntry.objects.count()
    response = client.post(reverse("coaching:contact_new", args=[guided.code]), {"discussed": "alleen dit"})
    assert response.status_code == 200 and response.context["form"].errors
    assert AccessLogEntry.objects.count() == before + 1
    assert (_newest(guided).action, _newest(guided).detail) == (Action.VIEW, "log_contact")


def test_a_one_click_action_is_a_change(cast, login, guided):
    login(cast.coach).post(reverse("coaching:contact_unreached", args=[guided.code]))
    assert _newest(guided).action == Action.CHANGE


def test_a_refused_submit_is_logged_at_once_as_a_refused_change(cast, login, guided):
    login(cast.zorg).post(reverse("coaching:contact_new", args=[guided.code]), {"channel": "sms"})
    entry = _newest(guided)
    assert (entry.action, entry.result) == (Action.CHANGE, "denied")


@pytest.mark.parametrize("name", ["students:edit", "consent:record"])
def test_opening_any_edit_form_is_a_view(cast, login, guided, name):
    login(cast.coach).get(reverse(name, args=[guided.code]))
    assert _newest(guided).action == Action.VIEW


def test_the_log_the_young_person_reads_says_what_happened_in_plain_dutch(cast, login, guided):
    login(cast.coach).get(reverse("coaching:contact_new", args=[guided.code]))
    with translation.override("nl"):
        html = login(cast.coordinator).get(reverse("privacy:student_log", args=[guided.code])).content.decode()
    text = visible_text(html)
    assert "Bekeken · Toegestaan · formulier geopend: contact, situatie of begeleidingsaanbod" in text
    assert "Gewijzigd" not in text
    assert not INTERNAL.findall(text), INTERNAL.findall(text)
    assert "log_contact" not in text and "consent" not in text


def test_and_in_english_for_an_english_reader(cast, login, guided):
    login(cast.coach).get(reverse("coaching:contact_new", args=[guided.code]))
    client = login(cast.coordinator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = visible_text(client.get(reverse("privacy:student_log", args=[guided.code])).content.decode())
    assert "Viewed · Allowed · form opened: contact, situation or support" in text
    assert "formulier" not in text and "log_contact" not in text


def test_the_inzage_lists_the_same_words(cast, login, guided):
    login(cast.coach).get(reverse("coaching:contact_new", args=[guided.code]))
    with translation.override("nl"):
        html = login(cast.coordinator).get(reverse("privacy:inzage", args=[guided.code])).content.decode()
    assert "formulier geopend: contact, situatie of begeleidingsaanbod" in html
    assert "log_contact" not in html


@pytest.mark.parametrize(
    ("object_type", "label"),
    [("consent", "toestemming"), ("consent_form", "toestemmingsformulier"), ("user", "gebruiker")],
)
def test_the_access_log_search_names_what_an_entry_is_about_in_dutch(cast, login, object_type, label):
    access_log(membership=cast.coordinator, actor=cast.coordinator.user, action=Action.CHANGE, object_type=object_type)
    with translation.override("nl"):
        html = login(cast.coordinator).get(reverse("privacy:log")).content.decode()
    cells = re.findall(r"<td>([^<]*)</td>", html)
    assert label in cells
    assert object_type not in cells
