"""`seed_bench`: the national benchmark data set, here at a small scale (the same SQL)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.models import Membership, Region, Role
from coaching.models import CheckIn, Contact, SituationRecord, Trajectory
from consent.models import ConsentRecord, CurrentConsent
from students.models import Outcome, Student, TimelineEvent

SMALL = {"regions": 3, "students": 900, "coaches": 30, "contacts": 9000, "situations": 3000, "checkins": 7000}

pytestmark = pytest.mark.django_db


def _seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_bench", stdout=out, **{**SMALL, **options})
    return out.getvalue()


def test_it_builds_the_requested_volumes_with_believable_distributions():
    _seed()
    assert Region.objects.count() == 3
    assert Student.objects.count() == 900
    assert Membership.objects.filter(role=Role.COACH).count() == 30
    # Contacts and situations are spread in proportion to time in guidance: close to the target.
    assert 8500 <= Contact.objects.count() <= 9500
    assert 2700 <= SituationRecord.objects.count() <= 3300
    assert 6000 <= CheckIn.objects.count() <= 8000

    sharing = CurrentConsent.objects.filter(purpose="sharing").aggregate(
        given=Count("pk", filter=Q(status="given")),
        refused=Count("pk", filter=Q(status="refused")),
        withdrawn=Count("pk", filter=Q(status="withdrawn")),
    )
    assert 0.55 * 900 < sharing["given"] < 0.85 * 900
    assert sharing["refused"] > 0 and sharing["withdrawn"] > 0
    # A withdrawal is an answer followed by a withdrawal: the projection points at the last.
    withdrawn = CurrentConsent.objects.filter(status="withdrawn").first()
    assert ConsentRecord.objects.filter(student=withdrawn.student, purpose=withdrawn.purpose).count() == 2

    reached = Contact.objects.filter(reached=True).count() / Contact.objects.count()
    assert 0.5 < reached < 0.85
    today = timezone.localdate()
    assert CheckIn.objects.filter(status="planned", due_date__lt=today, trajectory__closed_at=None).exists()
    assert CheckIn.objects.filter(status="missed").exists()
    assert set(SituationRecord.objects.values_list("measurement_month", flat=True)) >= {6, 12, 24}
    assert Student.objects.filter(outcome=Outcome.STUDYING).exists()
    # Some young people live in another region than their school's.
    assert Student.objects.exclude(region=F("school__region")).exists()
    # Only students with a coach have a trajectory, one open at most, coached by that coach.
    assert not Trajectory.objects.exclude(coach=F("student__coach")).exists()
    assert not Contact.objects.exclude(student=F("trajectory__student")).exists()
    assert TimelineEvent.objects.filter(event="contact_logged").count() == Contact.objects.count()


def test_a_second_run_changes_nothing():
    _seed()
    counts = (Student.objects.count(), Contact.objects.count(), CheckIn.objects.count())
    out = _seed()
    assert "nothing to do" in out
    assert (Student.objects.count(), Contact.objects.count(), CheckIn.objects.count()) == counts


def test_it_refuses_a_database_with_other_data(cast):
    with pytest.raises(CommandError, match="other data"):
        _seed()


@pytest.mark.parametrize("environment", ["production", "demo"])
def test_it_refuses_outside_test_and_development(settings, environment):
    settings.KWINT_ENV = environment
    settings.IS_PRODUCTION = environment == "production"
    with pytest.raises(CommandError, match="never touch a production database"):
        _seed()
    assert not Student.objects.exists()


def test_the_search_columns_are_filled_as_save_would():
    from accounts.models import Organisation
    from kwint.lib.text import fold

    _seed()
    for student in Student.objects.all()[:50]:
        expected = student.search_text
        student.normalize()
        assert student.search_text == expected
    assert Student.objects.search("b0000001").count() == 1
    for organisation in Organisation.objects.all():
        assert organisation.search_name == fold(organisation.name)
