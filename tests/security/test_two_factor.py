"""Two-factor login: enrolment by QR code, recovery codes, verification, the beheerder's reset,
and both values of KWINT_REQUIRE_2FA."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client, TestCase
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


def _open_enrolment_link(client) -> str:
    """Ask for the one-time link and open it, as the signed-in user would from their mailbox."""
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("two_factor:enrol_send"))
    (message,) = mail.outbox
    path = re.search(r"https?://[^/\s]+(/account/tweestaps/instellen/link/\S+/)", message.body).group(1)
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == reverse("two_factor:setup")
    return path


def _enrol(client):
    _open_enrolment_link(client)
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
    _open_enrolment_link(client)
    response = client.get(reverse("two_factor:setup"))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', html)
    assert 'id="totp-secret"' in html
    assert "<script>" not in html and 'style="' not in html


# --- enrolment needs the mailbox, not only the password ---------------------------------------


def test_the_password_alone_cannot_enrol_a_second_factor(client, cast, require_2fa):
    _password_login(client, cast.coach)
    page = client.get(reverse("two_factor:setup"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Stuur mij de link" in html and cast.coach.user.email in html
    assert "totp-secret" not in html and "data:image/svg" not in html
    # Posting a code straight away does nothing either: no device, nothing confirmed.
    client.post(reverse("two_factor:setup"), {"code": "123456"})
    assert not TOTPDevice.objects.filter(user=cast.coach.user).exists()


def test_the_link_goes_to_the_users_own_address_and_is_logged(
    client, cast, require_2fa, django_capture_on_commit_callbacks
):
    _password_login(client, cast.coach)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("two_factor:enrol_send"))
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [cast.coach.user.email]
    assert "60 minuten" in message.body
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    assert AccessLogEntry.objects.filter(
        action=Action.SECURITY, object_code=str(cast.coach.user.code), detail__contains="link voor instellen"
    ).exists()


def test_the_link_works_once(client, cast, require_2fa):
    _password_login(client, cast.coach)
    path = _open_enrolment_link(client)
    other_session = Client()
    _password_login(other_session, cast.coach)
    page = other_session.get(path)
    assert "Deze link werkt niet (meer)" in page.content.decode()
    assert "totp-secret" not in other_session.get(reverse("two_factor:setup")).content.decode()


def test_the_link_expires_after_an_hour(client, cast, require_2fa):
    import datetime as dt

    from django.utils import timezone

    from accounts.models import EnrolmentLink

    _password_login(client, cast.coach)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("two_factor:enrol_send"))
    link = EnrolmentLink.objects.get(user=cast.coach.user)
    assert link.expires_at - link.created_at == dt.timedelta(hours=1)
    EnrolmentLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    path = re.search(r"https?://[^/\s]+(/account/tweestaps/\S+/)", mail.outbox[0].body).group(1)
    assert "Deze link werkt niet (meer)" in client.get(path).content.decode()


def test_someone_elses_link_does_not_work_and_is_not_used_up(client, cast, require_2fa):
    victim = Client()
    _password_login(victim, cast.coach)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        victim.post(reverse("two_factor:enrol_send"))
    path = re.search(r"https?://[^/\s]+(/account/tweestaps/\S+/)", mail.outbox[0].body).group(1)
    _password_login(client, cast.zorg)
    assert "Deze link werkt niet (meer)" in client.get(path).content.decode()
    # The owner can still use it.
    assert victim.get(path)["Location"] == reverse("two_factor:setup")


def test_asking_for_links_is_limited(client, cast, require_2fa, settings):
    settings.KWINT_ENROLMENT_LINKS_PER_HOUR = 2
    _password_login(client, cast.coach)
    assert client.post(reverse("two_factor:enrol_send")).status_code == 302
    assert client.post(reverse("two_factor:enrol_send")).status_code == 302
    assert client.post(reverse("two_factor:enrol_send")).status_code == 429


def test_after_a_reset_by_the_beheerder_enrolling_again_needs_a_new_link(client, cast, require_2fa, login):
    _password_login(client, cast.coach)
    _enrol(client)
    client.post(reverse("logout"))
    require_2fa.KWINT_REQUIRE_2FA = False  # the beheerder's own second factor is not the point here
    login(cast.beheerder).post(reverse("two_factor:reset", args=[cast.coach.user.code]), {"confirm": "on"})
    require_2fa.KWINT_REQUIRE_2FA = True
    assert not TOTPDevice.objects.filter(user=cast.coach.user).exists()
    coach = Client()
    _password_login(coach, cast.coach)
    html = coach.get(reverse("two_factor:setup")).content.decode()
    assert "Stuur mij de link" in html and "totp-secret" not in html


def test_a_wrong_code_does_not_confirm_the_device(client, cast, require_2fa):
    _password_login(client, cast.coach)
    _open_enrolment_link(client)
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
