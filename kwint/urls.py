from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET
from django.views.i18n import set_language


@require_GET
@login_not_required
def healthz(request):
    """Liveness for load balancers and docker compose: no database, no session."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("taal/", login_not_required(set_language), name="set_language"),
    path("healthz", healthz, name="healthz"),
    # Login, logout, password and second factor: the accounts app's own URLs.
    path("", include("accounts.urls_auth")),
    path("account/", include("accounts.urls")),
    path("jongeren/", include("students.urls")),
    path("toestemming/", include("consent.urls")),
    path("coaching/", include("coaching.urls")),
    path("regio/", include("dashboards.urls")),
    path("privacy/", include("privacy.urls")),
    # The young person's self check-in (short public paths under /c/) and the coach's side.
    path("", include("checkins.urls")),
    path("django-beheer/", admin.site.urls),
]
