"""The standard cast: one user per role in a home region, plus outsiders elsewhere."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from accounts.models import Membership, Organisation, Role
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    StudentFactory,
)

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses that by
# default. Tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class Cast:
    region: object
    municipality: object
    school: Organisation
    rmc: Organisation
    gemeente: Organisation
    wsp: Organisation
    other_school: Organisation
    other_rmc: Organisation
    zorg: Membership
    school_coach: Membership
    coach: Membership
    stagiair: Membership
    coordinator: Membership
    gemeente_coordinator: Membership
    matchtafel: Membership
    beheerder: Membership
    outsider_zorg: Membership
    outsider_coach: Membership
    outsider_coordinator: Membership

    def all(self) -> dict[str, Membership]:
        return {
            name: getattr(self, name)
            for name in (
                "zorg",
                "school_coach",
                "coach",
                "stagiair",
                "coordinator",
                "gemeente_coordinator",
                "matchtafel",
                "beheerder",
                "outsider_zorg",
                "outsider_coach",
                "outsider_coordinator",
            )
        }


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits (login, password reset, personal links) count in the cache, per client
    address; every test client is 127.0.0.1, so each test starts with empty counters."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def cast(db) -> Cast:
    region = RegionFactory(name="IJssel-Vecht")
    municipality = MunicipalityFactory(name="Zwolle", region=region)
    other_region = RegionFactory(name="Rijnland")
    MunicipalityFactory(name="Leiden", region=other_region)
    school = OrganisationFactory(
        name="ROC IJsselland", kind=Organisation.Kind.SCHOOL, region=region, municipality=municipality
    )
    rmc = OrganisationFactory(name="RMC IJssel-Vecht", kind=Organisation.Kind.RMC, region=region)
    gemeente = OrganisationFactory(
        name="Gemeente Zwolle", kind=Organisation.Kind.GEMEENTE, region=region, municipality=municipality
    )
    wsp = OrganisationFactory(name="WSP IJssel-Vecht", kind=Organisation.Kind.WSP, region=region)
    other_school = OrganisationFactory(name="mbo Rijnstreek", kind=Organisation.Kind.SCHOOL, region=other_region)
    other_rmc = OrganisationFactory(name="Doorstroompunt Rijnland", kind=Organisation.Kind.RMC, region=other_region)

    def member(org, role, email, **kw):
        return MembershipFactory(organisation=org, role=role, user__email=email, **kw)

    return Cast(
        region=region,
        municipality=municipality,
        school=school,
        rmc=rmc,
        gemeente=gemeente,
        wsp=wsp,
        other_school=other_school,
        other_rmc=other_rmc,
        zorg=member(school, Role.ZORGCOORDINATOR, "zorg@kwint.test"),
        school_coach=member(school, Role.COACH, "doorwerk@kwint.test", capacity=20),
        coach=member(rmc, Role.COACH, "coach@kwint.test", capacity=60),
        stagiair=member(rmc, Role.STAGIAIR, "stagiair@kwint.test"),
        coordinator=member(rmc, Role.COORDINATOR, "rmc@kwint.test"),
        gemeente_coordinator=member(gemeente, Role.COORDINATOR, "gemeente@kwint.test"),
        matchtafel=member(wsp, Role.MATCHTAFEL, "wsp@kwint.test"),
        beheerder=member(rmc, Role.BEHEERDER, "beheer@kwint.test"),
        outsider_zorg=member(other_school, Role.ZORGCOORDINATOR, "zorg.elders@kwint.test"),
        outsider_coach=member(other_rmc, Role.COACH, "coach.elders@kwint.test"),
        outsider_coordinator=member(other_rmc, Role.COORDINATOR, "rmc.elders@kwint.test"),
    )


@pytest.fixture
def login(client):
    """Log the test client in as a membership's user, with that membership active."""
    from accounts.middleware import SESSION_MEMBERSHIP_KEY

    def _login(membership: Membership):
        client.force_login(membership.user)
        session = client.session
        session[SESSION_MEMBERSHIP_KEY] = membership.pk
        session.save()
        return client

    return _login


@pytest.fixture
def student(cast):
    return StudentFactory(school=cast.school, municipality=cast.municipality, region=cast.region)
