"""Nothing dropped silently: reminders that expired or failed are listed for the beheerder with
the reason, per region, without anything about the young person."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from coaching import outbox, reminders
from coaching.models import Reminder
from kwint.lib import outbox as registry
from tests.coaching.factories import guided_student

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
URL = reverse("coaching:outbox_unsent")


def test_a_digest_left_unsent_by_an_outage_expires_with_its_reason_on_the_beheer_page(cast, login):
    with time_machine.travel(dt.datetime(2026, 7, 1, 10, 0, tzinfo=AMS), tick=False):
        guided_student(cast)
    with time_machine.travel(dt.datetime(2026, 7, 8, 7, 0, tzinfo=AMS), tick=False):
        [pk] = reminders.reminders_plan(today=dt.date(2026, 7, 8))
    # The worker was down all day; the next morning the old digest is still owed...
    with time_machine.travel(dt.datetime(2026, 7, 9, 7, 0, tzinfo=AMS), tick=False):
        assert pk in outbox.owed_ids()
        # ... and is not sent late (today's digest replaces it), but kept with its reason.
        assert outbox.deliver(pk) == "expired"
        today = reminders.reminders_plan(today=dt.date(2026, 7, 9))
        assert [outbox.deliver(i) for i in today] == ["sent"]
    assert len(mail.outbox) == 1
    row = Reminder.objects.get(pk=pk)
    assert (row.status, row.reason) == ("expired", "outdated")

    page = login(cast.beheerder).get(URL).content.decode()
    assert "Verlopen: het overzicht gold voor een eerdere dag" in page
    assert cast.coach.user.email in page and "Dagoverzicht" in page
    assert "Nog te versturen: 0 berichten" in page


def test_failed_rows_show_the_error_only_the_beheerders_region_and_nothing_about_the_young_person(
    cast, login, django_assert_num_queries
):
    student = guided_student(cast)
    mine = Reminder.objects.create(
        key="close:mine",
        kind="close",
        recipient=cast.coach.user,
        on_date=dt.date(2026, 7, 8),
        student=student,
        status="failed",
        reason="failed",
        attempts=8,
        last_error="SMTPRecipientsRefused: 550 mailbox full",
    )
    Reminder.objects.create(
        key="close:theirs",
        kind="close",
        recipient=cast.outsider_coach.user,
        on_date=dt.date(2026, 7, 8),
        status="failed",
        reason="failed",
        attempts=8,
        last_error="elsewhere",
    )
    # A message to a young person (no account): shown as such, its address and error never.
    Reminder.objects.create(
        key="young:1",
        kind="close",
        address="jongere@example.nl",
        on_date=dt.date(2026, 7, 8),
        student=student,
        status="failed",
        reason="failed",
        attempts=8,
        last_error="550 jongere@example.nl unknown",
    )
    client = login(cast.beheerder)
    page = client.get(URL).content.decode()
    assert "550 mailbox full" in page and cast.coach.user.email in page and "Mislukt" in page
    assert "elsewhere" not in page and cast.outsider_coach.user.email not in page
    assert "een jongere" in page and "jongere@example.nl" not in page
    assert student.last_name not in page and student.first_name not in page
    assert mine.key not in page  # keys hold ids; the page shows what a person reads
    # A fixed number of queries whatever the number of rows.
    for n in range(20):
        Reminder.objects.create(
            key=f"x{n}",
            kind="digest",
            recipient=cast.coach.user,
            on_date=dt.date(2026, 7, 8),
            status="expired",
            reason="outdated",
        )
    with django_assert_num_queries(_queries(client)):
        client.get(URL)


def _queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    return len(queries)


def test_the_national_beheerder_sees_every_region(cast, login):
    Reminder.objects.create(
        key="close:theirs",
        kind="close",
        recipient=cast.outsider_coach.user,
        on_date=dt.date(2026, 7, 8),
        status="expired",
        reason="outdated",
    )
    cast.beheerder.user.is_superuser = True
    cast.beheerder.user.save()
    assert cast.outsider_coach.user.email in login(cast.beheerder).get(URL).content.decode()


def test_the_page_is_for_the_beheerder_only(cast, login):
    for membership in (cast.coach, cast.coordinator, cast.zorg):
        assert login(membership).get(URL).status_code == 403
    assert login(cast.beheerder).post(URL).status_code == 405


def test_every_registered_kind_and_reason_has_a_label():
    for kind, _label in Reminder.Kind.choices:
        assert registry.sender(kind) is not None and str(registry.kind_label(kind))
    for code in ("not_relevant", "outdated", "failed", "unknown_kind"):
        assert registry.reason_label(code) != code
