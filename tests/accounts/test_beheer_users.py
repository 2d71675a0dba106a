"""Users and memberships on the beheer pages: list, invite, edit, deactivate, roles."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership, Role
from accounts.selectors import memberships_of
from audit.models import AccessLogEntry
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory

User = get_user_model()


def emails(response) -> set[str]:
    return {u.email for u in response.context["users"]}


# --- list ---------------------------------------------------------------------------------


def test_the_list_shows_only_users_with_a_role_in_the_region(cast, login):
    listed = emails(login(cast.beheerder).get(reverse("accounts:users")))
    assert {"zorg@kwint.test", "coach@kwint.test", "wsp@kwint.test", "beheer@kwint.test"} <= listed
    assert not listed & {"zorg.elders@kwint.test", "coach.elders@kwint.test", "rmc.elders@kwint.test"}


def test_a_user_with_roles_in_two_regions_shows_only_the_managed_role(cast, login):
    MembershipFactory(user=cast.outsider_coach.user, organisation=cast.school, role=Role.COACH)
    response = login(cast.beheerder).get(reverse("accounts:users"), {"q": "coach.elders"})
    (user,) = response.context["users"]
    assert [m.organisation for m in user.managed_memberships] == [cast.school]


def test_the_list_searches_and_filters(cast, login):
    client = login(cast.beheerder)
    assert emails(client.get(reverse("accounts:users"), {"q": "ZORG@"})) == {"zorg@kwint.test"}
    by_org = emails(client.get(reverse("accounts:users"), {"organisation": cast.school.code}))
    assert by_org == {"zorg@kwint.test", "doorwerk@kwint.test"}
    by_role = emails(client.get(reverse("accounts:users"), {"role": Role.COORDINATOR}))
    assert by_role == {"rmc@kwint.test", "gemeente@kwint.test"}
    cast.stagiair.user.is_active = False
    cast.stagiair.user.save()
    assert emails(client.get(reverse("accounts:users"), {"active": "0"})) == {"stagiair@kwint.test"}


def test_filtering_on_another_regions_organisation_shows_nothing_of_it(cast, login):
    response = login(cast.beheerder).get(reverse("accounts:users"), {"organisation": cast.other_rmc.code})
    assert "coach.elders@kwint.test" not in emails(response)


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("accounts:users")).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_queries_for_few_and_many_users(cast, login):
    client = login(cast.beheerder)
    small = _list_queries(client)
    for _ in range(20):
        membership = MembershipFactory(organisation=cast.school, role=Role.COACH)
        MembershipFactory(user=membership.user, organisation=cast.rmc, role=Role.STAGIAIR)
    assert _list_queries(client) == small


# --- invite -------------------------------------------------------------------------------


def invite_data(cast, **overrides):
    data = {
        "full_name": "Noor Yilmaz",
        "email": "Noor.Yilmaz@Kwint.test",
        "phone": "06-12345678",
        "language": "nl",
        "organisation": cast.school.pk,
        "role": Role.COACH,
        "coach_kind": "doorwerkcoach",
        "capacity": "20",
    }
    data.update(overrides)
    return data


def test_invite_creates_the_user_with_a_role_and_mails_a_password_link(cast, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.beheerder).post(reverse("accounts:user_invite"), invite_data(cast))
    user = User.objects.get(email="noor.yilmaz@kwint.test")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[user.code])
    assert not user.has_usable_password()
    membership = user.memberships.get()
    assert (membership.organisation, membership.role, membership.coach_kind, membership.capacity) == (
        cast.school,
        Role.COACH,
        "doorwerkcoach",
        20,
    )
    (message,) = mail.outbox
    assert message.to == ["noor.yilmaz@kwint.test"]
    assert "wachtwoord" in message.subject
    assert "Beste Noor Yilmaz" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    link = re.search(r"https?://\S+/uitnodiging/\S+/", message.body).group(0)
    assert link in html
    assert AccessLogEntry.objects.filter(object_code=str(user.code), action="create", object_type="user").exists()
    assert AccessLogEntry.objects.filter(object_code=str(membership.code), object_type="membership").exists()


def test_the_invite_link_lets_the_user_set_a_password_and_log_in(cast, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.beheerder).post(reverse("accounts:user_invite"), invite_data(cast))
    path = re.search(r"https?://[^/]+(/uitnodiging/\S+/)", mail.outbox[0].body).group(1)
    browser = Client()
    form_page = browser.get(path, follow=True)
    assert form_page.status_code == 200
    new_password = "lange-zin-om-te-onthouden-2026"
    done = browser.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    user = User.objects.get(email="noor.yilmaz@kwint.test")
    assert user.check_password(new_password)
    # Single use: the token covered the old (unusable) password hash.
    assert browser.get(path, follow=True).context["validlink"] is False


def test_the_invite_mail_speaks_the_invited_users_language(cast, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.beheerder).post(reverse("accounts:user_invite"), invite_data(cast, language="en"))
    assert mail.outbox[0].to == ["noor.yilmaz@kwint.test"]


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"full_name": ""}, "full_name", "Dit veld is verplicht."),
        ({"email": "geen-adres"}, "email", "geldig e-mailadres"),
        ({"email": "ZORG@kwint.test"}, "email", "Er bestaat al een account met dit e-mailadres"),
        ({"coach_kind": ""}, "coach_kind", "Kies wat voor coach"),
        ({"role": Role.MATCHTAFEL, "coach_kind": ""}, "capacity", "alleen voor de rollen coach en stagiair"),
        ({"capacity": "0"}, "capacity", "minstens 1"),
        ({"role": "baas"}, "role", "Selecteer een geldige keuze"),
    ],
)
def test_invite_with_bad_input_shows_dutch_errors_and_writes_nothing(
    cast, login, django_capture_on_commit_callbacks, overrides, field, message
):
    users_before = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.beheerder).post(reverse("accounts:user_invite"), invite_data(cast, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert User.objects.count() == users_before
    assert mail.outbox == []


def test_invite_into_another_regions_organisation_is_refused(cast, login):
    response = login(cast.beheerder).post(
        reverse("accounts:user_invite"), invite_data(cast, organisation=cast.other_rmc.pk)
    )
    assert "Selecteer een geldige keuze" in " ".join(response.context["form"].errors["organisation"])
    assert not User.objects.filter(email="noor.yilmaz@kwint.test").exists()


def test_invite_from_an_organisation_page_preselects_it(cast, login):
    response = login(cast.beheerder).get(reverse("accounts:user_invite"), {"organisatie": cast.wsp.code})
    assert response.context["form"].initial["organisation"] == cast.wsp
    response = login(cast.beheerder).get(reverse("accounts:user_invite"), {"organisatie": cast.other_rmc.code})
    assert response.context["form"].initial["organisation"] is None


def test_the_invite_can_be_sent_again_while_no_password_is_set(cast, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.beheerder).post(reverse("accounts:user_invite"), invite_data(cast))
    user = User.objects.get(email="noor.yilmaz@kwint.test")
    page = login(cast.beheerder).get(reverse("accounts:user_detail", args=[user.code]))
    assert "Uitnodiging opnieuw versturen" in page.content.decode()
    login(cast.beheerder).post(reverse("accounts:user_resend_invite", args=[user.code]))
    assert len(mail.outbox) == 2


# --- detail and edit ----------------------------------------------------------------------


def test_the_detail_page_shows_roles_and_the_security_block(cast, login):
    MembershipFactory(user=cast.coach.user, organisation=cast.other_rmc, role=Role.COACH)
    html = login(cast.beheerder).get(reverse("accounts:user_detail", args=[cast.coach.user.code])).content.decode()
    assert "RMC IJssel-Vecht" in html
    assert "Doorstroompunt Rijnland" in html and "Andere regio" in html
    assert "Toegang en beveiliging" in html


def test_edit_changes_name_email_and_language(cast, login):
    user = cast.coach.user
    response = login(cast.beheerder).post(
        reverse("accounts:user_edit", args=[user.code]),
        {"full_name": "Jamal El Amrani", "email": "J.Amrani@kwint.test", "phone": "", "language": "en"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.email, user.language) == ("Jamal El Amrani", "j.amrani@kwint.test", "en")
    assert AccessLogEntry.objects.filter(object_code=str(user.code), action="change").exists()


def test_edit_refuses_an_email_of_someone_else(cast, login):
    user = cast.coach.user
    response = login(cast.beheerder).post(
        reverse("accounts:user_edit", args=[user.code]),
        {"full_name": "X", "email": "Zorg@kwint.test", "language": "nl"},
    )
    assert "Er bestaat al een account" in " ".join(response.context["form"].errors["email"])
    user.refresh_from_db()
    assert user.email == "coach@kwint.test"


# --- deactivate ---------------------------------------------------------------------------


def test_a_deactivated_user_is_logged_out_and_cannot_log_in(cast, login):
    coach = Client()
    assert coach.post(reverse("login"), {"username": "coach@kwint.test", "password": PASSWORD}).status_code == 302
    assert coach.get(reverse("accounts:start")).status_code == 200

    response = login(cast.beheerder).post(
        reverse("accounts:user_set_active", args=[cast.coach.user.code]), {"active": "0"}
    )
    assert response.status_code == 302
    cast.coach.user.refresh_from_db()
    assert not cast.coach.user.is_active
    # The open session is gone...
    assert coach.get(reverse("accounts:start"))["Location"].startswith("/inloggen/")
    # ...and a new login is refused with the same neutral message.
    again = Client().post(reverse("login"), {"username": "coach@kwint.test", "password": PASSWORD})
    assert again.status_code == 200
    assert "horen niet bij elkaar" in again.content.decode()
    entry = AccessLogEntry.objects.get(object_code=str(cast.coach.user.code), action="security")
    assert entry.detail == "gedeactiveerd; 1 sessies beëindigd"


def test_a_deactivated_user_can_be_reactivated(cast, login):
    client = login(cast.beheerder)
    client.post(reverse("accounts:user_set_active", args=[cast.coach.user.code]), {"active": "0"})
    client.post(reverse("accounts:user_set_active", args=[cast.coach.user.code]), {"active": "1"})
    cast.coach.user.refresh_from_db()
    assert cast.coach.user.is_active


def test_a_beheerder_cannot_deactivate_themselves(cast, login):
    response = login(cast.beheerder).post(
        reverse("accounts:user_set_active", args=[cast.beheerder.user.code]), {"active": "0"}, follow=True
    )
    cast.beheerder.user.refresh_from_db()
    assert cast.beheerder.user.is_active
    assert "eigen account niet deactiveren" in response.content.decode()


# --- memberships --------------------------------------------------------------------------


def test_adding_a_role_gives_the_user_a_second_organisation(cast, login):
    response = login(cast.beheerder).post(
        reverse("accounts:membership_add", args=[cast.zorg.user.code]),
        {"organisation": cast.gemeente.pk, "role": Role.COACH, "coach_kind": "consulent", "capacity": "100"},
    )
    assert response.status_code == 302
    added = Membership.objects.get(user=cast.zorg.user, organisation=cast.gemeente)
    assert (added.role, added.coach_kind, added.capacity) == (Role.COACH, "consulent", 100)
    assert memberships_of(cast.zorg.user).count() == 2


def test_adding_the_same_role_twice_is_a_dutch_field_error(cast, login):
    response = login(cast.beheerder).post(
        reverse("accounts:membership_add", args=[cast.coach.user.code]),
        {"organisation": cast.rmc.pk, "role": Role.COACH, "coach_kind": "jobcoach", "capacity": "10"},
    )
    assert response.status_code == 200
    assert "heeft deze rol al bij deze organisatie" in " ".join(response.context["form"].errors["role"])
    assert Membership.objects.filter(user=cast.coach.user).count() == 1


def test_the_service_refuses_a_duplicate_even_without_the_form(cast):
    from django.core.exceptions import ValidationError

    from accounts.services import membership_add

    with pytest.raises(ValidationError) as error:
        membership_add(user=cast.coach.user, organisation=cast.rmc, role=Role.COACH)
    assert "role" in error.value.message_dict


def test_editing_a_role_changes_capacity_and_kind(cast, login):
    response = login(cast.beheerder).post(
        reverse("accounts:membership_edit", args=[cast.coach.code]),
        {"role": Role.COACH, "coach_kind": "trajectbegeleider", "capacity": "45"},
    )
    assert response.status_code == 302
    cast.coach.refresh_from_db()
    assert (cast.coach.coach_kind, cast.coach.capacity, cast.coach.organisation) == ("trajectbegeleider", 45, cast.rmc)


def test_editing_a_role_cannot_move_it_to_another_organisation(cast, login):
    login(cast.beheerder).post(
        reverse("accounts:membership_edit", args=[cast.coach.code]),
        {"organisation": cast.school.pk, "role": Role.COACH, "coach_kind": "jobcoach", "capacity": "45"},
    )
    cast.coach.refresh_from_db()
    assert cast.coach.organisation == cast.rmc


def test_editing_a_role_into_an_existing_one_is_refused(cast, login):
    response = login(cast.beheerder).post(
        reverse("accounts:membership_edit", args=[cast.stagiair.code]), {"role": Role.STAGIAIR}
    )
    assert response.status_code == 302
    second = MembershipFactory(user=cast.stagiair.user, organisation=cast.rmc, role=Role.COACH)
    response = login(cast.beheerder).post(
        reverse("accounts:membership_edit", args=[second.code]), {"role": Role.STAGIAIR}
    )
    assert "heeft deze rol al" in " ".join(response.context["form"].errors["role"])


def test_changing_a_coach_into_a_coordinator_clears_coach_fields(cast, login):
    login(cast.beheerder).post(reverse("accounts:membership_edit", args=[cast.coach.code]), {"role": Role.COORDINATOR})
    cast.coach.refresh_from_db()
    assert (cast.coach.role, cast.coach.coach_kind, cast.coach.capacity) == (Role.COORDINATOR, "", None)


def test_ending_a_role_takes_it_out_of_use_and_keeps_it(cast, login):
    response = login(cast.beheerder).post(
        reverse("accounts:membership_set_active", args=[cast.stagiair.code]), {"active": "0"}
    )
    assert response.status_code == 302
    cast.stagiair.refresh_from_db()
    assert not cast.stagiair.is_active
    assert not memberships_of(cast.stagiair.user).exists()
    login(cast.beheerder).post(reverse("accounts:membership_set_active", args=[cast.stagiair.code]), {"active": "1"})
    cast.stagiair.refresh_from_db()
    assert cast.stagiair.is_active


def test_a_beheerder_cannot_end_the_role_they_work_in(cast, login):
    login(cast.beheerder).post(reverse("accounts:membership_set_active", args=[cast.beheerder.code]), {"active": "0"})
    cast.beheerder.refresh_from_db()
    assert cast.beheerder.is_active


def test_roles_in_another_region_are_shown_but_not_changeable(cast, login):
    foreign = MembershipFactory(user=cast.coach.user, organisation=cast.other_rmc, role=Role.COACH)
    client = login(cast.beheerder)
    assert client.get(reverse("accounts:membership_edit", args=[foreign.code])).status_code == 404
    assert (
        client.post(reverse("accounts:membership_set_active", args=[foreign.code]), {"active": "0"}).status_code == 404
    )
    foreign.refresh_from_db()
    assert foreign.is_active


def test_a_new_inactive_organisation_is_not_offered_for_roles(cast, login):
    closed = OrganisationFactory(region=cast.region, name="Gesloten school", is_active=False)
    form = login(cast.beheerder).get(reverse("accounts:membership_add", args=[cast.coach.user.code])).context["form"]
    assert closed not in form.fields["organisation"].queryset


def test_a_failing_mail_server_keeps_the_account_and_offers_a_resend(
    cast, login, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail import EmailMultiAlternatives

    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.beheerder).post(reverse("accounts:user_invite"), invite_data(cast))
    assert response.status_code == 302
    user = User.objects.get(email="noor.yilmaz@kwint.test")
    assert "Uitnodiging opnieuw versturen" in login(cast.beheerder).get(response["Location"]).content.decode()
    assert not AccessLogEntry.objects.filter(object_code=str(user.code), detail="uitnodiging verstuurd").exists()


def test_the_role_filter_only_looks_at_roles_in_the_region(cast, login):
    # The RMC coordinator of IJssel-Vecht also coaches in Rijnland: filtering on "coach" here
    # must not reveal that.
    MembershipFactory(user=cast.coordinator.user, organisation=cast.other_rmc, role=Role.COACH)
    listed = emails(login(cast.beheerder).get(reverse("accounts:users"), {"role": Role.COACH}))
    assert "rmc@kwint.test" not in listed
    assert "coach@kwint.test" in listed


# --- accounts shared with another region --------------------------------------------------


@pytest.mark.parametrize("name", ["user_edit", "user_set_active", "user_resend_invite"])
def test_a_regional_beheerder_cannot_change_the_account_of_someone_who_also_works_elsewhere(cast, login, name):
    MembershipFactory(user=cast.coach.user, organisation=cast.other_rmc, role=Role.COACH)
    client = login(cast.beheerder)
    url = reverse(f"accounts:{name}", args=[cast.coach.user.code])
    data = {"full_name": "X", "email": "kaping@kwint.test", "language": "nl", "active": "0"}
    if name == "user_edit":
        assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    cast.coach.user.refresh_from_db()
    assert (cast.coach.user.email, cast.coach.user.is_active) == ("coach@kwint.test", True)
    # The page itself stays readable, with the reason, and the own region's role is manageable.
    page = client.get(reverse("accounts:user_detail", args=[cast.coach.user.code]))
    assert "wijzigt een landelijk beheerder" in page.content.decode()
    assert (
        client.post(reverse("accounts:membership_set_active", args=[cast.coach.code]), {"active": "0"}).status_code
        == 302
    )


def test_a_regional_beheerder_cannot_touch_a_national_beheerders_account_or_roles(cast, login, global_beheerder):
    client = login(cast.beheerder)
    assert (
        client.post(
            reverse("accounts:user_edit", args=[global_beheerder.user.code]),
            {"full_name": "X", "email": "kaping@kwint.test", "language": "nl"},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("accounts:membership_set_active", args=[global_beheerder.code]), {"active": "0"}
        ).status_code
        == 403
    )
    global_beheerder.refresh_from_db()
    global_beheerder.user.refresh_from_db()
    assert global_beheerder.is_active and global_beheerder.user.email == "landelijk@kwint.test"


def test_a_national_beheerder_changes_any_account(cast, login, global_beheerder):
    MembershipFactory(user=cast.coach.user, organisation=cast.other_rmc, role=Role.COACH)
    response = login(global_beheerder).post(
        reverse("accounts:user_edit", args=[cast.coach.user.code]),
        {"full_name": "Jamal", "email": "jamal@kwint.test", "language": "nl"},
    )
    assert response.status_code == 302
    cast.coach.user.refresh_from_db()
    assert cast.coach.user.email == "jamal@kwint.test"
