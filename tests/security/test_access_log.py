"""The access log: append-only in the database, a verifiable hash chain, login events."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from audit.models import AccessLogEntry, Action
from audit.services import access_log, verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(cast, student):
    return [
        access_log(membership=cast.zorg, actor=cast.zorg.user, action=Action.VIEW, student=student),
        access_log(membership=cast.zorg, actor=cast.zorg.user, action=Action.EXPORT, student=student),
        access_log(membership=cast.coach, actor=cast.coach.user, action=Action.PRINT, student=student),
    ]


def test_each_entry_links_to_the_previous_one(entries):
    assert entries[1].prev_hash == entries[0].entry_hash
    assert entries[2].prev_hash == entries[1].entry_hash
    report = verify_chain()
    assert report.ok and report.checked >= 3


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_accesslogentry SET detail = 'weg' WHERE id = %s",
        "UPDATE audit_accesslogentry SET actor_email = 'iemand@anders.nl' WHERE id = %s",
        "DELETE FROM audit_accesslogentry WHERE id = %s",
    ],
)
def test_raw_sql_cannot_update_or_delete_an_entry(entries, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entries[0].pk])
    assert AccessLogEntry.objects.filter(pk=entries[0].pk, detail=entries[0].detail).exists()


def test_the_orm_refuses_too(entries):
    with pytest.raises(RuntimeError):
        entries[0].save()
    with pytest.raises(RuntimeError):
        entries[0].delete()


def test_deleting_a_user_keeps_their_entries(entries, cast):
    entry = entries[2]
    cast.coach.user.delete()
    kept = AccessLogEntry.objects.get(pk=entry.pk)
    assert kept.actor_id is None and kept.actor_email == "coach@kwint.test"
    assert verify_chain().ok


def _tamper(sql, params):
    """What an attacker with superuser rights could do: switch triggers off and edit."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


def test_verify_finds_the_first_changed_entry(entries):
    _tamper("UPDATE audit_accesslogentry SET detail = 'nooit gebeurd' WHERE id = %s", [entries[1].pk])
    report = verify_chain()
    assert not report.ok and report.broken_id == entries[1].pk
    with pytest.raises(CommandError, match=f"regel {entries[1].pk}"):
        call_command("audit_verify")


def test_verify_finds_a_removed_entry(entries):
    _tamper("DELETE FROM audit_accesslogentry WHERE id = %s", [entries[1].pk])
    assert verify_chain().broken_id == entries[2].pk


def test_audit_verify_command_reports_an_intact_log(entries, capsys):
    call_command("audit_verify")
    assert "Toegangslog intact" in capsys.readouterr().out


def test_a_student_page_view_writes_exactly_one_entry(login, cast, student):
    from django.urls import reverse

    client = login(cast.zorg)
    before = AccessLogEntry.objects.count()
    assert client.get(reverse("students:detail", args=[student.code])).status_code == 200
    assert AccessLogEntry.objects.count() == before + 1


def test_the_admin_is_read_only(cast, rf):
    from django.contrib import admin

    model_admin = admin.site._registry[AccessLogEntry]
    request = rf.get("/")
    request.user = cast.beheerder.user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_search_terms_in_the_query_string_are_not_logged(rf, cast, student):
    request = rf.get(f"/jongeren/{student.code}/", {"q": "Özlem de Vries"})
    request.user = cast.zorg.user
    request.membership = cast.zorg
    entry = access_log(request=request, action=Action.VIEW, student=student)
    assert entry.path == f"/jongeren/{student.code}/"


def test_the_nightly_chain_check_reports_a_break(entries, caplog):
    from audit.tasks import verify_chain_task
    from kwint.celery import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["audit-verify-chain"]["task"] == verify_chain_task.name
    assert verify_chain_task()["broken_id"] is None
    _tamper("UPDATE audit_accesslogentry SET ip_address = '10.9.9.9' WHERE id = %s", [entries[0].pk])
    assert verify_chain_task()["broken_id"] == entries[0].pk
    assert "hash chain broken" in caplog.text
