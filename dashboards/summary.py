"""Keeps `StudentSummary` up to date: incrementally for the students whose contacts, situations
or record changed since the last run, in full at night (and when a region changes its
definitions). Idempotent: a rerun or a second worker recomputes the same rows (upsert)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Region
from coaching.models import MEASUREMENT_MONTHS, CheckIn, Contact, SituationRecord
from dashboards.models import StudentSummary, SummaryState, settings_for
from dashboards.selectors import CONTACT_PERIOD_MONTHS, ON_TIME_DAYS, with_situations
from students.models import Student

BATCH = 5000
COUNTS = ["contacts_reached", "contacts_unreached", "checkins_on_time", "checkins_late", "checkins_overdue"]
FIELDS = ["last_reached_at", "contacted", "situation_now", *[f"situation_{m}" for m in MEASUREMENT_MONTHS], *COUNTS]


def _count(queryset, student_field: str):
    grouped = queryset.order_by().values(student_field).annotate(c=Count("pk")).values("c")
    return Coalesce(Subquery(grouped), 0)


def _counts(now: dt.datetime) -> dict:
    """Per student, the last twelve months' contacts and check-ins by outcome (the window the
    dashboard's tables show; the nightly full refresh moves it on)."""
    today = timezone.localdate()
    year_ago = today - relativedelta(months=CONTACT_PERIOD_MONTHS)
    contacts = Contact.objects.filter(student=OuterRef("pk"), at__gte=now - relativedelta(months=CONTACT_PERIOD_MONTHS))
    checkins = CheckIn.objects.filter(
        trajectory__student=OuterRef("pk"), due_date__gte=year_ago, due_date__lt=today
    ).exclude(status=CheckIn.Status.CANCELLED)
    done = Q(status=CheckIn.Status.DONE)
    grace = F("due_date") + dt.timedelta(days=ON_TIME_DAYS)
    return {
        "contacts_reached": _count(contacts.filter(reached=True), "student"),
        "contacts_unreached": _count(contacts.filter(reached=False), "student"),
        "checkins_on_time": _count(checkins.filter(done & Q(completed_at__date__lte=grace)), "trajectory__student"),
        "checkins_late": _count(checkins.filter(done & Q(completed_at__date__gt=grace)), "trajectory__student"),
        "checkins_overdue": _count(checkins.filter(~done), "trajectory__student"),
    }


@dataclass
class _AllRegions:
    settings: dict


def summary_refresh(student_ids=None) -> int:
    """Recompute the summary of these students (None: everyone). Returns the rows written."""
    now = timezone.now()
    region_ids = list(Region.objects.values_list("pk", flat=True))
    scope = _AllRegions(settings=settings_for(region_ids))
    students = Student.objects.active()
    ids = list(students.values_list("pk", flat=True)) if student_ids is None else list(student_ids)
    written = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        reached = Contact.objects.filter(student=OuterRef("pk"), reached=True).order_by("-at").values("at")[:1]
        rows = (
            with_situations(students.filter(pk__in=chunk), scope, diploma_only=False)
            .annotate(
                last_reached=Subquery(reached),
                any_contact=Exists(Contact.objects.filter(student=OuterRef("pk"))),
                **{f"n_{k}": v for k, v in _counts(now).items()},
            )
            .values_list(
                "pk",
                "last_reached",
                "any_contact",
                "situation_now",
                "situation_6",
                "situation_12",
                "situation_24",
                *[f"n_{k}" for k in COUNTS],
            )
        )
        objs = [
            StudentSummary(
                student_id=pk,
                last_reached_at=last,
                contacted=contacted,
                situation_now=now_ or "",
                situation_6=s6 or "",
                situation_12=s12 or "",
                situation_24=s24 or "",
                refreshed_at=now,
                **dict(zip(COUNTS, counts, strict=True)),
            )
            for pk, last, contacted, now_, s6, s12, s24, *counts in rows
        ]
        StudentSummary.objects.bulk_create(
            objs, update_conflicts=True, unique_fields=["student"], update_fields=[*FIELDS, "refreshed_at"]
        )
        written += len(objs)
    return written


def changed_since(since: dt.datetime) -> set[int]:
    """Students whose contacts, situations or record changed since `since`."""
    ids = set(
        Contact.objects.filter(Q(created_at__gte=since) | Q(edited_at__gte=since)).values_list("student_id", flat=True)
    )
    ids |= set(SituationRecord.objects.filter(created_at__gte=since).values_list("student_id", flat=True))
    ids |= set(Student.objects.filter(updated_at__gte=since).values_list("pk", flat=True))
    ids |= set(CheckIn.objects.filter(completed_at__gte=since).values_list("trajectory__student_id", flat=True))
    return ids


def summary_refresh_changed(*, full: bool = False) -> int:
    """The periodic run: the students changed since the last run (all of them when `full` or
    on the first run). The watermark moves only after the rows are written, and starts a
    minute back, so a change committed while the last run was reading is never missed."""
    started = timezone.now()
    with transaction.atomic():
        state, _ = SummaryState.objects.select_for_update().get_or_create(key="students")
        since = state.refreshed_until
    if full or since is None:
        written = summary_refresh()
        state.full_refresh_at = started
    else:
        written = summary_refresh(changed_since(since - dt.timedelta(minutes=1)))
    state.refreshed_until = started
    state.save(update_fields=["refreshed_until", "full_refresh_at"])
    return written


def summary_age() -> dt.datetime | None:
    """Up to when the figures include every change (None: never refreshed)."""
    return SummaryState.objects.filter(key="students").values_list("refreshed_until", flat=True).first()
