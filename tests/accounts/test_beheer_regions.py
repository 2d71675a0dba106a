"""Regions and municipalities on the beheer pages, and moving a gemeente between regions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Municipality, Region
from accounts.services import municipality_update
from audit.models import AccessLogEntry
from tests.factories import MunicipalityFactory, StudentFactory


def test_the_region_list_shows_every_region_and_marks_the_own_one(cast, login):
    response = login(cast.beheerder).get(reverse("accounts:regions"))
    regions = {r.name: r.can_change for r in response.context["regions"]}
    assert regions == {"IJssel-Vecht": True, "Rijnland": False}
    assert "Zwolle" in response.content.decode() and "Leiden" in response.content.decode()
    assert reverse("accounts:region_create") not in response.content.decode()


def test_the_region_list_costs_the_same_queries_for_few_and_many_regions(cast, login):
    client = login(cast.beheerder)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("accounts:regions"))
        return len(ctx.captured_queries)

    small = count()
    for i in range(20):
        region = Region.objects.create(name=f"Regio {i}", number=i + 1)
        MunicipalityFactory(region=region, name=f"Gemeente {i}")
    assert count() == small


def test_a_national_beheerder_creates_a_region(cast, login, global_beheerder):
    response = login(global_beheerder).post(reverse("accounts:region_create"), {"name": "Friesland", "number": "3"})
    region = Region.objects.get(name="Friesland")
    assert response["Location"] == reverse("accounts:region_detail", args=[region.code])
    assert region.number == 3
    assert AccessLogEntry.objects.filter(object_code=str(region.code), action="create").exists()


def test_the_beheerder_renames_their_region(cast, login):
    response = login(cast.beheerder).post(
        reverse("accounts:region_edit", args=[cast.region.code]), {"name": "IJssel-Vecht (RMC 14)", "number": "14"}
    )
    assert response.status_code == 302
    cast.region.refresh_from_db()
    assert (cast.region.name, cast.region.number) == ("IJssel-Vecht (RMC 14)", 14)


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"name": "", "number": ""}, "name", "Dit veld is verplicht."),
        ({"name": "Rijnland", "number": ""}, "name", "bestaat al"),
        ({"name": "X", "number": "0"}, "number", "minstens 1"),
        ({"name": "X", "number": "abc"}, "number", "geheel getal"),
    ],
)
def test_region_edit_with_bad_input_shows_dutch_errors(cast, login, data, field, message):
    response = login(cast.beheerder).post(reverse("accounts:region_edit", args=[cast.region.code]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    cast.region.refresh_from_db()
    assert cast.region.name == "IJssel-Vecht"


def test_a_duplicate_region_number_is_refused(cast, login):
    rijnland = Region.objects.get(name="Rijnland")
    rijnland.number = 20
    rijnland.save()
    response = login(cast.beheerder).post(
        reverse("accounts:region_edit", args=[cast.region.code]), {"name": "IJssel-Vecht", "number": "20"}
    )
    assert "bestaat al" in " ".join(response.context["form"].errors["number"])


def test_the_beheerder_adds_a_municipality_to_their_region(cast, login):
    response = login(cast.beheerder).post(
        reverse("accounts:municipality_create", args=[cast.region.code]),
        {"name": "Kampen", "cbs_code": "gm0166", "region": cast.region.pk},
    )
    assert response.status_code == 302
    kampen = Municipality.objects.get(name="Kampen")
    assert (kampen.region, kampen.cbs_code) == (cast.region, "GM0166")


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"name": "Leiden"}, "name", "bestaat al"),
        ({"name": "Kampen", "cbs_code": "0166"}, "cbs_code", "GM gevolgd door vier cijfers"),
        ({"name": ""}, "name", "Dit veld is verplicht."),
    ],
)
def test_adding_a_municipality_with_bad_input_writes_nothing(cast, login, data, field, message):
    before = Municipality.objects.count()
    response = login(cast.beheerder).post(
        reverse("accounts:municipality_create", args=[cast.region.code]), {"region": cast.region.pk, **data}
    )
    assert message in " ".join(response.context["form"].errors[field])
    assert Municipality.objects.count() == before


def test_a_regional_beheerder_cannot_move_a_municipality_out_of_the_region(cast, login):
    rijnland = Region.objects.get(name="Rijnland")
    response = login(cast.beheerder).post(
        reverse("accounts:municipality_edit", args=[cast.municipality.code]),
        {"name": "Zwolle", "cbs_code": "", "region": rijnland.pk},
    )
    assert "Selecteer een geldige keuze" in " ".join(response.context["form"].errors["region"])
    cast.municipality.refresh_from_db()
    assert cast.municipality.region == cast.region


def test_moving_a_municipality_takes_its_students_along_in_one_update(cast, global_beheerder):
    rijnland = Region.objects.get(name="Rijnland")
    deventer = MunicipalityFactory(name="Deventer", region=cast.region)
    moving = [StudentFactory(school=cast.school, municipality=deventer, region=cast.region) for _ in range(3)]
    staying = StudentFactory(school=cast.school, municipality=cast.municipality, region=cast.region)
    unknown = StudentFactory(school=cast.school, municipality=None, region=cast.region)

    with CaptureQueriesContext(connection) as ctx:
        _, moved = municipality_update(municipality=deventer, name="Deventer", cbs_code="GM0150", region=rijnland)
    assert moved == 3
    student_updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('UPDATE "students_student"')]
    assert len(student_updates) == 1
    for student in moving:
        student.refresh_from_db()
        assert student.region == rijnland
    staying.refresh_from_db()
    unknown.refresh_from_db()
    assert staying.region == cast.region and unknown.region == cast.region


def test_a_failed_move_leaves_students_where_they_were(cast, global_beheerder):
    from django.core.exceptions import ValidationError

    rijnland = Region.objects.get(name="Rijnland")
    deventer = MunicipalityFactory(name="Deventer", region=cast.region)
    student = StudentFactory(school=cast.school, municipality=deventer, region=cast.region)
    with pytest.raises(ValidationError):
        # "Leiden" exists: the rename fails, so nothing of the move may stick.
        municipality_update(municipality=deventer, name="Leiden", cbs_code="", region=rijnland)
    student.refresh_from_db()
    deventer.refresh_from_db()
    assert student.region == cast.region and deventer.region == cast.region


def test_the_national_beheerder_moves_a_municipality_through_the_page(cast, login, global_beheerder):
    rijnland = Region.objects.get(name="Rijnland")
    student = StudentFactory(school=cast.school, municipality=cast.municipality, region=cast.region)
    response = login(global_beheerder).post(
        reverse("accounts:municipality_edit", args=[cast.municipality.code]),
        {"name": "Zwolle", "cbs_code": "GM0193", "region": rijnland.pk},
        follow=True,
    )
    assert "1 jongere is meeverhuisd" in response.content.decode()
    student.refresh_from_db()
    assert student.region == rijnland
    entry = AccessLogEntry.objects.get(object_code=str(cast.municipality.code))
    assert entry.detail == "verplaatst naar Rijnland; 1 jongeren mee"


def test_creating_a_region_with_bad_input_writes_nothing(cast, login, global_beheerder):
    before = Region.objects.count()
    response = login(global_beheerder).post(reverse("accounts:region_create"), {"name": "Rijnland", "number": "41x"})
    assert "bestaat al" in " ".join(response.context["form"].errors["name"])
    assert "geheel getal" in " ".join(response.context["form"].errors["number"])
    assert Region.objects.count() == before


def test_the_beheerder_renames_a_municipality_in_their_region(cast, login):
    response = login(cast.beheerder).post(
        reverse("accounts:municipality_edit", args=[cast.municipality.code]),
        {"name": "Zwolle", "cbs_code": "GM0193", "region": cast.region.pk},
    )
    assert response["Location"] == reverse("accounts:region_detail", args=[cast.region.code])
    cast.municipality.refresh_from_db()
    assert cast.municipality.cbs_code == "GM0193"
