from django.contrib import admin

from dashboards.models import RegionSetting


@admin.register(RegionSetting)
class RegionSettingAdmin(admin.ModelAdmin):
    list_display = ("region", "in_view_months", "duurzaam_permanent", "duurzaam_min_hours", "updated_at")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # "Duurzaam" is stored per student in the summary: recount everyone after the change.
        from django.db import transaction

        from dashboards.tasks import summary_refresh_task

        transaction.on_commit(lambda: summary_refresh_task.delay(full=True))
