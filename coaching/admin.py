from django.contrib import admin

from coaching.models import CheckIn, FollowUpPlan, Reminder, Trajectory


@admin.register(FollowUpPlan)
class FollowUpPlanAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "kind", "is_default", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "organisation__name")


@admin.register(Trajectory)
class TrajectoryAdmin(admin.ModelAdmin):
    # Ids and dates only: personal data is reached through Kwint's own pages and access log.
    list_display = ("code", "organisation", "coach", "plan", "start_date", "end_date", "closed_at", "close_reason")
    list_filter = ("close_reason",)
    raw_id_fields = ("student", "coach", "final_situation", "closed_by")


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ("code", "due_date", "status", "is_measurement", "measurement_month", "coach")
    list_filter = ("status", "is_measurement")
    raw_id_fields = ("trajectory", "coach", "completed_by")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("key", "kind", "recipient", "on_date", "status", "attempts", "sent_at")
    list_filter = ("kind", "status")
    raw_id_fields = ("recipient", "student", "checkin", "trajectory")
