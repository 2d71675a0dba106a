"""Two-factor login (BIO): TOTP enrolment by QR code, single-use recovery codes, verification,
and the beheerder's reset. Built on django-otp; the middleware below makes it compulsory when
settings.KWINT_REQUIRE_2FA is on. Enrolment (first, or again after a reset) starts with a
one-time link from the user's own mailbox (accounts/enrolment.py): the password alone does not
let anyone attach their phone to an account.

Included from kwint/urls.py at /account/tweestaps/ (namespace "two_factor").
"""

from __future__ import annotations

import base64
import io
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, Resolver404, path, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access import get_user_for
from accounts.enrolment import (
    TooManyLinks,
    enrolment_allowed,
    enrolment_done,
    enrolment_link_open,
    enrolment_link_send,
)
from accounts.models import Role
from audit.models import Action, Result
from audit.services import access_log
from kwint.lib.access import role_required

app_name = "two_factor"

RECOVERY_CODE_COUNT = 10
_SESSION_CODES = "kwint_recovery_codes"

# Pages an authenticated user may open before the second factor is verified: without them
# nobody could enrol, verify, log out or give consent through a public link.
EXEMPT_URL_NAMES = {
    "login",
    "logout",
    "set_language",
    "healthz",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invite_accept",
    "two_factor:setup",
    "two_factor:enrol_send",
    "two_factor:enrol_link",
    "two_factor:verify",
    "two_factor:recovery_codes",
}
EXEMPT_PREFIXES = ("consent:public",)


def user_has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class TwoFactorMiddleware:
    """Sends an authenticated user whose session has no verified second factor to enrolment
    (no device yet) or to verification. Sits after OTPMiddleware, which sets is_verified()."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        unverified = user is not None and user.is_authenticated and not user.is_verified()
        if settings.KWINT_REQUIRE_2FA and unverified and not self._exempt(request):
            target = "two_factor:verify" if user_has_second_factor(user) else "two_factor:setup"
            url = reverse(target)
            if request.method == "GET":
                url += "?" + urlencode({"next": request.get_full_path()})
            return redirect(url)
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True  # a 404 reveals nothing
        name = match.view_name
        return name in EXEMPT_URL_NAMES or name.startswith(EXEMPT_PREFIXES)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


def qr_data_uri(text: str) -> str:
    """The QR code as an SVG data URI: an <img> the strict CSP allows (img-src data:)."""
    buffer = io.BytesIO()
    # A standalone SVG document (with its namespace), so the browser can decode it as an image.
    segno.make(text, error="m").save(buffer, kind="svg", scale=5, dark="#000", light="#fff", xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("De code van 6 cijfers uit uw authenticator-app, of een herstelcode."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].replace(" ", "").replace("-", "").strip().lower()


class ResetForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ik heb de identiteit van deze gebruiker gecontroleerd (bijvoorbeeld door terug te bellen)."),
        required=True,
        error_messages={"required": _("Bevestig dat u de identiteit van de gebruiker hebt gecontroleerd.")},
    )


def _new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with a fresh set; returned once, stored for checking."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=str(_("Herstelcodes")), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def _email_step(request, *, link_failed: bool = False, status: int = 200):
    """Before enrolment: the page that sends the one-time link to the user's mailbox."""
    context = {"next": _next_url(request), "link_failed": link_failed, "email": request.user.email}
    return render(request, "accounts/two_factor_email.html", context, status=status)


@require_POST
def enrol_send(request):
    """Mail a one-time enrolment link to the signed-in user's own address."""
    if user_has_second_factor(request.user):
        return redirect("two_factor:setup")
    try:
        enrolment_link_send(user=request.user, request=request)
    except TooManyLinks:
        messages.error(request, _("U heeft dit uur al te vaak een link gevraagd. Probeer het later opnieuw."))
        return _email_step(request, status=429)
    messages.success(
        request,
        _("We hebben een link gestuurd naar %(email)s. Open de link in deze browser; hij werkt één keer.")
        % {"email": request.user.email},
    )
    return redirect(reverse("two_factor:setup") + "?" + urlencode({"next": _next_url(request)}))


@require_GET
def enrol_link(request, token):
    """The link from the e-mail, opened while signed in: enrolment may start in this session."""
    if user_has_second_factor(request.user) or not enrolment_link_open(request=request, token=token):
        # Unknown, used, expired or someone else's link: the same page, and a new link on request.
        return _email_step(request, link_failed=True)
    return redirect("two_factor:setup")


@require_http_methods(["GET", "POST"])
def setup(request):
    """Enrolment: scan the QR code (or type the secret), confirm with one code. Only in a session
    that opened a one-time link from the user's mailbox."""
    user = request.user
    if user_has_second_factor(user):
        # Already enrolled: the overview with the recovery codes, or the second step first.
        target = "two_factor:recovery_codes" if user.is_verified() else "two_factor:verify"
        return redirect(reverse(target) + "?" + urlencode({"next": _next_url(request)}))
    if not enrolment_allowed(request):
        return _email_step(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Kwint", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user, confirmed=False).delete()
                codes = _new_recovery_codes(user)
                access_log(
                    request=request,
                    action=Action.SECURITY,
                    object_type="user",
                    object_code=str(user.code),
                    detail="tweede factor ingesteld",
                )
            otp_login(request, device)
            enrolment_done(request)
            request.session[_SESSION_CODES] = codes
            return redirect(reverse("two_factor:recovery_codes") + "?" + urlencode({"next": _next_url(request)}))
        form.add_error(
            "code", _("Deze code klopt niet. Controleer de tijd op uw telefoon en probeer de nieuwste code.")
        )
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr": qr_data_uri(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """Shows fresh recovery codes once. POST (when verified) makes a new set."""
    if request.method == "POST":
        if not request.user.is_verified():
            return redirect("two_factor:verify")
        with transaction.atomic():
            request.session[_SESSION_CODES] = _new_recovery_codes(request.user)
            access_log(
                request=request,
                action=Action.SECURITY,
                object_type="user",
                object_code=str(request.user.code),
                detail="nieuwe herstelcodes",
            )
        return redirect("two_factor:recovery_codes")
    codes = request.session.pop(_SESSION_CODES, None)
    remaining = StaticToken.objects.filter(device__user=request.user).count()
    return render(
        request,
        "accounts/two_factor_recovery.html",
        {
            "codes": codes,
            "remaining": remaining,
            "has_device": user_has_second_factor(request.user),
            "next": _next_url(request),
        },
    )


@require_http_methods(["GET", "POST"])
def verify(request):
    """Second step of login: a TOTP code or one recovery code (used up on success)."""
    if not user_has_second_factor(request.user):
        return redirect(reverse("two_factor:setup") + "?" + urlencode({"next": _next_url(request)}))
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                access_log(
                    request=request,
                    action=Action.SECURITY,
                    object_type="user",
                    object_code=str(request.user.code),
                    detail="ingelogd met herstelcode",
                )
                messages.warning(
                    request,
                    _("U hebt een herstelcode gebruikt; die werkt niet nog eens. Nog %(n)s over.")
                    % {"n": StaticToken.objects.filter(device__user=request.user).count()},
                )
            return redirect(_next_url(request))
        access_log(
            request=request,
            action=Action.LOGIN_FAILED,
            result=Result.DENIED,
            object_type="user",
            object_code=str(request.user.code),
            detail="verkeerde code tweede factor",
        )
        form.add_error("code", _("Deze code klopt niet, of is al gebruikt."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


def _user_page(user) -> str:
    try:
        return reverse("accounts:user_detail", args=[user.code])
    except NoReverseMatch:
        return reverse("accounts:users")


@require_POST
@role_required(Role.BEHEERDER)
def reset(request, code):
    """The beheerder removes a user's second factor (lost phone); the user enrols again at
    the next login. Re-confirmed with a checkbox and written to the access log."""
    # Through the beheer door: a beheerder resets only accounts they fully manage (404 outside
    # their region, 403 for someone who also works elsewhere), so a regional beheerder can
    # never take over a national account.
    target = get_user_for(request, code, account=True)
    form = ResetForm(request.POST)
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""
    back = back or _user_page(target)
    if not form.is_valid():
        messages.error(request, form.errors["confirm"][0])
        return redirect(back)
    with transaction.atomic():
        for device in devices_for_user(target, confirmed=None):
            device.delete()
        access_log(
            request=request,
            action=Action.SECURITY,
            object_type="user",
            object_code=str(target.code),
            detail="tweede factor gereset door beheerder",
        )
    messages.success(
        request,
        _(
            "De tweede factor van %(name)s is verwijderd. Bij de volgende keer inloggen stelt deze gebruiker een nieuwe in."
        )
        % {"name": target},
    )
    return redirect(back)


urlpatterns = [
    path("instellen/", setup, name="setup"),
    path("instellen/link-sturen/", enrol_send, name="enrol_send"),
    path("instellen/link/<str:token>/", enrol_link, name="enrol_link"),
    path("controleren/", verify, name="verify"),
    path("herstelcodes/", recovery_codes, name="recovery_codes"),
    path("<uuid:code>/herstellen/", reset, name="reset"),
]
