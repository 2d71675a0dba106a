"""Forgotten password and invitation pages (no login needed).

A reset request gets the same answer, in the same time, whether the address is known or not:
the view only counts it and enqueues the e-mail task (accounts.tasks). Rate limits, through the
one client-address rule: per client address (a page saying so, which reveals nothing about
accounts) and per typed address (silently: no more mail, same answer).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import User
from accounts.passwords import invite_tokens, reset_tokens
from accounts.tasks import password_reset_mail
from kwint.lib.client_address import client_address
from kwint.lib.ratelimit import Limit

HOUR = 3600


def _per_address() -> Limit:
    return Limit("password-reset-per-address", settings.KWINT_PASSWORD_RESETS_PER_ADDRESS, HOUR)


def _per_email() -> Limit:
    return Limit("password-reset-per-email", settings.KWINT_PASSWORD_RESETS_PER_EMAIL, HOUR)


@login_not_required
@require_http_methods(["GET", "POST"])
def password_reset(request):
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = client_address(request)
        if not _per_address().hit(address):
            form.add_error(
                None,
                _(
                    "Er is vanaf deze verbinding te vaak een nieuw wachtwoord aangevraagd. Probeer het over een uur opnieuw."
                ),
            )
            return render(request, "registration/password_reset.html", {"form": form}, status=429)
        email = form.cleaned_data["email"].strip().lower()
        if _per_email().hit(email):
            password_reset_mail.delay(email=email)
        return redirect("password_reset_done")
    return render(request, "registration/password_reset.html", {"form": form})


class _ByCodeMixin:
    """The link names the user by UUID (the URL's `code`); Django's view expects `uidb64`."""

    def dispatch(self, *args, **kwargs):
        kwargs["uidb64"] = str(kwargs.pop("code"))
        return super().dispatch(*args, **kwargs)

    def get_user(self, uidb64):
        return User.objects.filter(code=uidb64, is_active=True).first()


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(_ByCodeMixin, auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_new.html"
    token_generator = reset_tokens


@method_decorator(login_not_required, name="dispatch")
class InviteAcceptView(_ByCodeMixin, auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_new.html"
    token_generator = invite_tokens
    extra_context = {"invitation": True}
