from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("rol/<uuid:code>/", views.switch_membership, name="switch"),
    path("beheer/organisaties/", views.organisation_list, name="organisations"),
    path("beheer/gebruikers/", views.user_list, name="users"),
    path("beheer/regios/", views.region_list, name="regions"),
]
