"""Django admin for accounts: a fallback for the technical beheer. Day-to-day beheer happens
on Kwint's own pages (accounts/views_*.py), which are scoped per region and log to the access
log; the admin is for superusers only."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Municipality, Organisation, Region, User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ["organisation", "role", "coach_kind", "capacity", "is_active"]
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "language"]
    search_fields = ["full_name", "email"]
    readonly_fields = ["code", "last_login", "date_joined"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["code", "email", "password"]}),
        (_("Persoon"), {"fields": ["full_name", "phone", "language"]}),
        (_("Rechten"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Data"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]


class MunicipalityInline(admin.TabularInline):
    model = Municipality
    extra = 0
    fields = ["name", "cbs_code"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "number"]
    search_fields = ["name"]
    readonly_fields = ["code"]
    inlines = [MunicipalityInline]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "cbs_code"]
    readonly_fields = ["code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "municipality", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name"]
    readonly_fields = ["code"]
    list_select_related = ["region", "municipality"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "coach_kind", "capacity", "is_active"]
    list_filter = ["role", "coach_kind", "is_active", "organisation__region"]
    search_fields = ["user__full_name", "user__email", "organisation__name"]
    readonly_fields = ["code", "created_at"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]
