from django.urls import path

from consent import public_views, text_views, views

app_name = "consent"

urlpatterns = [
    # Staff, per student (through the access module).
    path("<uuid:code>/vastleggen/", views.record, name="record"),
    path("<uuid:code>/intrekken/", views.withdraw, name="withdraw"),
    path("<uuid:code>/link/", views.link, name="link"),
    path("<uuid:code>/geschiedenis/", views.history, name="history"),
    path("<uuid:code>/formulier/", views.print_form, name="print"),
    path("vernieuwen/", views.renewals, name="renewals"),
    # The beheerder's texts.
    path("teksten/", text_views.text_list, name="texts"),
    path("teksten/nieuw/", text_views.text_create, name="text_create"),
    path("teksten/<uuid:code>/", text_views.text_detail, name="text_detail"),
    path("teksten/<uuid:code>/wijzigen/", text_views.text_edit, name="text_edit"),
    path("teksten/<uuid:code>/publiceren/", text_views.text_publish, name="text_publish"),
    # The young person's pages: no login, names start with "public" (tests/test_anonymous.py).
    path("j/<str:token>/", public_views.public_answer, name="public_answer"),
    path("j/<str:token>/intrekken/", public_views.public_withdraw, name="public_withdraw"),
    path("klaar/", public_views.public_done, name="public_done"),
    path("nieuwe-link/", public_views.public_new_link, name="public_new_link"),
    path("nieuwe-link/aangevraagd/", public_views.public_new_link_sent, name="public_new_link_sent"),
]
