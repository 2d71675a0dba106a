"""Two-factor login: enrolment by QR code, recovery codes, verification, the beheerder's reset,
and both values of KWINT_REQUIRE_2FA."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AccessLogEntry, Action
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def require_2fa(settings):
    settings.KWINT_REQUIRE_2FA = True
    return settings


def _password_login(client, membership):
    response = client.post(reverse("login"), {"username": membership.user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _enrol(client):
    client.get(reverse("two_factor:setup"))
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(reverse("two_factor:setup"), {"code": _current_code(device), "next": "/"})
    return device, response


def test_it_sends_a_user_without_device_to_enrolment(client, cast, require_2fa):
    _password_login(client, cast.coach)
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:setup"))


def test_enrolment_shows_a_qr_image_and_the_secret_without_inline_script(client, cast, require_2fa):
    _password_login(client, cast.coach)
    response = client.get(reverse("two_factor:setup"))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', html)
    assert 'id="totp-secret"' in html
    assert "<script>" not in html and 'style="' not in html


def test_a_wrong_code_does_not_confirm_the_device(client, cast, require_2fa):
    _password_login(client, cast.coach)
    client.get(reverse("two_factor:setup"))
    response = client.post(reverse("two_factor:setup"), {"code": "000000"})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_enrolment_confirms_and_shows_ten_recovery_codes_once(client, cast, require_2fa):
    _password_login(client, cast.coach)
    device, response = _enrol(client)
    device.refresh_from_db()
    assert device.confirmed
    assert response["Location"].startswith(reverse("two_factor:recovery_codes"))
    page = client.get(reverse("two_factor:recovery_codes")).content.decode()
    tokens = list(StaticToken.objects.filter(device__user=cast.coach.user).values_list("token", flat=True))
    assert len(tokens) == 10
    assert all(t in page for t in tokens)
    again = client.get(reverse("two_factor:recovery_codes")).content.decode()
    assert not any(t in again for t in tokens)
    # Verified now: the app opens.
    assert client.get(reverse("password_change")).status_code == 200
    assert AccessLogEntry.objects.filter(action=Action.SECURITY, detail="tweede factor ingesteld").count() == 1


def test_next_login_asks_for_the_code_and_accepts_a_recovery_code_once(client, cast, require_2fa):
    _password_login(client, cast.coach)
    _enrol(client)
    token = StaticToken.objects.filter(device__user=cast.coach.user).first().token
    client.post(reverse("logout"))

    _password_login(client, cast.coach)
    response = client.get(reverse("password_change"))
    assert response["Location"].startswith(reverse("two_factor:verify"))
    response = client.post(reverse("two_factor:verify"), {"code": token, "next": "/account/wachtwoord/"})
    assert response.status_code == 302 and response["Location"] == "/account/wachtwoord/"
    assert client.get(reverse("password_change")).status_code == 200
    assert not StaticToken.objects.filter(token=token).exists()

    client.post(reverse("logout"))
    _password_login(client, cast.coach)
    response = client.post(reverse("two_factor:verify"), {"code": token})
    assert response.status_code == 200
    assert "klopt niet" in response.content.decode()
    assert AccessLogEntry.objects.filter(action=Action.LOGIN_FAILED, detail__contains="tweede factor").exists()


def test_verification_with_the_authenticator_code(client, cast, require_2fa):
    _password_login(client, cast.coach)
    device, _ = _enrol(client)
    client.post(reverse("logout"))
    _password_login(client, cast.coach)
    device.refresh_from_db()
    # The code just used for enrolment may not be replayed; the next time step is valid.
    code = f"{totp(device.bin_key, device.step, device.t0 - device.step, device.digits, device.drift):06d}"
    response = client.post(reverse("two_factor:verify"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("password_change")).status_code == 200


def test_only_login_logout_and_public_pages_pass_unverified(client, cast, require_2fa):
    _password_login(client, cast.coach)
    assert client.get(reverse("two_factor:setup")).status_code == 200
    assert client.get(reverse("login")).status_code in {200, 302}
    for name in ("home", "password_change", "privacy:log"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/account/tweestaps/" in response["Location"], name
    assert client.get(reverse("consent:public_done")).status_code == 200  # the young person's pages
    assert client.get(reverse("password_reset")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_without_the_setting_no_second_factor_is_asked(client, cast, settings):
    settings.KWINT_REQUIRE_2FA = False
    _password_login(client, cast.coach)
    assert client.get(reverse("password_change")).status_code == 200


# --- the beheerder's reset ---------------------------------------------------------------------


def _device_for(user):
    device = TOTPDevice.objects.create(user=user, name="Kwint", confirmed=True)
    return device


def test_beheerder_resets_a_users_second_factor_and_it_is_logged(login, cast):
    _device_for(cast.coach.user)
    client = login(cast.beheerder)
    url = reverse("two_factor:reset", args=[cast.coach.user.code])
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.coach.user).exists()
    entry = AccessLogEntry.objects.filter(action=Action.SECURITY).latest("id")
    assert entry.object_code == str(cast.coach.user.code) and entry.actor == cast.beheerder.user


def test_reset_needs_the_reconfirmation(login, cast):
    _device_for(cast.coach.user)
    client = login(cast.beheerder)
    client.post(reverse("two_factor:reset", args=[cast.coach.user.code]), {})
    assert TOTPDevice.objects.filter(user=cast.coach.user).exists()


@pytest.mark.parametrize("role", ["coordinator", "zorg", "coach"])
def test_only_the_beheerder_may_reset(login, cast, role):
    _device_for(cast.coach.user)
    response = login(getattr(cast, role)).post(
        reverse("two_factor:reset", args=[cast.coach.user.code]), {"confirm": "on"}
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=cast.coach.user).exists()


def test_a_beheerder_cannot_reset_someone_outside_their_region(login, cast):
    _device_for(cast.outsider_coach.user)
    response = login(cast.beheerder).post(
        reverse("two_factor:reset", args=[cast.outsider_coach.user.code]), {"confirm": "on"}
    )
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=cast.outsider_coach.user).exists()


def test_a_regional_beheerder_cannot_reset_someone_who_also_works_elsewhere(login, cast):
    from accounts.models import Role
    from tests.factories import MembershipFactory

    MembershipFactory(user=cast.coach.user, organisation=cast.other_rmc, role=Role.COACH)
    _device_for(cast.coach.user)
    response = login(cast.beheerder).post(reverse("two_factor:reset", args=[cast.coach.user.code]), {"confirm": "on"})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=cast.coach.user).exists()


def test_reset_refuses_get_and_unknown_users(login, cast):
    import uuid

    client = login(cast.beheerder)
    assert client.get(reverse("two_factor:reset", args=[cast.coach.user.code])).status_code == 405
    assert client.post(reverse("two_factor:reset", args=[uuid.uuid4()]), {"confirm": "on"}).status_code == 404


def test_the_user_security_block_renders_for_the_beheerder_page(rf, cast):
    from django.template.loader import render_to_string

    _device_for(cast.coach.user)
    request = rf.get("/account/beheer/gebruikers/")
    url = reverse("two_factor:reset", args=[cast.coach.user.code])
    context = {"managed_user": cast.coach.user, "can_change_account": True}
    assert url in render_to_string("accounts/_user_security.html", context, request=request)
    # Someone the beheerder does not fully manage: the block says so, without the button.
    context["can_change_account"] = False
    assert url not in render_to_string("accounts/_user_security.html", context, request=request)
