"""The reading task's body (students.importing.import_parse), called directly as the style
guide asks; tests/integration/test_import_worker.py runs it in a real worker."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from students import importing, tasks
from students.models import ImportBatch
from tests.lib import crafted
from tests.students.factories import csv_bytes

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db

ROW = "1001;Jan;;Jansen;01-02-2006;;;;;;2;;2026"


def _receive(cast, data=None, name="export.csv"):
    return importing.import_receive(school=cast.school, user=cast.zorg.user, filename=name, data=data or csv_bytes(ROW))


def test_the_upload_is_queued_after_commit_and_the_web_reads_nothing(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        batch = _receive(cast)
    assert len(callbacks) == 1  # the task is sent only once the batch is committed
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.QUEUED and batch.headers == [] and batch.rows == []


def test_reading_runs_once_however_often_the_message_comes(cast):
    batch = _receive(cast)
    assert importing.import_parse(batch_id=batch.pk) == ImportBatch.State.UPLOADED
    batch.refresh_from_db()
    assert batch.rows[0][:4] == ["1001", "Jan", "", "Jansen"] and batch.parse_attempts == 1
    assert batch.upload is None and batch.mapping["last_name"] == "Achternaam"
    # A redelivered message finds the batch read and leaves it alone.
    assert importing.import_parse(batch_id=batch.pk) == ImportBatch.State.UPLOADED
    batch.refresh_from_db()
    assert batch.parse_attempts == 1
    assert importing.import_parse(batch_id=10**9) == "gone"


def test_a_refused_file_fails_with_its_reason_and_its_bytes_are_dropped(cast):
    batch = _receive(cast, crafted.zip_bomb(60), "lijst.xlsx")
    assert importing.import_parse(batch_id=batch.pk) == ImportBatch.State.FAILED
    batch.refresh_from_db()
    assert batch.upload is None and batch.rows == []
    assert batch.error.startswith("Uitgepakt is dit Excel-bestand groter dan 50 MB")


def test_a_reading_whose_worker_died_is_tried_once_more_then_given_up(cast):
    batch = _receive(cast)
    stale = timezone.now() - dt.timedelta(hours=1)
    # The first worker claimed it and died (killed for memory, say): a retry may read it.
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportBatch.State.READING, parse_started_at=stale, parse_attempts=1
    )
    assert importing.import_parse(batch_id=batch.pk) == ImportBatch.State.UPLOADED
    # The second died too: no third worker is sacrificed.
    batch = _receive(cast)
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportBatch.State.READING, parse_started_at=stale, parse_attempts=2
    )
    assert importing.import_parse(batch_id=batch.pk) == ImportBatch.State.FAILED
    batch.refresh_from_db()
    assert batch.error == "Dit bestand kon niet worden gelezen. Sla het opnieuw op als .xlsx of CSV."


def test_a_reading_in_progress_is_not_taken_over(cast):
    batch = _receive(cast)
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportBatch.State.READING, parse_started_at=timezone.now(), parse_attempts=1
    )
    assert importing.import_parse(batch_id=batch.pk) == ImportBatch.State.READING


def test_reading_past_the_memory_ceiling_fails_with_a_message(cast, settings, monkeypatch):
    """What the task does when the reader hits the ceiling; that the ceiling stops a real read
    is proven in a fresh interpreter below (inside this long-lived test process, memory that
    earlier tests' threads reserved lets a read grow without growing the address space)."""
    batch = _receive(cast)

    def out_of_memory(*args, **kwargs):
        raise MemoryError

    with monkeypatch.context() as patched:
        patched.setattr(importing, "read_table", out_of_memory)
        assert importing.import_parse(batch_id=batch.pk) == ImportBatch.State.FAILED
    batch.refresh_from_db()
    assert batch.error == "Dit bestand is te groot om te lezen. Splits het op of exporteer minder kolommen."
    # The worker is itself again: the next file reads.
    assert importing.import_parse(batch_id=_receive(cast).pk) == ImportBatch.State.UPLOADED


CEILING_SCRIPT = """
import sys
from kwint.lib.limits import memory_ceiling
from kwint.lib.spreadsheet_read import read_table
from students.importing import read_limits

wide = ";".join(f"K{i}" for i in range(100))
rows = [";".join(["x" * 90] * 100) for _ in range(900)]  # ~8 MB of text, far more as Python strings
data = ("\\n".join([wide, *rows]) + "\\n").encode()
try:
    with memory_ceiling(8 * 1024 * 1024):
        read_table("export.csv", data, limits=read_limits())
except MemoryError:
    stopped = True
else:
    stopped = False
table = read_table("export.csv", data, limits=read_limits())  # the limit is lifted afterwards
print("stopped" if stopped else "not stopped", len(table.rows) if hasattr(table, "rows") else "")
"""


def test_the_ceiling_stops_a_read_that_grows_past_it_and_is_lifted_after():
    env = dict(os.environ) | {"DJANGO_SETTINGS_MODULE": "kwint.settings"}
    script = "import django; django.setup()\n" + CEILING_SCRIPT
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("stopped"), done.stdout


def test_progress_is_written_while_reading(cast):
    rows = [f"{1000 + i};Jan;;Jansen;01-02-2006;;;;;;2;;2026" for i in range(2500)]
    batch = _receive(cast, csv_bytes(*rows))
    importing.import_parse(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.progress == 2500 and len(batch.rows) == 2500


def test_the_task_turns_the_pools_time_limit_into_a_message(cast, monkeypatch):
    batch = _receive(cast)

    def too_slow(*, batch_id):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(importing, "import_parse", too_slow)
    assert tasks.import_parse(batch.pk) == "failed"
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.FAILED and "duurde te lang" in batch.error


def test_the_task_has_time_limits_and_is_not_redelivered_when_its_worker_dies():
    assert tasks.import_parse.soft_time_limit == 150 and tasks.import_parse.time_limit == 270
    assert tasks.import_parse.acks_late and not tasks.import_parse.reject_on_worker_lost


def test_an_unexpected_reader_error_fails_the_batch_instead_of_spinning_forever(cast, monkeypatch):
    batch = _receive(cast)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in a reader")

    monkeypatch.setattr(importing, "read_table", broken)
    assert importing.import_parse(batch_id=batch.pk) == ImportBatch.State.FAILED
    batch.refresh_from_db()
    assert batch.error == "Dit bestand kon niet worden gelezen. Sla het opnieuw op als .xlsx of CSV."


def test_the_reason_is_stored_in_the_uploaders_language(cast):
    cast.zorg.user.language = "en"
    cast.zorg.user.save(update_fields=["language"])
    batch = _receive(cast, crafted.png())
    importing.import_parse(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.error.startswith("This is not a table but a PNG file. Kwint expects a CSV file")
