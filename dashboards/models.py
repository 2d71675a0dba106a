"""Per-region settings of the dashboard: what "in view" and "duurzaam" mean there."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Region

DEFAULT_IN_VIEW_MONTHS = 3
DEFAULT_DUURZAAM_MIN_HOURS = 32


class RegionSetting(models.Model):
    """How a region counts. Regions differ ("duurzaam" in transport is a permanent contract,
    in retail rarely): the definition is data, set by the beheerder, not code. A region
    without a row uses the defaults."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="dashboard_setting")
    in_view_months = models.PositiveSmallIntegerField(
        _("in beeld: bereikt in de laatste ... maanden"),
        default=DEFAULT_IN_VIEW_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    duurzaam_permanent = models.BooleanField(_("duurzaam: een vast contract telt altijd"), default=True)
    duurzaam_min_hours = models.PositiveSmallIntegerField(
        _("duurzaam: of minstens ... uur per week"),
        default=DEFAULT_DUURZAAM_MIN_HOURS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dashboardinstelling van een regio")
        verbose_name_plural = _("dashboardinstellingen van regio's")

    def __str__(self) -> str:
        return str(self.region)


def settings_for(region_ids) -> dict[int, RegionSetting]:
    """Per region id its setting, unsaved defaults where a region has none. One query."""
    found = {s.region_id: s for s in RegionSetting.objects.filter(region_id__in=list(region_ids))}
    return {rid: found.get(rid) or RegionSetting(region_id=rid) for rid in region_ids}


def _new_secret() -> str:
    return secrets.token_hex(32)


class ResearchProject(models.Model):
    """A research project (e.g. the evaluation of the law): its own secret makes its pseudonyms
    stable across its exports and unlinkable to any other project's."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("naam van het onderzoek"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="research_projects")
    # The HMAC key: never shown, never exported.
    secret = models.CharField(max_length=64, default=_new_secret, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("onderzoeksproject")
        verbose_name_plural = _("onderzoeksprojecten")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="researchproject_unique_name")]

    def __str__(self) -> str:
        return self.name


class ResearchExport(models.Model):
    """Who exported what for which project, when: shown to the beheerder (AVG accountability)."""

    project = models.ForeignKey(ResearchProject, on_delete=models.PROTECT, related_name="exports")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    made_by_email = models.CharField(max_length=254)
    organisation_name = models.CharField(max_length=200)
    made_at = models.DateTimeField(auto_now_add=True)
    filters = models.JSONField(default=list)
    file_format = models.CharField(max_length=4)
    row_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-made_at", "-id"]


class StudentSummary(models.Model):
    """Per young person the facts the dashboards count, kept by `dashboards.summary`: counting
    them live (a subquery per student into 3 million contacts and a million situations) takes
    seconds for a large region. Refreshed incrementally every few minutes for the students whose
    contacts, situations or record changed, and in full every night; the page says how old the
    figures may be. Situations are stored as dashboard categories (duurzaam per the region's
    definition at refresh time); "in view" and the measurement dates are decided when counting."""

    student = models.OneToOneField(
        "students.Student", on_delete=models.CASCADE, primary_key=True, related_name="dashboard_summary"
    )
    last_reached_at = models.DateTimeField(null=True, blank=True)
    contacted = models.BooleanField(default=False)
    situation_now = models.CharField(max_length=20, blank=True)
    situation_6 = models.CharField(max_length=20, blank=True)
    situation_12 = models.CharField(max_length=20, blank=True)
    situation_24 = models.CharField(max_length=20, blank=True)
    # The last twelve months: contacts and attempts, and check-ins due by their outcome.
    contacts_reached = models.PositiveIntegerField(default=0)
    contacts_unreached = models.PositiveIntegerField(default=0)
    checkins_on_time = models.PositiveIntegerField(default=0)
    checkins_late = models.PositiveIntegerField(default=0)
    checkins_overdue = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField()


class SummaryState(models.Model):
    """One row: up to when the summary has taken in every change (the age shown on the page)."""

    key = models.CharField(max_length=20, unique=True, default="students")
    refreshed_until = models.DateTimeField(null=True, blank=True)
    full_refresh_at = models.DateTimeField(null=True, blank=True)


class ExportJob(models.Model):
    """A large export made by a worker: progress on the page, the file kept for a limited time
    and downloadable by its maker only (it holds names)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        RUNNING = "running", _("Bezig")
        DONE = "done", _("Klaar")
        FAILED = "failed", _("Mislukt")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="+")
    file_format = models.CharField(max_length=4)
    filters = models.JSONField(default=dict)  # the query string's values, as the page had them
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    content = models.BinaryField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at"], name="exportjob_expires_idx")]
