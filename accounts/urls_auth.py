"""Signing in and out, the start page, passwords and the second factor (mounted at the root)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from accounts import views_password

urlpatterns = [
    path("", account_views.home, name="home"),
    path("inloggen/", account_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/tweestaps/", include("accounts.two_factor")),
    path(
        "account/wachtwoord/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "account/wachtwoord/gewijzigd/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done_kwint.html"),
        name="password_change_done",
    ),
    path("wachtwoord-vergeten/", views_password.password_reset, name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_sent.html"),
        name="password_reset_done",
    ),
    # The user's UUID, never the sequential id, in every link that sets a password.
    path(
        "wachtwoord-vergeten/<uuid:code>/<token>/",
        views_password.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("uitnodiging/<uuid:code>/<token>/", views_password.InviteAcceptView.as_view(), name="invite_accept"),
    path(
        "wachtwoord-vergeten/klaar/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_finished.html"),
        name="password_reset_complete",
    ),
]
