"""Extra people for the beheer tests: a beheerder of the other region and a national one."""

from __future__ import annotations

import pytest

from accounts.models import Role
from tests.factories import MembershipFactory


@pytest.fixture
def outsider_beheerder(cast):
    """Beheerder of Rijnland: must not see or change anything of IJssel-Vecht."""
    return MembershipFactory(organisation=cast.other_rmc, role=Role.BEHEERDER, user__email="beheer.elders@kwint.test")


@pytest.fixture
def global_beheerder(cast):
    """A landelijk beheerder: a beheerder membership on a superuser account."""
    return MembershipFactory(
        organisation=cast.rmc, role=Role.BEHEERDER, user__email="landelijk@kwint.test", user__is_superuser=True
    )
