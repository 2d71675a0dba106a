from django.contrib import admin

from dashboards.models import RegionSetting


@admin.register(RegionSetting)
class RegionSettingAdmin(admin.ModelAdmin):
    list_display = ("region", "in_view_months", "duurzaam_permanent", "duurzaam_min_hours", "updated_at")
