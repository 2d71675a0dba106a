from __future__ import annotations

import pytest
from django.urls import reverse

EXPECTED = {
    "zorg": "/jongeren/",
    "school_coach": "/coaching/caseload/",
    "coach": "/coaching/caseload/",
    "stagiair": "/coaching/caseload/",
    "coordinator": "/regio/",
    "beheerder": "/account/beheer/organisaties/",
    "matchtafel": "/account/start/",
}


@pytest.mark.parametrize("role,url", EXPECTED.items())
def test_each_role_lands_on_its_own_start_page(cast, login, role, url):
    client = login(getattr(cast, role))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == url
    assert client.get(url).status_code == 200


def test_login_with_wrong_password_shows_a_dutch_error_that_reveals_nothing(client, cast):
    response = client.post(reverse("login"), {"username": "zorg@kwint.test", "password": "fout"})
    assert response.status_code == 200
    assert "horen niet bij elkaar" in response.content.decode()
    unknown = client.post(reverse("login"), {"username": "niemand@kwint.test", "password": "fout"})
    assert unknown.content.decode().count("horen niet bij elkaar") == response.content.decode().count(
        "horen niet bij elkaar"
    )


def test_login_is_case_insensitive_on_email(client, cast, password):
    response = client.post(reverse("login"), {"username": "ZORG@kwint.test", "password": password})
    assert response.status_code == 302


def test_switching_membership_changes_the_start_page(cast, login):
    from accounts.models import Role
    from tests.factories import MembershipFactory

    second = MembershipFactory(user=cast.coordinator.user, organisation=cast.rmc, role=Role.COACH)
    client = login(cast.coordinator)
    client.post(reverse("accounts:switch", args=[second.code]))
    assert client.get(reverse("home"))["Location"] == "/coaching/caseload/"


def test_switching_to_someone_elses_membership_is_404(cast, login):
    client = login(cast.coordinator)
    assert client.post(reverse("accounts:switch", args=[cast.zorg.code])).status_code == 404


def test_a_user_without_membership_is_told_so(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("home")).status_code == 403


@pytest.mark.parametrize("role", ["zorg", "coach", "coordinator", "matchtafel"])
def test_beheer_pages_are_forbidden_to_other_roles(cast, login, role):
    client = login(getattr(cast, role))
    assert client.get(reverse("accounts:organisations")).status_code == 403


def test_without_a_choice_the_oldest_membership_is_active(cast, client):
    from accounts.models import Role
    from tests.factories import MembershipFactory

    MembershipFactory(user=cast.coordinator.user, organisation=cast.rmc, role=Role.COACH)
    client.force_login(cast.coordinator.user)
    assert client.get(reverse("home"))["Location"] == "/regio/"
