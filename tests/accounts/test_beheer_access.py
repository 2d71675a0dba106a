"""Every beheer page, for every kind of visitor: beheerder, outsider beheerder, other roles,
wrong method, unknown code. Behaviour per page lives in the other test_beheer_* modules."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from audit.models import AccessLogEntry

# name -> (methods the view accepts, function giving the object of the home region whose
# code is in the URL, or None for pages without a code)
PAGES = {
    "organisations": ({"GET"}, None),
    "organisation_create": ({"GET", "POST"}, None),
    "organisation_detail": ({"GET"}, lambda c: c.school),
    "organisation_edit": ({"GET", "POST"}, lambda c: c.school),
    "organisation_set_active": ({"POST"}, lambda c: c.school),
    "organisation_delete": ({"POST"}, lambda c: c.school),
    "users": ({"GET"}, None),
    "user_invite": ({"GET", "POST"}, None),
    "user_detail": ({"GET"}, lambda c: c.coach.user),
    "user_edit": ({"GET", "POST"}, lambda c: c.coach.user),
    "user_set_active": ({"POST"}, lambda c: c.coach.user),
    "user_resend_invite": ({"POST"}, lambda c: c.coach.user),
    "membership_add": ({"GET", "POST"}, lambda c: c.coach.user),
    "membership_edit": ({"GET", "POST"}, lambda c: c.coach),
    "membership_set_active": ({"POST"}, lambda c: c.coach),
    "regions": ({"GET"}, None),
    "region_detail": ({"GET"}, lambda c: c.region),
    "region_edit": ({"GET", "POST"}, lambda c: c.region),
    "municipality_create": ({"GET", "POST"}, lambda c: c.region),
    "municipality_edit": ({"GET", "POST"}, lambda c: c.municipality),
}
# Objects a beheerder of another region may read (404 would hide public knowledge), but not change.
READ_ONLY_ELSEWHERE = {"region_detail"}
CHANGE_FORBIDDEN_ELSEWHERE = {"region_edit", "municipality_create", "municipality_edit"}


def url_for(name, cast, code=None):
    methods, obj = PAGES[name]
    if obj is None:
        return reverse(f"accounts:{name}")
    return reverse(f"accounts:{name}", args=[code or obj(cast).code])


@pytest.mark.parametrize("name", [n for n, (m, _) in PAGES.items() if "GET" in m])
def test_the_beheerder_can_open_every_page_of_their_region(cast, login, name):
    response = login(cast.beheerder).get(url_for(name, cast))
    assert response.status_code == 200, name


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("role", ["zorg", "school_coach", "coach", "stagiair", "coordinator", "matchtafel"])
def test_other_roles_are_refused_everywhere(cast, login, name, role):
    client = login(getattr(cast, role))
    for method in sorted(PAGES[name][0]):
        response = getattr(client, method.lower())(url_for(name, cast))
        assert response.status_code == 403, f"{method} {name} as {role}"


@pytest.mark.parametrize("name", list(PAGES))
def test_a_wrong_http_method_is_405(cast, login, name):
    client = login(cast.beheerder)
    methods = PAGES[name][0]
    wrong = "post" if "POST" not in methods else ("get" if "GET" not in methods else "put")
    assert getattr(client, wrong)(url_for(name, cast)).status_code == 405


@pytest.mark.parametrize("name", [n for n, (_, obj) in PAGES.items() if obj is not None])
def test_an_unknown_code_is_404(cast, login, name):
    client = login(cast.beheerder)
    for method in sorted(PAGES[name][0]):
        response = getattr(client, method.lower())(url_for(name, cast, code=uuid.uuid4()))
        assert response.status_code == 404, f"{method} {name}"


@pytest.mark.parametrize(
    "name",
    [
        n
        for n, (_, obj) in PAGES.items()
        if obj is not None and n not in READ_ONLY_ELSEWHERE | CHANGE_FORBIDDEN_ELSEWHERE
    ],
)
def test_a_beheerder_of_another_region_gets_404_and_changes_nothing(cast, login, outsider_beheerder, name):
    client = login(outsider_beheerder)
    before = (cast.school.is_active, cast.coach.user.is_active, cast.coach.is_active)
    log_before = AccessLogEntry.objects.filter(action__in=["create", "change", "erase"]).count()
    for method in sorted(PAGES[name][0]):
        response = getattr(client, method.lower())(url_for(name, cast), {"active": "0"})
        assert response.status_code == 404, f"{method} {name}"
    cast.school.refresh_from_db()
    cast.coach.refresh_from_db()
    cast.coach.user.refresh_from_db()
    assert (cast.school.is_active, cast.coach.user.is_active, cast.coach.is_active) == before
    assert AccessLogEntry.objects.filter(action__in=["create", "change", "erase"]).count() == log_before


@pytest.mark.parametrize("name", sorted(CHANGE_FORBIDDEN_ELSEWHERE))
def test_a_beheerder_of_another_region_may_not_change_this_region(cast, login, outsider_beheerder, name):
    client = login(outsider_beheerder)
    for method in sorted(PAGES[name][0]):
        assert getattr(client, method.lower())(url_for(name, cast), {"name": "Gekaapt"}).status_code == 403
    cast.region.refresh_from_db()
    cast.municipality.refresh_from_db()
    assert "Gekaapt" not in (cast.region.name, cast.municipality.name)


def test_a_beheerder_of_another_region_may_read_this_region(cast, login, outsider_beheerder):
    response = login(outsider_beheerder).get(url_for("region_detail", cast))
    assert response.status_code == 200
    assert "niet uw regio" in response.content.decode()
    assert reverse("accounts:region_edit", args=[cast.region.code]) not in response.content.decode()


def test_only_a_national_beheerder_creates_regions(cast, login, global_beheerder):
    assert login(cast.beheerder).get(reverse("accounts:region_create")).status_code == 403
    assert login(global_beheerder).get(reverse("accounts:region_create")).status_code == 200
