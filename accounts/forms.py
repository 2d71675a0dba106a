from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """E-mail login. The error never says whether the account exists."""

    username = forms.EmailField(
        label=_("E-mailadres"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "Dit e-mailadres en wachtwoord horen niet bij elkaar. Controleer ze en probeer het opnieuw."
        ),
        "inactive": _("Dit e-mailadres en wachtwoord horen niet bij elkaar. Controleer ze en probeer het opnieuw."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()
