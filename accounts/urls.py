from django.urls import path

from accounts import views, views_organisations, views_regions, views_users

app_name = "accounts"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("rol/<uuid:code>/", views.switch_membership, name="switch"),
    # Beheer: organisations
    path("beheer/organisaties/", views_organisations.organisation_list, name="organisations"),
    path("beheer/organisaties/nieuw/", views_organisations.organisation_create_view, name="organisation_create"),
    path("beheer/organisaties/<uuid:code>/", views_organisations.organisation_detail, name="organisation_detail"),
    path("beheer/organisaties/<uuid:code>/wijzigen/", views_organisations.organisation_edit, name="organisation_edit"),
    path(
        "beheer/organisaties/<uuid:code>/actief/",
        views_organisations.organisation_set_active_view,
        name="organisation_set_active",
    ),
    path(
        "beheer/organisaties/<uuid:code>/verwijderen/",
        views_organisations.organisation_delete_view,
        name="organisation_delete",
    ),
    # Beheer: users and their roles
    path("beheer/gebruikers/", views_users.user_list, name="users"),
    path("beheer/gebruikers/uitnodigen/", views_users.user_invite_view, name="user_invite"),
    path("beheer/gebruikers/<uuid:code>/", views_users.user_detail, name="user_detail"),
    path("beheer/gebruikers/<uuid:code>/wijzigen/", views_users.user_edit, name="user_edit"),
    path("beheer/gebruikers/<uuid:code>/actief/", views_users.user_set_active_view, name="user_set_active"),
    path("beheer/gebruikers/<uuid:code>/uitnodiging/", views_users.user_resend_invite, name="user_resend_invite"),
    path("beheer/gebruikers/<uuid:code>/rollen/nieuw/", views_users.membership_add_view, name="membership_add"),
    path("beheer/rollen/<uuid:code>/wijzigen/", views_users.membership_edit, name="membership_edit"),
    path("beheer/rollen/<uuid:code>/actief/", views_users.membership_set_active_view, name="membership_set_active"),
    # Beheer: regions and municipalities
    path("beheer/regios/", views_regions.region_list, name="regions"),
    path("beheer/regios/nieuw/", views_regions.region_create_view, name="region_create"),
    path("beheer/regios/<uuid:code>/", views_regions.region_detail, name="region_detail"),
    path("beheer/regios/<uuid:code>/wijzigen/", views_regions.region_edit, name="region_edit"),
    path(
        "beheer/regios/<uuid:code>/gemeenten/nieuw/",
        views_regions.municipality_create_view,
        name="municipality_create",
    ),
    path("beheer/gemeenten/<uuid:code>/wijzigen/", views_regions.municipality_edit, name="municipality_edit"),
]
