"""The functioneel beheerder sets up a new organisation and a coach, in the real pages."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.models import Membership, Organisation
from tests.browser.conftest import assert_accessible, browser_login

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_beheerder_creates_an_organisation_and_invites_a_coach(page, cast, password):
    browser_login(page, cast.beheerder.user.email, password)
    assert page.get_by_role("heading", level=1).inner_text() == "Organisaties"
    assert_accessible(page)

    page.get_by_role("link", name="Nieuwe organisatie").click()
    page.get_by_label("Naam").fill("Landstede MBO")
    page.get_by_label("Soort organisatie").select_option(label="mbo-school")
    page.get_by_label("Gemeente").select_option(label="Zwolle")
    assert_accessible(page)
    page.get_by_role("button", name="Organisatie aanmaken").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Landstede MBO")
    assert page.get_by_text("Organisatie Landstede MBO is aangemaakt.").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Iemand uitnodigen").click()
    page.get_by_label("Volledige naam").fill("Noor Yilmaz")
    page.get_by_label("E-mailadres").fill("noor@landstede.test")
    # The organisation we came from is preselected.
    assert page.get_by_label("Organisatie").locator("option:checked").inner_text() == "Landstede MBO"
    page.get_by_label("Rol", exact=False).first.select_option(label="Coach")
    page.get_by_label("Soort coach").select_option(label="Doorwerkcoach")
    page.get_by_label("Capaciteit").fill("20")
    assert_accessible(page)
    page.get_by_role("button", name="Uitnodiging versturen").click()

    assert page.get_by_role("heading", level=1).inner_text().startswith("Noor Yilmaz")
    roles = page.get_by_role("table", name="Rollen van Noor Yilmaz")
    assert roles.get_by_role("row").nth(1).inner_text().split("\t")[:4] == [
        "Landstede MBO",
        "Coach",
        "Doorwerkcoach",
        "20",
    ]
    assert_accessible(page)
    assert page.console_errors == []

    membership = Membership.objects.get(user__email="noor@landstede.test")
    assert (membership.organisation.name, membership.capacity) == ("Landstede MBO", 20)
    assert Organisation.objects.get(name="Landstede MBO").region == cast.region
    assert [m.to for m in mail.outbox] == [["noor@landstede.test"]]


def test_the_user_list_and_region_pages_are_accessible(page, cast, password):
    browser_login(page, cast.beheerder.user.email, password)
    page.get_by_role("link", name="Gebruikers").click()
    page.get_by_label("Zoek op naam of e-mailadres").fill("coach")
    page.get_by_role("button", name="Filteren").click()
    assert page.get_by_role("cell", name="coach@kwint.test", exact=True).is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Regio's").click()
    assert_accessible(page)
    page.get_by_role("link", name="IJssel-Vecht").click()
    assert_accessible(page)
    assert page.console_errors == []
