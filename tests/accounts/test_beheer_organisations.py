"""Organisations on the beheer pages: list, create, edit, detail, (de)activate, delete."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Membership, Organisation, Role
from accounts.selectors import memberships_of
from audit.models import AccessLogEntry
from tests.factories import MembershipFactory, MunicipalityFactory, OrganisationFactory, StudentFactory


def names(response) -> list[str]:
    return [o.name for o in response.context["organisations"]]


def test_the_list_shows_only_the_beheerders_region(cast, login):
    response = login(cast.beheerder).get(reverse("accounts:organisations"))
    assert set(names(response)) == {"ROC IJsselland", "RMC IJssel-Vecht", "Gemeente Zwolle", "WSP IJssel-Vecht"}


def test_a_national_beheerder_sees_every_region(cast, login, global_beheerder):
    response = login(global_beheerder).get(reverse("accounts:organisations"))
    assert {"mbo Rijnstreek", "Doorstroompunt Rijnland", "ROC IJsselland"} <= set(names(response))


def test_the_list_filters_by_kind_search_and_status(cast, login):
    client = login(cast.beheerder)
    assert names(client.get(reverse("accounts:organisations"), {"kind": "school"})) == ["ROC IJsselland"]
    assert names(client.get(reverse("accounts:organisations"), {"q": "zwol"})) == ["Gemeente Zwolle"]
    cast.wsp.is_active = False
    cast.wsp.save()
    assert names(client.get(reverse("accounts:organisations"), {"active": "0"})) == ["WSP IJssel-Vecht"]


def test_the_list_filters_by_region_and_ignores_a_foreign_region(cast, login, global_beheerder):
    other = cast.other_school.region
    response = login(global_beheerder).get(reverse("accounts:organisations"), {"region": other.code})
    assert set(names(response)) == {"mbo Rijnstreek", "Doorstroompunt Rijnland"}
    # A regional beheerder cannot pick another region: the filter is invalid, the scope holds.
    response = login(cast.beheerder).get(reverse("accounts:organisations"), {"region": other.code})
    assert "mbo Rijnstreek" not in names(response)


def test_the_list_shows_active_member_counts(cast, login):
    response = login(cast.beheerder).get(reverse("accounts:organisations"))
    counts = {o.name: o.member_count for o in response.context["organisations"]}
    assert counts["RMC IJssel-Vecht"] == 4  # coach, stagiair, coordinator, beheerder
    assert counts["WSP IJssel-Vecht"] == 1


def test_the_list_is_paginated(cast, login):
    for i in range(30):
        OrganisationFactory(region=cast.region, name=f"School {i:02d}")
    client = login(cast.beheerder)
    first = client.get(reverse("accounts:organisations"), {"kind": "school"})
    assert len(names(first)) == 25
    second = client.get(reverse("accounts:organisations"), {"kind": "school", "pagina": 2})
    assert len(names(second)) == 6
    assert "kind=school&amp;pagina=2" in first.content.decode()


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("accounts:organisations")).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_queries_for_3_and_30_organisations(cast, login):
    client = login(cast.beheerder)
    small = _list_queries(client)
    for i in range(26):
        org = OrganisationFactory(region=cast.region, municipality=cast.municipality, name=f"Org {i:02d}")
        MembershipFactory(organisation=org)
    assert Organisation.objects.filter(region=cast.region).count() == 30
    assert _list_queries(client) == small


def test_create_makes_the_organisation_and_logs_it(cast, login):
    client = login(cast.beheerder)
    response = client.post(
        reverse("accounts:organisation_create"),
        {"name": " Landstede MBO ", "kind": "school", "region": cast.region.pk, "municipality": cast.municipality.pk},
    )
    organisation = Organisation.objects.get(name="Landstede MBO")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:organisation_detail", args=[organisation.code])
    assert organisation.region == cast.region
    entry = AccessLogEntry.objects.get(object_code=str(organisation.code))
    assert (entry.action, entry.object_type, entry.actor_email) == ("create", "organisation", "beheer@kwint.test")


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"name": "", "kind": "school"}, "name", "Dit veld is verplicht."),
        ({"name": "Nieuw", "kind": "bakkerij"}, "kind", "Selecteer een geldige keuze"),
        ({"name": "ROC IJsselland", "kind": "school"}, None, "bestaat al"),
        ({"name": "Gemeente X", "kind": "gemeente"}, "municipality", "Kies bij een gemeente welke gemeente"),
        ({"name": "Nieuw", "kind": "school", "email": "geen-adres"}, "email", "geldig e-mailadres"),
    ],
)
def test_create_with_bad_input_shows_dutch_errors_and_writes_nothing(cast, login, data, field, message):
    before = Organisation.objects.count()
    response = login(cast.beheerder).post(reverse("accounts:organisation_create"), {"region": cast.region.pk, **data})
    assert response.status_code == 200
    form = response.context["form"]
    errors = " ".join(form.errors.get(field, []) if field else [e for es in form.errors.values() for e in es])
    assert message in errors
    assert Organisation.objects.count() == before
    assert not AccessLogEntry.objects.filter(action="create").exists()


def test_create_refuses_a_region_or_municipality_outside_scope(cast, login):
    leiden = cast.other_school.region.municipalities.get()
    response = login(cast.beheerder).post(
        reverse("accounts:organisation_create"),
        {"name": "Sluiproute", "kind": "school", "region": cast.other_school.region.pk, "municipality": leiden.pk},
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in str(response.context["form"].errors["region"])
    assert "Selecteer een geldige keuze" in str(response.context["form"].errors["municipality"])
    assert not Organisation.objects.filter(name="Sluiproute").exists()


def test_a_municipality_must_lie_in_the_chosen_region(cast, login, global_beheerder):
    leiden = cast.other_school.region.municipalities.get()
    response = login(global_beheerder).post(
        reverse("accounts:organisation_create"),
        {"name": "Verkeerd", "kind": "school", "region": cast.region.pk, "municipality": leiden.pk},
    )
    assert "hoort bij regio Rijnland" in str(response.context["form"].errors["municipality"])


def test_edit_changes_the_organisation_and_logs_what_changed(cast, login):
    kampen = MunicipalityFactory(name="Kampen", region=cast.region)
    response = login(cast.beheerder).post(
        reverse("accounts:organisation_edit", args=[cast.school.code]),
        {"name": "ROC IJsselland Kampen", "kind": "school", "region": cast.region.pk, "municipality": kampen.pk},
    )
    assert response.status_code == 302
    cast.school.refresh_from_db()
    assert (cast.school.name, cast.school.municipality) == ("ROC IJsselland Kampen", kampen)
    entry = AccessLogEntry.objects.get(object_code=str(cast.school.code), action="change")
    assert entry.detail == "gewijzigd: municipality, name"


def test_edit_with_bad_input_changes_nothing(cast, login):
    response = login(cast.beheerder).post(
        reverse("accounts:organisation_edit", args=[cast.school.code]),
        {"name": "Gemeente Zwolle", "kind": "school", "region": cast.region.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    cast.school.refresh_from_db()
    assert cast.school.name == "ROC IJsselland"


def test_the_detail_page_lists_members_with_role_coach_kind_and_capacity(cast, login):
    cast.school_coach.coach_kind = "doorwerkcoach"
    cast.school_coach.save()
    response = login(cast.beheerder).get(reverse("accounts:organisation_detail", args=[cast.school.code]))
    html = response.content.decode()
    assert escape(cast.school_coach.user.full_name) in html
    assert "Doorwerkcoach" in html
    assert ">20</td>" in html
    assert escape(cast.zorg.user.full_name) in html


def test_deactivating_an_organisation_takes_its_roles_out_of_use(cast, login):
    client = login(cast.beheerder)
    response = client.post(reverse("accounts:organisation_set_active", args=[cast.school.code]), {"active": "0"})
    assert response.status_code == 302
    cast.school.refresh_from_db()
    assert not cast.school.is_active
    assert not memberships_of(cast.zorg.user).exists()
    assert AccessLogEntry.objects.filter(object_code=str(cast.school.code), detail="gedeactiveerd").exists()
    client.post(reverse("accounts:organisation_set_active", args=[cast.school.code]), {"active": "1"})
    cast.school.refresh_from_db()
    assert cast.school.is_active
    assert memberships_of(cast.zorg.user).exists()


def test_a_beheerder_cannot_deactivate_their_own_organisation(cast, login):
    response = login(cast.beheerder).post(
        reverse("accounts:organisation_set_active", args=[cast.rmc.code]), {"active": "0"}, follow=True
    )
    cast.rmc.refresh_from_db()
    assert cast.rmc.is_active
    assert "niet zelf deactiveren" in response.content.decode()


def test_an_empty_organisation_created_by_mistake_can_be_deleted(cast, login):
    mistake = OrganisationFactory(region=cast.region, name="Tikfout")
    response = login(cast.beheerder).post(reverse("accounts:organisation_delete", args=[mistake.code]))
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=mistake.pk).exists()
    assert AccessLogEntry.objects.filter(object_code=str(mistake.code), action="erase").exists()


def test_an_organisation_with_members_is_never_deleted(cast, login):
    response = login(cast.beheerder).post(reverse("accounts:organisation_delete", args=[cast.wsp.code]), follow=True)
    assert Organisation.objects.filter(pk=cast.wsp.pk).exists()
    assert Membership.objects.filter(organisation=cast.wsp).exists()
    assert "kan niet worden verwijderd" in response.content.decode()
    assert "Deactiveer de organisatie" in response.content.decode()


def test_an_organisation_with_students_is_never_deleted(cast, login):
    school = OrganisationFactory(region=cast.region, name="Lege school")
    StudentFactory(school=school)
    login(cast.beheerder).post(reverse("accounts:organisation_delete", args=[school.code]))
    assert Organisation.objects.filter(pk=school.pk).exists()


def test_an_ended_membership_still_protects_its_organisation(cast):
    from accounts.services import OrganisationInUse, organisation_delete

    org = OrganisationFactory(region=cast.region)
    MembershipFactory(organisation=org, role=Role.COACH, is_active=False)
    with pytest.raises(OrganisationInUse):
        organisation_delete(organisation=org)
    assert Organisation.objects.filter(pk=org.pk).exists()
