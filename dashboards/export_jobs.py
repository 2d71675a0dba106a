"""Large exports (the case list of a whole region) made by a worker: started from the page,
progress shown there, the file kept `EXPORT_KEEP_HOURS` and downloadable by its maker only."""

from __future__ import annotations

import datetime as dt

from celery import current_app
from django.db import transaction
from django.utils import timezone

from audit.models import Action
from audit.services import access_log_many
from dashboards.models import ExportJob

# Up to this many rows the case list is made in the request; more go to a worker.
INLINE_MAX_ROWS = 2000
EXPORT_KEEP_HOURS = 24


def export_job_start(*, membership, file_format: str, filters: dict) -> ExportJob:
    job = ExportJob.objects.create(
        created_by=membership.user,
        membership=membership,
        file_format=file_format,
        filters=filters,
        expires_at=timezone.now() + dt.timedelta(hours=EXPORT_KEEP_HOURS),
    )
    # By name (dashboards.tasks imports this module): the worker runs `export_job_run`.
    transaction.on_commit(lambda: current_app.send_task("dashboards.export_job_run", args=[job.pk]))
    return job


def export_job_run(job_id: int) -> None:
    """Make the file. Claimed with a conditional UPDATE: a retry or a second worker does nothing."""
    from dashboards.exports import case_list_rows, render_file
    from dashboards.filters import DashboardFilterForm
    from dashboards.selectors import dashboard_scope

    claimed = ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(state=ExportJob.State.RUNNING)
    if not claimed:
        return
    job = ExportJob.objects.select_related("membership", "membership__organisation", "created_by").get(pk=job_id)
    scope = dashboard_scope(job.membership)
    if scope is None or not job.membership.is_active:
        ExportJob.objects.filter(pk=job_id).update(state=ExportJob.State.FAILED, finished_at=timezone.now())
        return
    form = DashboardFilterForm(job.filters or None, region_ids=scope.region_ids, school=scope.school)
    header, rows, codes = case_list_rows(scope, form.cleaned())
    ExportJob.objects.filter(pk=job_id).update(total=len(rows), progress=0)
    content, _type = render_file(job.file_format, header, rows, sheet="Caselijst")
    with transaction.atomic():
        access_log_many(
            actor=job.created_by,
            membership=job.membership,
            action=Action.EXPORT,
            student_codes=codes,
            detail="caselist",
            path="/regio/caselijst",
        )
        ExportJob.objects.filter(pk=job_id).update(
            state=ExportJob.State.DONE, content=content, progress=len(rows), finished_at=timezone.now()
        )


def export_jobs_purge() -> int:
    """Drop the files past their time (they hold names)."""
    deleted, _ = ExportJob.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted


def export_job_for(user, code) -> ExportJob | None:
    """Only the maker sees or downloads a job; an expired one is gone."""
    return ExportJob.objects.filter(code=code, created_by=user, expires_at__gte=timezone.now()).first()
