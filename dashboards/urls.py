from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.region, name="region"),
    path("landelijk/", views.national, name="national"),
]
