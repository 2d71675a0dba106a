from django.urls import path

from checkins import public_views, views

app_name = "checkins"

urlpatterns = [
    # The young person's pages: no login, names start with "public" (tests/test_anonymous.py).
    # Short paths: the link goes out by SMS.
    path("c/<str:token>/", public_views.public_start, name="public_start"),
    path("c/<str:token>/meer/", public_views.public_details, name="public_details"),
    path("c/<str:token>/contact/", public_views.public_contact, name="public_contact"),
    path("c-klaar/", public_views.public_done, name="public_done"),
    # Delivery reports from the SMS provider (signed; see checkins.sms).
    path("sms/status/", public_views.public_sms_report, name="public_sms_report"),
    # The coach's side.
    path("coaching/jongeren/<uuid:code>/check-in/", views.send, name="send"),
    path("coaching/jongeren/<uuid:code>/check-in/instellingen/", views.preference, name="preference"),
    path("coaching/check-in/contactplannen/", views.plans, name="plans"),
    path("coaching/check-in/contactplannen/<uuid:code>/", views.plan_edit, name="plan_edit"),
]
