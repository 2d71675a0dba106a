from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("toegangslog/", views.access_log_search, name="log"),
    path("wissen/", views.erasure_preview, name="erasure_preview"),
    path("jongeren/<uuid:code>/toegang/", views.student_access_log, name="student_log"),
    path("jongeren/<uuid:code>/inzage/", views.inzage, name="inzage"),
    path("jongeren/<uuid:code>/inzage.json", views.inzage_json, name="inzage_json"),
    path("jongeren/<uuid:code>/correctie/", views.correction_request, name="correction"),
    path("jongeren/<uuid:code>/wissen/", views.erasure_request_view, name="erase"),
    path("jongeren/<uuid:code>/bewaren/", views.legal_hold, name="hold"),
]
