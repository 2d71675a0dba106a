"""The beheerder's consent texts: scope, versions, drafts, publishing freezes."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from accounts.models import Role
from consent.models import ConsentText, Purpose
from tests.factories import ConsentTextFactory, MembershipFactory, OrganisationFactory

FORM = {
    "purpose": "sharing",
    "school": "",
    "title_nl": "Delen met het RMC",
    "body_nl": "Je school geeft je naam en telefoonnummer aan het RMC.",
    "title_en": "Sharing with RMC",
    "body_en": "Your school gives your name and phone number to RMC.",
    "effective_from": "2026-08-01",
}


@pytest.fixture
def outsider_beheerder(cast):
    return MembershipFactory(organisation=cast.other_rmc, role=Role.BEHEERDER)


@pytest.fixture
def published(cast):
    return ConsentTextFactory(region=cast.region, purpose=Purpose.SHARING, version=1)


@pytest.fixture
def draft(cast):
    return ConsentTextFactory(region=cast.region, purpose=Purpose.CONTACT, version=1, published_at=None)


def test_the_beheerder_lists_region_and_school_texts_only(cast, login, published, outsider_beheerder):
    school_text = ConsentTextFactory(region=cast.region, school=cast.school, purpose=Purpose.SHARING, version=1)
    elsewhere = ConsentTextFactory(region=cast.other_rmc.region, purpose=Purpose.SHARING, version=1, title_nl="Elders")
    html = login(cast.beheerder).get(reverse("consent:texts")).content.decode()
    assert reverse("consent:text_detail", args=[published.code]) in html
    assert reverse("consent:text_detail", args=[school_text.code]) in html
    assert reverse("consent:text_detail", args=[elsewhere.code]) not in html
    assert "In gebruik" in html


def test_create_a_draft_then_publish_it(cast, login):
    client = login(cast.beheerder)
    response = client.post(reverse("consent:text_create"), FORM)
    text = ConsentText.objects.get()
    assert response["Location"] == reverse("consent:text_detail", args=[text.code])
    assert (text.version, text.is_published, text.created_by) == (1, False, cast.beheerder.user)
    assert client.post(reverse("consent:text_publish", args=[text.code])).status_code == 302
    text.refresh_from_db()
    assert text.is_published


def test_a_school_specific_text_for_a_school_in_the_region(cast, login):
    login(cast.beheerder).post(reverse("consent:text_create"), FORM | {"school": cast.school.pk})
    assert ConsentText.objects.get().school == cast.school
    response = login(cast.beheerder).post(reverse("consent:text_create"), FORM | {"school": cast.other_school.pk})
    assert response.status_code == 200
    assert ConsentText.objects.count() == 1


def test_missing_fields_give_dutch_errors(cast, login):
    response = login(cast.beheerder).post(reverse("consent:text_create"), FORM | {"body_nl": "", "effective_from": ""})
    html = response.content.decode()
    # At each field, and once more in the error summary at the top of the page.
    assert html.count("Dit veld is verplicht.") == 4
    assert html.count('data-error-link="id_') == 2
    assert not ConsentText.objects.exists()


def test_a_draft_can_change(cast, login, draft):
    client = login(cast.beheerder)
    data = {k: v for k, v in FORM.items() if k not in {"purpose", "school"}}
    client.post(reverse("consent:text_edit", args=[draft.code]), data)
    draft.refresh_from_db()
    assert draft.body_nl == FORM["body_nl"]


def test_a_published_text_cannot_change_and_offers_a_prefilled_new_version(cast, login, published):
    client = login(cast.beheerder)
    data = {k: v for k, v in FORM.items() if k not in {"purpose", "school"}}
    response = client.post(reverse("consent:text_edit", args=[published.code]), data)
    assert response["Location"] == reverse("consent:text_create") + f"?van={published.code}"
    published.refresh_from_db()
    assert published.body_nl != FORM["body_nl"]
    form = client.get(response["Location"]).content.decode()
    assert published.body_nl in form
    client.post(reverse("consent:text_create"), FORM)
    assert list(ConsentText.objects.filter(purpose="sharing").values_list("version", flat=True)) == [2, 1]


@pytest.mark.parametrize("name", ["consent:text_detail", "consent:text_edit"])
def test_an_outsider_beheerder_gets_404(cast, login, draft, outsider_beheerder, name):
    assert login(outsider_beheerder).get(reverse(name, args=[draft.code])).status_code == 404
    assert login(outsider_beheerder).post(reverse("consent:text_publish", args=[draft.code])).status_code == 404


@pytest.mark.parametrize("role", ["zorg", "coach", "coordinator", "matchtafel"])
def test_other_roles_may_not_manage_texts(cast, login, draft, role):
    client = login(getattr(cast, role))
    assert client.get(reverse("consent:texts")).status_code == 403
    assert client.get(reverse("consent:text_create")).status_code == 403
    assert client.get(reverse("consent:text_edit", args=[draft.code])).status_code == 403
    assert client.post(reverse("consent:text_publish", args=[draft.code])).status_code == 403
    # A draft is nobody else's business; a published text is what young people read.
    assert client.get(reverse("consent:text_detail", args=[draft.code])).status_code == 404


def test_any_staff_member_may_read_a_published_text(cast, login, published):
    assert login(cast.outsider_coach).get(reverse("consent:text_detail", args=[published.code])).status_code == 200


@pytest.mark.parametrize(
    "name,method,args",
    [
        ("consent:texts", "post", []),
        ("consent:text_create", "put", []),
        ("consent:text_edit", "delete", ["code"]),
        ("consent:text_publish", "get", ["code"]),
        ("consent:text_detail", "post", ["code"]),
    ],
)
def test_wrong_method_gets_405(cast, login, draft, name, method, args):
    url = reverse(name, args=[draft.code] if args else [])
    assert getattr(login(cast.beheerder), method)(url).status_code == 405


@pytest.mark.parametrize("name", ["consent:text_detail", "consent:text_edit", "consent:text_publish"])
def test_unknown_text_gets_404(cast, login, name):
    client = login(cast.beheerder)
    method = client.post if name == "consent:text_publish" else client.get
    assert method(reverse(name, args=[uuid.uuid4()])).status_code == 404


def test_the_list_costs_the_same_queries_for_few_and_many_texts(cast, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(cast.beheerder)
    ConsentTextFactory(region=cast.region, purpose=Purpose.SHARING, version=1)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("consent:texts"))
    school = OrganisationFactory(region=cast.region, kind="school")
    for n in range(2, 20):
        ConsentTextFactory(
            region=cast.region, school=school if n % 2 else None, purpose=Purpose.values[n % 4], version=n
        )
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("consent:texts"))
    assert len(small) == len(large)
