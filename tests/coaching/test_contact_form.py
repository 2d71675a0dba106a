"""The contact form as the coach meets it (issues 11 and 15): nothing chosen in advance that
changes the figures, an untouched form refused field by field, a native date and a time field
in the order the coach fills them, a bounded note with a clear Dutch message."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from coaching.models import Contact
from coaching.services import contact_log
from students.validators import NOTE_MAX_LENGTH
from tests.coaching.factories import guided_student

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


@pytest.fixture
def guided(cast):
    with time_machine.travel(dt.datetime.now().astimezone() - dt.timedelta(days=42)):
        return guided_student(cast, diploma=dt.date.today() - dt.timedelta(days=42))


def _url(student):
    return reverse("coaching:contact_new", args=[student.code])


def _yesterday():
    return (dt.date.today() - dt.timedelta(days=1)).isoformat()


def test_the_form_preselects_no_channel_and_no_outcome(cast, login, guided):
    html = login(cast.coach).get(_url(guided)).content.decode()
    channel = re.search(r'<select name="channel".*?</select>', html, re.S).group(0)
    assert "selected" not in channel.split("</option>", 1)[1]  # only the empty choice may be selected
    assert re.search(r'<option value=""[^>]*>Kies het kanaal</option>', channel)
    reached = re.findall(r'<input[^>]*type="radio"[^>]*name="reached"[^>]*>', html)
    assert len(reached) == 2 and not any("checked" in r for r in reached)


def test_an_untouched_form_is_refused_with_field_errors_and_nothing_is_written(cast, login, guided):
    client = login(cast.coach)
    form = client.get(_url(guided)).context["form"]
    # What the browser sends for the untouched form: the prefilled date and time only.
    untouched = {"date": form["date"].value().isoformat(), "time": form["time"].value().strftime("%H:%M")}
    response = client.post(_url(guided), untouched)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["channel"] == ["Kies hoe het contact was."]
    assert errors["reached"] == ["Kies of je de jongere hebt bereikt."]
    assert Contact.objects.count() == 0
    assert "Fout:" in response.content.decode().split("</title>")[0]


def test_a_native_date_and_a_time_field_in_the_order_the_coach_fills_them(cast, login, guided):
    html = login(cast.coach).get(_url(guided)).content.decode()
    assert "datetime-local" not in html
    assert re.search(r'<input type="date" name="date"[^>]*id="id_date"', html)
    assert re.search(r'<input type="time" name="time"[^>]*id="id_time"', html)
    order = [m.group(1) for m in re.finditer(r'name="(date|time|channel|reached|discussed|next_steps)"', html)]
    first = list(dict.fromkeys(order))
    assert first == ["date", "time", "channel", "reached", "discussed", "next_steps"]
    # The situation and the offer are folded away (no Tab stops) unless needed; Opslaan follows the notes.
    form = html.split('class="contact-form"', 1)[1]
    assert form.index('name="next_steps"') < form.index("<details") < form.index('name="situation_kind"')
    assert '<details class="mb-3 contact-extra">' in form


def test_the_folded_part_opens_when_it_holds_an_error(cast, login, guided):
    response = login(cast.coach).post(
        _url(guided),
        {"date": _yesterday(), "time": "10:00", "channel": "sms", "reached": "1", "situation_kind": "werk"},
    )
    assert "contract_type" in response.context["form"].errors
    assert '<details class="mb-3 contact-extra" open>' in response.content.decode()


def test_a_contact_from_date_and_time_is_saved_at_that_moment(cast, login, guided):
    response = login(cast.coach).post(
        _url(guided), {"date": _yesterday(), "time": "14:30", "channel": "app", "reached": "0"}
    )
    assert response.status_code == 302
    contact = Contact.objects.get(student=guided)
    local = timezone.localtime(contact.at)
    assert (local.date().isoformat(), local.strftime("%H:%M")) == (_yesterday(), "14:30")
    assert contact.channel == "app" and contact.reached is False


def test_a_note_longer_than_the_maximum_is_refused_with_a_dutch_message(cast, login, guided):
    text = "x" * (NOTE_MAX_LENGTH + 1)
    response = login(cast.coach).post(
        _url(guided), {"date": _yesterday(), "time": "10:00", "channel": "sms", "reached": "0", "discussed": text}
    )
    assert response.context["form"].errors["discussed"] == [
        f"Maak de notitie korter: maximaal {NOTE_MAX_LENGTH} tekens, nu {NOTE_MAX_LENGTH + 1}."
    ]
    assert Contact.objects.count() == 0


def test_the_service_holds_the_same_maximum(cast, guided):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        contact_log(
            student=guided, author=cast.coach.user, channel="sms", reached=False, next_steps="x" * (NOTE_MAX_LENGTH + 1)
        )
    assert "next_steps" in refused.value.message_dict
    assert Contact.objects.count() == 0


def test_the_edit_form_preselects_what_was_logged_and_bounds_the_note(cast, login, guided):
    contact = contact_log(student=guided, author=cast.coach.user, channel="email", reached=True)
    client = login(cast.coach)
    edit = reverse("coaching:contact_edit", args=[contact.code])
    assert client.get(edit).context["form"]["channel"].value() == "email"
    response = client.post(edit, {"channel": "", "reached": "1", "next_steps": "x" * (NOTE_MAX_LENGTH + 1)})
    errors = response.context["form"].errors
    assert errors["channel"] == ["Kies hoe het contact was."] and "Maak de notitie korter" in errors["next_steps"][0]
