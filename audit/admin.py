"""The access log in Django's admin: read-only, no add, change or delete (append-only)."""

from django.contrib import admin

from audit.models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_email", "organisation_name", "role", "action", "result", "object_type", "student_code")
    list_filter = ("action", "result", "role")
    search_fields = ("actor_email", "organisation_name", "object_code")
    date_hierarchy = "at"
    ordering = ("-at", "-id")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
