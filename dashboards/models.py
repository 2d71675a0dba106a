"""Per-region settings of the dashboard: what "in view" and "duurzaam" mean there."""

from __future__ import annotations

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
