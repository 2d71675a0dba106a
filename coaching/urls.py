from django.urls import path

from coaching import views, views_caseload, views_outbox, views_reopen, views_team

app_name = "coaching"

urlpatterns = [
    path("caseload/", views_caseload.caseload, name="caseload"),
    path("team/", views_team.team, name="team"),
    path("jongeren/<uuid:code>/contact/", views.contact_new, name="contact_new"),
    path("jongeren/<uuid:code>/niet-bereikt/", views.contact_unreached, name="contact_unreached"),
    path("jongeren/<uuid:code>/contactmoment/", views.checkin_add, name="checkin_add"),
    path("jongeren/<uuid:code>/contactplan/", views.plan_switch, name="plan_switch"),
    path("jongeren/<uuid:code>/afsluiten/", views.close, name="close"),
    path("jongeren/<uuid:code>/heropenen/", views_reopen.reopen, name="reopen"),
    path("jongeren/<uuid:code>/coach/", views_team.assign, name="assign"),
    path("jongeren/<uuid:code>/delen/", views_team.share, name="share"),
    path("contacten/<uuid:code>/wijzigen/", views.contact_edit, name="contact_edit"),
    path("contactmomenten/<uuid:code>/verplaatsen/", views.checkin_move, name="checkin_move"),
    path("aanbod/<uuid:code>/status/", views.support_update, name="support_update"),
    path("beheer/niet-verstuurd/", views_outbox.unsent, name="outbox_unsent"),
]
