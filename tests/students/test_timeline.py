"""Timeline entries are stored as an event and its data, and read in the reader's language."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone, translation

from students.models import TimelineEvent
from students.services import timeline_add
from students.timeline import _EVENTS, render
from tests.factories import StudentFactory

# One example per registered event: a new event without an example fails the test below.
EXAMPLES = {
    "student_created": {"source": "manual"},
    "student_updated": {"fields": ["phone", "email"]},
    "student_imported": {"file": "examen-2026.csv"},
    "student_import_updated": {"fields": ["class_name"]},
    "coach_assigned": {"organisation_name": "RMC IJssel-Vecht", "coach_name": "Jamal El Amrani"},
    "handover_started": {},
    "handover_offered": {"receiver": "RMC IJssel-Vecht"},
    "handover_accepted": {"organisation_name": "RMC IJssel-Vecht"},
    "handover_declined": {"organisation_name": "RMC IJssel-Vecht"},
    "handover_offer_withdrawn": {"organisation_name": "RMC IJssel-Vecht"},
    "record_erased": {},
    "consent_answered": {"purpose": "sharing", "status": "given"},
    "consent_withdrawn": {"withdrawn": ["contact"], "erase_after": "2027-01-04"},
    "consent_link_created": {"kind": "answer"},
    "consent_link_requested": {"sent": True},
    "consent_renewal_due": {"purposes": ["contact", "sharing"]},
    "plan_started": {"plan": {"nl": "Licht", "en": "Light"}, "end": "2028-07-01"},
    "plan_changed": {"plan": {"nl": "Intensief", "en": "Intensive"}},
    "checkin_added": {"date": "2026-12-04"},
    "checkin_moved": {"old": "2026-12-04", "new": "2026-12-11"},
    "contact_logged": {"channel": "telefoon", "reached": False},
    "situation_recorded": {"kind": "werk_uitkering", "measurement_month": 6},
    "support_added": {"kind": "cv", "status": "gepland"},
    "support_updated": {"kind": "cv", "status": "afgerond"},
    "trajectory_closed": {"reason": "doel_bereikt", "erase_after": "2027-12-05"},
    "trajectory_reopened": {"erase_after": "2029-07-01"},
    "shared_with_stagiair": {"name": "Lotte Bakker"},
    "unshared_with_stagiair": {"name": "Lotte Bakker"},
    "correction_requested": {"what": "Postcode klopt niet"},
    "legal_hold_placed": {},
    "legal_hold_lifted": {},
    "checkin_answered": {"activity": "work", "wants_contact": "whatsapp", "moment": "evening"},
    "checkin_sent": {"channel": "sms", "kind": "first"},
    "checkin_mode_changed": {"mode": "paused"},
}
# Events whose English and Dutch sentences may coincide (nothing but a name in them).
SAME_IN_BOTH = set()


def _event(name: str) -> TimelineEvent:
    return TimelineEvent(event=name, kind=_EVENTS[name].kind, data=EXAMPLES[name], at=timezone.now())


def test_every_registered_event_has_an_example():
    assert set(_EVENTS) == set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_event_reads_in_dutch_and_in_english(name):
    event = _event(name)
    with translation.override("nl"):
        dutch = render(event)
    with translation.override("en"):
        english = render(event)
    assert dutch and english
    if name not in SAME_IN_BOTH:
        assert english != dutch, f"{name} is not translated: {english!r}"


def test_choice_values_and_plan_names_follow_the_reader():
    event = _event("situation_recorded")
    with translation.override("nl"):
        assert render(event) == "Situatie: Werk + uitkering (meetmoment 6 maanden)"
    plan = _event("plan_started")
    with translation.override("en"):
        assert "Light" in render(plan) and "Licht" not in render(plan)


@pytest.mark.django_db
def test_an_unknown_event_is_refused_when_written():
    with pytest.raises(ValueError):
        timeline_add(student=StudentFactory(), event="something_new")


def test_a_row_from_before_event_names_shows_its_stored_sentence():
    legacy = TimelineEvent(kind=TimelineEvent.Kind.CONTACT, summary="Contact via telefoon: bereikt", at=timezone.now())
    assert render(legacy) == "Contact via telefoon: bereikt"


def test_stored_codes_never_show_in_the_sentence():
    # The examples once held "planned" / "done", codes the model never stores: the sentence
    # printed the raw code and nobody noticed. (Dutch codes may equal their Dutch label:
    # English is where a leaked code shows.)
    for name, data in EXAMPLES.items():
        if name.startswith("consent_"):
            continue  # consent's codes are English words ("given") that read the same
        codes = [v for k, v in data.items() if k in {"status", "kind", "channel", "reason"} and isinstance(v, str)]
        with translation.override("en"):
            text = render(_event(name))
        assert not [c for c in codes if re.search(rf"\b{re.escape(c)}\b", text)], (name, text)
