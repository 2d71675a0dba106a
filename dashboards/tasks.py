"""Periodic work of the dashboards: the summary behind the figures (dashboards.summary)."""

from __future__ import annotations

from celery import shared_task

from dashboards.export_jobs import export_job_run, export_jobs_purge
from dashboards.summary import summary_refresh_changed


@shared_task(name="dashboards.summary_refresh")
def summary_refresh_task(full: bool = False) -> int:
    return summary_refresh_changed(full=full)


@shared_task(name="dashboards.export_job_run")
def export_job_run_task(job_id: int) -> None:
    export_job_run(job_id)


@shared_task(name="dashboards.export_jobs_purge")
def export_jobs_purge_task() -> int:
    return export_jobs_purge()
