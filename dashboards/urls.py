from django.urls import path

from dashboards import views, views_export

app_name = "dashboards"

urlpatterns = [
    path("", views.region, name="region"),
    path("landelijk/", views.national, name="national"),
    path("export/<slug:table>.<str:fmt>", views_export.export_table, name="export_table"),
    path("landelijk/export/<slug:table>.<str:fmt>", views_export.export_national, name="export_national"),
    path("caselijst.<str:fmt>", views_export.export_case_list, name="export_case_list"),
    path("export/taak/<uuid:code>/", views_export.export_job, name="export_job"),
    path("export/taak/<uuid:code>/bestand", views_export.export_job_file, name="export_job_file"),
    path("onderzoek/", views_export.research, name="research"),
    path("onderzoek/log/", views_export.research_log, name="research_log"),
    path("onderzoek/<uuid:code>/export.<str:fmt>", views_export.research_export, name="research_export"),
]
