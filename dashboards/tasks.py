"""Periodic work of the dashboards: the summary behind the figures (dashboards.summary)."""

from __future__ import annotations

from celery import shared_task

from dashboards.summary import summary_refresh_changed


@shared_task(name="dashboards.summary_refresh")
def summary_refresh_task(full: bool = False) -> int:
    return summary_refresh_changed(full=full)
