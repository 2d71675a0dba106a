"""Every coaching view: allowed role, outsider 404, read-only 403, wrong method 405, unknown 404."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.urls import reverse

from coaching.models import CheckIn, Contact, SituationRecord, SupportAction, Trajectory
from coaching.services import contact_log, support_action_add
from students.models import StudentShare
from tests.coaching.factories import guided_student

pytestmark = pytest.mark.django_db


@pytest.fixture
def guided(cast):
    """Handed over six weeks ago: the first call and the first monthly moment are overdue."""
    with time_machine.travel(dt.datetime.now().astimezone() - dt.timedelta(days=42)):
        return guided_student(cast, diploma=dt.date.today() - dt.timedelta(days=42))


def url(name, code):
    return reverse(f"coaching:{name}", args=[code])


# --- caseload ------------------------------------------------------------------------------


def test_caseload_shows_the_coachs_students_with_attention_first(cast, login, guided):
    response = login(cast.coach).get(reverse("coaching:caseload"))
    assert response.status_code == 200
    body = response.content.decode()
    assert guided.sort_name in body
    assert "Niet bereikt (telefoon)" in body
    assert 'class="overdue"' in body and "te laat" in body  # the first call is overdue
    assert [s.attention for s in response.context["rows"]] == [True]
    assert response.context["attention_total"] == 1
    assert "1 jongere heeft vandaag een contactmoment of is te laat." in body


def test_caseload_for_other_roles(cast, login, guided):
    assert login(cast.zorg).get(reverse("coaching:caseload")).status_code == 403
    assert login(cast.coordinator).get(reverse("coaching:caseload")).status_code == 403
    assert login(cast.coach).post(reverse("coaching:caseload")).status_code == 405
    # Another coach's caseload does not include this student.
    response = login(cast.outsider_coach).get(reverse("coaching:caseload"))
    assert guided.sort_name not in response.content.decode()


def test_stagiair_sees_only_shared_students(cast, login, guided):
    client = login(cast.stagiair)
    assert guided.sort_name not in client.get(reverse("coaching:caseload")).content.decode()
    StudentShare.objects.create(student=guided, user=cast.stagiair.user)
    assert guided.sort_name in client.get(reverse("coaching:caseload")).content.decode()


def test_caseload_filters_and_sorts(cast, login, guided):
    client = login(cast.coach)
    assert guided.sort_name in client.get(reverse("coaching:caseload"), {"toon": "aandacht"}).content.decode()
    assert client.get(reverse("coaching:caseload"), {"q": "zzzz-niemand"}).context["rows"] == []
    for sort in ("naam", "laatste_contact", "volgend", "onzin"):
        assert client.get(reverse("coaching:caseload"), {"sorteer": sort}).status_code == 200


# --- contacts ------------------------------------------------------------------------------


def test_log_contact_completes_the_check_in(cast, login, guided):
    client = login(cast.coach)
    assert client.get(url("contact_new", guided.code)).status_code == 200
    response = client.post(
        url("contact_new", guided.code),
        {
            "date": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
            "time": "09:00",
            "channel": "telefoon",
            "reached": "1",
            "duration_minutes": "15",
            "discussed": "Sollicitatie bij DHL besproken.",
            "next_steps": "Cv sturen.",
            "situation_kind": "werk",
            "contract_type": "uitzend",
            "hours_per_week": "24",
            "support_kind": "cv",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get(student=guided)
    assert contact.reached and contact.author == cast.coach.user
    assert CheckIn.objects.filter(completed_by=contact, status=CheckIn.Status.DONE).exists()
    assert SituationRecord.objects.get(student=guided).contract_type == "uitzend"
    assert SupportAction.objects.get(student=guided).kind == "cv"


def test_log_contact_bad_input_shows_dutch_errors_and_writes_nothing(cast, login, guided):
    response = login(cast.coach).post(
        url("contact_new", guided.code),
        {
            "date": "31-02-2026",
            "time": "10:00",
            "channel": "duif",
            "reached": "1",
            "situation_kind": "werk",
            "hours_per_week": "99",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"date", "channel", "contract_type", "hours_per_week"} <= set(errors)
    assert Contact.objects.count() == 0


def test_log_contact_in_the_future_is_refused(cast, login, guided):
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = login(cast.coach).post(
        url("contact_new", guided.code), {"date": future, "time": "10:00", "channel": "sms", "reached": "0"}
    )
    assert "toekomst" in str(response.context["form"].errors["date"])
    assert Contact.objects.count() == 0


@pytest.mark.parametrize("name", ["contact_new", "contact_unreached", "checkin_add", "plan_switch", "close"])
def test_student_actions_deny_outsiders_read_only_and_unknown(cast, login, guided, name):
    assert login(cast.outsider_coach).post(url(name, guided.code)).status_code == 404
    assert login(cast.zorg).post(url(name, guided.code)).status_code == 403
    assert login(cast.coach).post(url(name, uuid.uuid4())).status_code == 404


@pytest.mark.parametrize("name", ["contact_unreached", "checkin_add", "plan_switch"])
def test_post_only_actions_refuse_get(cast, login, guided, name):
    assert login(cast.coach).get(url(name, guided.code)).status_code == 405


def test_unreached_in_one_click(cast, login, guided):
    response = login(cast.coach).post(url("contact_unreached", guided.code), {"next": reverse("coaching:caseload")})
    assert response.status_code == 302 and response["Location"] == reverse("coaching:caseload")
    contact = Contact.objects.get(student=guided)
    assert not contact.reached and contact.channel == "telefoon"
    # An unreached call completes nothing.
    assert not CheckIn.objects.filter(status=CheckIn.Status.DONE).exists()


def test_unreached_ignores_an_offsite_next(cast, login, guided):
    response = login(cast.coach).post(url("contact_unreached", guided.code), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("students:detail", args=[guided.code])


def test_contact_edit_only_by_the_author_within_the_window(cast, login, guided, settings):
    settings.SESSION_IDLE_TIMEOUT = 24 * 3600  # the clock jumps an hour; the session must survive it
    with time_machine.travel(dt.datetime.now().astimezone(), tick=False) as traveller:
        contact = contact_log(student=guided, author=cast.coach.user, channel="sms", reached=True, discussed="A")
        edit_url = url("contact_edit", contact.code)
        client = login(cast.coach)
        assert client.get(edit_url).status_code == 200
        response = client.post(edit_url, {"channel": "sms", "reached": "1", "discussed": "B", "next_steps": ""})
        assert response.status_code == 302
        assert login(cast.coordinator).get(edit_url).status_code == 403  # may log, not the author
        assert login(cast.outsider_coach).get(edit_url).status_code == 404
        assert login(cast.coach).get(url("contact_edit", uuid.uuid4())).status_code == 404
        assert login(cast.coach).delete(edit_url).status_code == 405
        traveller.shift(dt.timedelta(hours=1))
        assert login(cast.coach).get(edit_url).status_code == 403
    contact.refresh_from_db()
    assert contact.discussed == "B" and contact.revisions.count() == 1
    body = login(cast.coach).get(reverse("students:detail", args=[guided.code])).content.decode()
    assert "1 eerdere versie" in body  # the history shows the edit


# --- schedule ------------------------------------------------------------------------------


def test_move_and_add_check_ins(cast, login, guided):
    client = login(cast.coach)
    checkin = CheckIn.objects.filter(trajectory__student=guided, status="planned").order_by("due_date").last()
    new_date = checkin.due_date - dt.timedelta(days=3)
    response = client.post(url("checkin_move", checkin.code), {"due_date": new_date.isoformat()})
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.due_date == new_date and checkin.is_manual
    extra = dt.date.today() + dt.timedelta(days=10)
    client.post(url("checkin_add", guided.code), {"due_date": extra.isoformat()})
    assert CheckIn.objects.filter(trajectory__student=guided, due_date=extra, is_manual=True).exists()
    # Into the past: refused with a message, nothing changed.
    response = client.post(url("checkin_move", checkin.code), {"due_date": "2020-01-01"}, follow=True)
    assert "vandaag of later" in response.content.decode()
    assert login(cast.outsider_coach).post(url("checkin_move", checkin.code), {"due_date": extra}).status_code == 404
    assert login(cast.zorg).post(url("checkin_move", checkin.code), {"due_date": extra}).status_code == 403
    assert login(cast.coach).post(url("checkin_move", uuid.uuid4()), {"due_date": extra}).status_code == 404
    assert login(cast.coach).get(url("checkin_move", checkin.code)).status_code == 405


def test_plan_switch(cast, login, guided):
    trajectory = Trajectory.objects.get(student=guided)
    licht = trajectory.organisation.followup_plans.get(kind="licht")
    response = login(cast.coach).post(url("plan_switch", guided.code), {"plan": str(licht.code)})
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.plan == licht


def test_support_status_update(cast, login, guided):
    action = support_action_add(student=guided, kind="schuldhulp")
    assert login(cast.coach).post(url("support_update", action.code), {"status": "afgerond"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "afgerond"
    assert login(cast.outsider_coach).post(url("support_update", action.code), {"status": "loopt"}).status_code == 404
    assert login(cast.zorg).post(url("support_update", action.code), {"status": "loopt"}).status_code == 403
    assert login(cast.coach).post(url("support_update", uuid.uuid4()), {"status": "loopt"}).status_code == 404
    assert login(cast.coach).get(url("support_update", action.code)).status_code == 405


def test_close_trajectory(cast, login, guided):
    client = login(cast.coach)
    assert client.get(url("close", guided.code)).status_code == 200
    response = client.post(url("close", guided.code), {"reason": "doel_bereikt", "situation_kind": ""})
    assert response.status_code == 200 and "situation_kind" in response.context["form"].errors
    response = client.post(
        url("close", guided.code), {"reason": "doel_bereikt", "situation_kind": "werk", "contract_type": "vast"}
    )
    assert response.status_code == 302
    assert Trajectory.objects.get(student=guided).close_reason == "doel_bereikt"
    assert client.get(url("close", guided.code)).status_code == 404  # nothing open any more
    assert client.put(url("close", guided.code)).status_code == 405


def test_stagiair_may_log_but_not_close(cast, login, guided):
    StudentShare.objects.create(student=guided, user=cast.stagiair.user)
    client = login(cast.stagiair)
    assert client.post(url("contact_unreached", guided.code)).status_code == 302
    assert client.get(url("close", guided.code)).status_code == 403


# --- student page panel --------------------------------------------------------------------


def test_student_page_shows_the_coaching_panel(cast, login, guided):
    contact_log(student=guided, author=cast.coach.user, channel="telefoon", reached=False)
    body = login(cast.coach).get(reverse("students:detail", args=[guided.code])).content.decode()
    assert "Begeleiding" in body and "Volgende contactmomenten" in body
    assert "niet bereikt" in body and "Contact vastleggen" in body
    # The read-only zorgcoördinator sees the panel without the buttons.
    body = login(cast.zorg).get(reverse("students:detail", args=[guided.code])).content.decode()
    assert "Begeleiding" in body and "Contact vastleggen" not in body
