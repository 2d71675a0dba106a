from django.urls import path

from students import views, views_handover, views_import

app_name = "students"

urlpatterns = [
    path("", views.student_index, name="list"),
    path("nieuw/", views.student_new, name="new"),
    path("importeren/", views_import.import_start, name="import"),
    path("importeren/<uuid:code>/lezen/", views_import.import_status, name="import_status"),
    path("importeren/<uuid:code>/kolommen/", views_import.import_mapping, name="import_mapping"),
    path("importeren/<uuid:code>/voorbeeld/", views_import.import_preview, name="import_preview"),
    path("importeren/<uuid:code>/bevestigen/", views_import.import_confirm, name="import_confirm"),
    path("importeren/<uuid:code>/resultaat/", views_import.import_result, name="import_result"),
    path("importeren/<uuid:code>/fouten.csv", views_import.import_errors_csv, name="import_errors"),
    path("overdrachten/", views_handover.handover_incoming, name="handovers_incoming"),
    path("overdrachten/aanbieden/", views_handover.handover_bulk, name="handover_bulk"),
    path("overdrachten/<uuid:code>/", views_handover.handover_review, name="handover_review"),
    path("overdrachten/<uuid:code>/accepteren/", views_handover.handover_accept_view, name="handover_accept"),
    path("overdrachten/<uuid:code>/afwijzen/", views_handover.handover_decline_view, name="handover_decline"),
    path("<uuid:code>/", views.student_detail, name="detail"),
    path("<uuid:code>/bewerken/", views.student_edit, name="edit"),
    path("<uuid:code>/overdracht/", views_handover.handover_edit, name="handover"),
    path("<uuid:code>/overdracht/intrekken/", views_handover.handover_withdraw_view, name="handover_withdraw"),
]
