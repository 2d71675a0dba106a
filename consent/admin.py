"""Django admin: read-only views of consent. Answers are recorded through the app (services),
never edited here: the history is proof."""

from django.contrib import admin

from consent.models import ConsentLink, ConsentRecord, ConsentRenewalReminder, ConsentText


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConsentText)
class ConsentTextAdmin(ReadOnlyAdmin):
    list_display = ("purpose", "version", "region", "school", "effective_from", "published_at")
    list_filter = ("purpose", "region")


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ("code", "purpose", "status", "method", "given_by", "answered_at", "recorded_at")
    list_filter = ("purpose", "status", "method")


@admin.register(ConsentLink)
class ConsentLinkAdmin(ReadOnlyAdmin):
    list_display = ("code", "kind", "created_at", "expires_at", "used_at")
    exclude = ("token_hash",)


@admin.register(ConsentRenewalReminder)
class ConsentRenewalReminderAdmin(ReadOnlyAdmin):
    list_display = ("record", "sent_to", "created_at", "sent_at")
