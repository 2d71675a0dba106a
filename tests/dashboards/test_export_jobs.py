"""A large case list is made by a worker: progress on the page, the file for its maker only,
for a limited time; a retry never makes it twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import AccessLogEntry, Action
from dashboards import views_export
from dashboards.export_jobs import export_job_run, export_jobs_purge
from dashboards.models import ExportJob
from tests.dashboards.known import build


@pytest.fixture
def job(cast, login, monkeypatch):
    build(cast)
    monkeypatch.setattr(views_export, "INLINE_MAX_ROWS", 1)
    response = login(cast.coordinator).post("/regio/caselijst.csv?cohort=&niveau=2")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/regio/export/taak/{job.code}/"
    return job


def test_the_page_shows_progress_then_the_download(cast, login, job):
    client = login(cast.coordinator)
    html = client.get(f"/regio/export/taak/{job.code}/").content.decode()
    assert "In de wachtrij" in html and 'http-equiv="refresh"' in html
    export_job_run(job.pk)
    html = client.get(f"/regio/export/taak/{job.code}/").content.decode()
    assert 'id="export-download"' in html and 'http-equiv="refresh"' not in html
    text = client.get(f"/regio/export/taak/{job.code}/bestand").content.decode("utf-8-sig")
    assert "Qxinview" in text and "Qxrefused" not in text
    assert AccessLogEntry.objects.filter(action=Action.EXPORT, detail="caselist").count() == 5


def test_a_second_run_makes_nothing_twice(cast, job):
    export_job_run(job.pk)
    export_job_run(job.pk)
    assert AccessLogEntry.objects.filter(action=Action.EXPORT, detail="caselist").count() == 5


@pytest.mark.parametrize("role", ["gemeente_coordinator", "outsider_coordinator"])
def test_only_the_maker_sees_or_downloads_the_file(cast, login, job, role):
    export_job_run(job.pk)
    client = login(getattr(cast, role))
    assert client.get(f"/regio/export/taak/{job.code}/").status_code == 404
    assert client.get(f"/regio/export/taak/{job.code}/bestand").status_code == 404


def test_the_file_is_gone_after_its_time(cast, login, job):
    export_job_run(job.pk)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert login(cast.coordinator).get(f"/regio/export/taak/{job.code}/bestand").status_code == 404
    assert export_jobs_purge() == 1
    assert not ExportJob.objects.exists()
