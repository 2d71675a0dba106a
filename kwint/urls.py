from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET
from django.views.i18n import set_language

from accounts import views as account_views


@require_GET
@login_not_required
def healthz(request):
    """Liveness for load balancers and docker compose: no database, no session."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", account_views.home, name="home"),
    path("inloggen/", account_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("taal/", login_not_required(set_language), name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("account/", include("accounts.urls")),
    path("jongeren/", include("students.urls")),
    path("toestemming/", include("consent.urls")),
    path("coaching/", include("coaching.urls")),
    path("regio/", include("dashboards.urls")),
    path("django-beheer/", admin.site.urls),
]
