"""Erasure never a surprise: closing sets the date at once with its rule, a closed trajectory reads
as closed (reopened by a coordinator, with a reason), no record goes before its date was shown
for the notice period, the beheerder's preview and legal hold, and a fresh demo erases nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry, Result
from coaching.models import CheckIn, Contact, Trajectory
from privacy.services import ErasureRefused, erasure_request, legal_hold_lift, legal_hold_place
from privacy.tasks import retention_sweep
from students.models import Outcome, Student, TimelineEvent
from students.retention import REASON_CLOSED, REASON_TWO_YEARS, retention_refresh, retention_update, with_notice
from students.timeline import render
from tests.coaching.factories import guided_student
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 3, 1)
D = dt.timedelta


@pytest.fixture
def days(settings):
    settings.KWINT_RETENTION_DAYS_AFTER_CLOSE = 365
    settings.KWINT_RETENTION_DAYS_AFTER_WITHDRAWAL = 30
    settings.KWINT_RETENTION_DAYS_WITHOUT_CONSENT = 180
    settings.KWINT_ERASURE_NOTICE_DAYS = 30
    return settings


@pytest.fixture
def guided(cast, days):
    with time_machine.travel(dt.datetime.now().astimezone() - D(days=42)):
        return guided_student(cast, diploma=dt.date.today() - D(days=42), first_name="Sam", last_name="Visser")


def _close(client, student):
    return client.post(
        reverse("coaching:close", args=[student.code]),
        {"reason": "doel_bereikt", "situation_kind": "werk", "contract_type": "vast"},
    )


# --- the notice rule ------------------------------------------------------------------------


def test_a_first_date_is_never_sooner_than_the_notice_period(days):
    assert with_notice(TODAY - D(days=100), None, None, TODAY) == (TODAY + D(days=30), TODAY)
    assert with_notice(TODAY + D(days=200), None, None, TODAY) == (TODAY + D(days=200), TODAY)


def test_an_earlier_date_is_announced_again_and_a_later_one_is_taken_as_it_is(days):
    shown, since = TODAY + D(days=100), TODAY - D(days=50)
    # Earlier: at least 30 days from today, and the notice starts again.
    assert with_notice(TODAY + D(days=5), shown, since, TODAY) == (TODAY + D(days=30), TODAY)
    assert with_notice(TODAY + D(days=60), shown, since, TODAY) == (TODAY + D(days=60), TODAY)
    # Later, or the same: no surprise, the notice stays.
    assert with_notice(TODAY + D(days=400), shown, since, TODAY) == (TODAY + D(days=400), since)
    assert with_notice(shown, shown, since, TODAY) == (shown, since)
    # A date shown for 10 days that the rules move earlier never comes sooner than it was shown.
    near = TODAY + D(days=10)
    assert with_notice(TODAY - D(days=1), near, TODAY - D(days=20), TODAY) == (near, TODAY - D(days=20))
    # No rule any more: no date.
    assert with_notice(None, shown, since, TODAY) == (None, None)


def test_the_notice_period_is_a_setting(days):
    days.KWINT_ERASURE_NOTICE_DAYS = 90
    assert with_notice(TODAY, None, None, TODAY) == (TODAY + D(days=90), TODAY)


def test_the_sweep_never_erases_a_date_shown_for_less_than_the_notice_period(cast, days):
    s = StudentFactory(school=cast.school, region=cast.region, outcome_date=dt.date(2024, 7, 1))
    today = timezone.localdate()
    # Due yesterday, but shown only 10 days: kept, and still kept the next nights until 30 days.
    Student.objects.filter(pk=s.pk).update(
        erase_after=today - D(days=1), erase_reason="no_consent", erase_noticed_on=today - D(days=10)
    )
    assert retention_sweep(today=today)["erased"] == 0
    assert retention_sweep(today=today + D(days=19))["erased"] == 0
    assert retention_sweep(today=today + D(days=20))["erased"] == 1
    assert Student.objects.get(pk=s.pk).erased_at is not None


def test_a_record_that_gets_its_first_date_in_the_sweep_is_not_erased_that_night(cast, days):
    s = StudentFactory(school=cast.school, region=cast.region, outcome_date=dt.date(2020, 7, 1))
    today = timezone.localdate()
    assert retention_sweep(today=today) == {"dates_changed": 1, "erased": 0}
    s.refresh_from_db()
    assert (s.erase_after, s.erase_noticed_on, s.erase_reason) == (today + D(days=30), today, "no_consent")
    assert retention_sweep(today=today + D(days=29))["erased"] == 0
    assert retention_sweep(today=today + D(days=30))["erased"] == 1


# --- closing --------------------------------------------------------------------------------


def test_the_close_form_says_when_and_why_everything_is_erased(cast, login, guided):
    response = login(cast.coach).get(reverse("coaching:close", args=[guided.code]))
    html = response.content.decode()
    day = timezone.localdate() + D(days=365)
    assert response.context["retention"].erase_after == day
    assert response.context["retention"].reason == REASON_CLOSED
    from kwint.lib.dates import long_date

    assert (
        f"Na afsluiten wordt alles over Sam gewist op {long_date(day)}: de begeleiding is afgesloten, en daarna "
        "bewaren we de gegevens nog 365 dagen." in html
    )


def test_closing_sets_the_date_at_once_on_the_record_and_the_timeline(cast, login, guided):
    client = login(cast.coach)
    assert Student.objects.get(pk=guided.pk).erase_after != timezone.localdate() + D(days=365)
    response = _close(client, guided)
    assert response.status_code == 302, response.context["form"].errors
    s = Student.objects.get(pk=guided.pk)
    day = timezone.localdate() + D(days=365)
    assert (s.erase_after, s.erase_reason, s.erase_noticed_on) == (day, REASON_CLOSED, timezone.localdate())
    event = TimelineEvent.objects.filter(student=s, event="trajectory_closed").get()
    assert "Wordt gewist op" in render(event)
    html = client.get(reverse("students:detail", args=[s.code])).content.decode()
    assert "Wordt gewist op" in html and "de begeleiding is afgesloten" in html
    assert "Nog geen wisdatum" not in html


def test_a_closed_trajectory_reads_as_closed(cast, login, guided):
    client = login(cast.coach)
    _close(client, guided)
    html = client.get(reverse("students:detail", args=[guided.code])).content.decode()
    assert "Contact vastleggen" not in html and "Niet bereikt (telefoon)" not in html
    assert reverse("coaching:contact_unreached", args=[guided.code]) not in html
    assert "Traject heropenen" not in html  # a coach does not reopen
    # Nothing gets in by the URL either.
    response = client.get(reverse("coaching:contact_new", args=[guided.code]))
    assert response.status_code == 302
    before = Contact.objects.count()
    client.post(reverse("coaching:contact_unreached", args=[guided.code]))
    assert Contact.objects.count() == before
    assert (
        client.post(reverse("coaching:checkin_add", args=[guided.code]), {"due_date": "2030-01-01"}).status_code == 404
    )
    coordinator_html = login(cast.coordinator).get(reverse("students:detail", args=[guided.code])).content.decode()
    assert "Traject heropenen" in coordinator_html


# --- reopening ------------------------------------------------------------------------------


def test_a_coordinator_reopens_with_a_reason_and_the_date_is_recomputed(cast, login, guided):
    _close(login(cast.coach), guided)
    client = login(cast.coordinator)
    url = reverse("coaching:reopen", args=[guided.code])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert not Trajectory.objects.get(student=guided).is_open  # nothing half-written
    response = client.post(url, {"reason": "Per ongeluk afgesloten"})
    assert response.status_code == 302
    trajectory = Trajectory.objects.get(student=guided)
    assert trajectory.is_open and trajectory.close_reason == ""
    assert CheckIn.objects.filter(trajectory=trajectory, status=CheckIn.Status.PLANNED).exists()
    s = Student.objects.get(pk=guided.pk)
    # Guided again: the closing date is gone; the two-year rule gives a later date.
    assert s.erase_reason == REASON_TWO_YEARS and s.erase_after > timezone.localdate() + D(days=365)
    entry = AccessLogEntry.objects.filter(student_code=s.code, detail__startswith="traject heropend").get()
    assert entry.detail == "traject heropend: Per ongeluk afgesloten"
    assert TimelineEvent.objects.filter(student=s, event="trajectory_reopened").exists()
    # Open again: contacts allowed; nothing left to reopen.
    assert client.get(url).status_code == 404


def test_only_a_coordinator_of_the_guiding_organisation_reopens(cast, login, guided):
    _close(login(cast.coach), guided)
    url = reverse("coaching:reopen", args=[guided.code])
    assert login(cast.coach).get(url).status_code == 403
    assert login(cast.zorg).post(url, {"reason": "Zomaar heropenen"}).status_code == 403
    assert login(cast.outsider_coordinator).get(url).status_code == 404
    assert login(cast.coordinator).put(url).status_code == 405
    assert not Trajectory.objects.get(student=guided).is_open


def test_a_date_without_rule_is_cleared_on_reopening(cast, login, days):
    # No diploma date known: once reopened, no rule gives a date.
    s = guided_student(cast, diploma=timezone.localdate() - D(days=10))
    Student.objects.filter(pk=s.pk).update(outcome=Outcome.LEFT, outcome_date=None, expected_diploma_date=None)
    _close(login(cast.coach), s)
    assert Student.objects.get(pk=s.pk).erase_after is not None
    login(cast.coordinator).post(reverse("coaching:reopen", args=[s.code]), {"reason": "Jongere wil weer hulp"})
    s.refresh_from_db()
    assert (s.erase_after, s.erase_reason, s.erase_noticed_on) == (None, "", None)


# --- the beheerder: preview and legal hold ---------------------------------------------------


@pytest.fixture
def due_soon(cast, days):
    s = StudentFactory(school=cast.school, region=cast.region, last_name="Binnenkort", outcome_date=dt.date(2024, 1, 1))
    today = timezone.localdate()
    Student.objects.filter(pk=s.pk).update(
        erase_after=today + D(days=3), erase_reason="no_consent", erase_noticed_on=today - D(days=27)
    )
    s.refresh_from_db()
    return s


def test_the_beheerder_sees_what_goes_within_the_notice_period(cast, login, due_soon):
    later = StudentFactory(school=cast.school, region=cast.region, last_name="Later")
    Student.objects.filter(pk=later.pk).update(erase_after=timezone.localdate() + D(days=31))
    response = login(cast.beheerder).get(reverse("privacy:erasure_preview"))
    assert response.status_code == 200
    names = {s.last_name for s in response.context["page"].object_list}
    assert names == {"Binnenkort"}
    html = response.content.decode()
    assert "school verlaten zonder toestemming" in html and "Bewaren" in html
    assert AccessLogEntry.objects.filter(detail="wislijst", actor_email=cast.beheerder.user.email).exists()
    # The outsider region's beheerder does not see it.
    from tests.factories import MembershipFactory

    other = MembershipFactory(organisation=cast.other_rmc, role="beheerder")
    assert not login(other).get(reverse("privacy:erasure_preview")).context["page"].object_list
    assert login(other).get(reverse("privacy:hold", args=[due_soon.code])).status_code == 404


def test_a_legal_hold_keeps_the_record_and_is_logged_until_lifted(cast, login, rf, due_soon):
    client = login(cast.beheerder)
    url = reverse("privacy:hold", args=[due_soon.code])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 200  # a reason is required
    assert Student.objects.get(pk=due_soon.pk).legal_hold_at is None
    assert client.post(url, {"reason": "Lopende klacht bij de ombudsman"}).status_code == 302
    s = Student.objects.get(pk=due_soon.pk)
    assert s.legal_hold_at is not None and s.legal_hold_reason == "Lopende klacht bij de ombudsman"
    entry = AccessLogEntry.objects.get(student_code=s.code, detail__startswith="bewaarplicht vastgelegd")
    assert entry.detail.endswith("Lopende klacht bij de ombudsman") and entry.actor_email == cast.beheerder.user.email
    # Past its date and shown long enough: the sweep still passes it by, and so does a request.
    far = timezone.localdate() + D(days=100)
    assert retention_sweep(today=far)["erased"] == 0
    assert Student.objects.get(pk=s.pk).erased_at is None
    with pytest.raises(ErasureRefused):
        erasure_request(student=s, request=None, actor=None)
    html = login(cast.zorg).get(reverse("students:detail", args=[s.code])).content.decode()
    assert "Wettelijke bewaarplicht" in html
    # Lifted: logged, and the date moves a full notice period ahead (no erasure the next night).
    # (the service with today=far: a client travelling 100 days would find its session expired)
    request = rf.post(url)
    request.user, request.membership = cast.beheerder.user, cast.beheerder
    assert legal_hold_lift(student=s, reason="Klacht afgehandeld", request=request, today=far) == far + D(days=30)
    s.refresh_from_db()
    assert s.legal_hold_at is None and s.legal_hold_reason == ""
    assert (s.erase_after, s.erase_noticed_on) == (far + D(days=30), far)
    assert AccessLogEntry.objects.filter(
        student_code=s.code, detail="bewaarplicht opgeheven: Klacht afgehandeld"
    ).exists()
    assert retention_sweep(today=far + D(days=1))["erased"] == 0
    assert retention_sweep(today=far + D(days=30))["erased"] == 1


def test_only_the_beheerder_holds(cast, login, due_soon):
    url = reverse("privacy:hold", args=[due_soon.code])
    for role in ("zorg", "coordinator", "coach"):
        assert login(getattr(cast, role)).post(url, {"reason": "Mag ik niet"}).status_code == 403
    assert login(cast.beheerder).put(url).status_code == 405
    assert Student.objects.get(pk=due_soon.pk).legal_hold_at is None


def test_hold_services_are_idempotent(cast, rf, due_soon):
    request = rf.post("/")
    request.user = cast.beheerder.user
    request.membership = cast.beheerder
    legal_hold_place(student=due_soon, reason="Rechtszaak", request=request)
    legal_hold_place(student=due_soon, reason="Nogmaals", request=request)
    assert Student.objects.get(pk=due_soon.pk).legal_hold_reason == "Rechtszaak"
    legal_hold_lift(student=due_soon, reason="Klaar", request=request)
    legal_hold_lift(student=due_soon, reason="Nogmaals klaar", request=request)
    details = list(AccessLogEntry.objects.filter(student_code=due_soon.code).values_list("detail", flat=True))
    assert sum(d.startswith("bewaarplicht") for d in details) == 2
    assert not AccessLogEntry.objects.filter(result=Result.DENIED, student_code=due_soon.code).exists()


# --- the demo -------------------------------------------------------------------------------


def test_a_fresh_demo_shows_dates_and_erases_nothing_on_its_first_night(settings):
    settings.DEBUG = True
    call_command("seed_demo", students=60, stdout=io.StringIO())
    settings.DEBUG = False
    left_school = Student.objects.active().exclude(outcome=Outcome.STUDYING)
    dated = left_school.filter(erase_after__isnull=False)
    assert dated.exists()
    # Every record that a rule gives a date shows it already, with its reason and since when.
    assert retention_refresh() == 0
    assert not dated.filter(erase_reason="").exists() and not dated.filter(erase_noticed_on__isnull=True).exists()
    assert not dated.filter(erase_after__lt=timezone.localdate() + D(days=settings.KWINT_ERASURE_NOTICE_DAYS)).exists()
    result = retention_sweep()
    assert result == {"dates_changed": 0, "erased": 0}
    assert not Student.objects.filter(erased_at__isnull=False).exists()


def test_retention_update_is_quiet_when_nothing_changes(cast, days, django_assert_num_queries):
    s = guided_student(cast)
    retention_update(s)
    with django_assert_num_queries(1):
        retention_update(s)


@pytest.mark.parametrize("role", ["beheerder", "zorg"])
def test_the_preview_costs_the_same_queries_for_few_and_many_records(cast, login, days, role):
    client = login(getattr(cast, role))
    today = timezone.localdate()

    def add(n):
        for _ in range(n):
            s = StudentFactory(school=cast.school, region=cast.region, outcome_date=dt.date(2024, 1, 1))
            Student.objects.filter(pk=s.pk).update(
                erase_after=today + D(days=3), erase_reason="no_consent", erase_noticed_on=today
            )

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("privacy:erasure_preview")).status_code == 200
        return len(ctx)

    add(1)
    few = count()
    add(12)
    assert count() == few
