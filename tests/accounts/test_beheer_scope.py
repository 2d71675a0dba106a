"""The scope selectors: exactly which organisations and users each beheerder manages."""

from __future__ import annotations

from accounts.models import Role
from accounts.selectors import (
    is_global_beheerder,
    organisations_managed_by,
    regions_managed_by,
    users_managed_by,
)
from tests.factories import MembershipFactory, UserFactory

HOME_ORGS = {"ROC IJsselland", "RMC IJssel-Vecht", "Gemeente Zwolle", "WSP IJssel-Vecht"}
AWAY_ORGS = {"mbo Rijnstreek", "Doorstroompunt Rijnland"}


def test_a_regional_beheerder_manages_exactly_their_region(cast):
    assert set(organisations_managed_by(cast.beheerder).values_list("name", flat=True)) == HOME_ORGS
    assert list(regions_managed_by(cast.beheerder)) == [cast.region]
    users = set(users_managed_by(cast.beheerder).values_list("email", flat=True))
    assert "coach@kwint.test" in users
    assert not users & {"zorg.elders@kwint.test", "coach.elders@kwint.test", "rmc.elders@kwint.test"}


def test_a_user_without_any_role_is_nobodys_but_the_national_beheerder(cast, global_beheerder):
    loose = UserFactory()
    assert loose not in users_managed_by(cast.beheerder)
    assert loose in users_managed_by(global_beheerder)


def test_a_user_in_two_regions_is_managed_from_both_without_duplicates(cast, outsider_beheerder):
    MembershipFactory(user=cast.coach.user, organisation=cast.other_rmc, role=Role.COACH)
    MembershipFactory(user=cast.coach.user, organisation=cast.school, role=Role.COACH)
    assert list(users_managed_by(cast.beheerder).filter(pk=cast.coach.user.pk)) == [cast.coach.user]
    assert cast.coach.user in users_managed_by(outsider_beheerder)


def test_the_national_beheerder_manages_everything(cast, global_beheerder):
    assert is_global_beheerder(global_beheerder)
    assert set(organisations_managed_by(global_beheerder).values_list("name", flat=True)) == HOME_ORGS | AWAY_ORGS


def test_other_roles_and_ended_beheerders_manage_nothing(cast):
    for membership in (cast.coordinator, cast.coach, cast.zorg):
        assert not organisations_managed_by(membership).exists()
        assert not users_managed_by(membership).exists()
    cast.beheerder.is_active = False
    assert not organisations_managed_by(cast.beheerder).exists()
    assert not organisations_managed_by(None).exists()


def test_a_superuser_coach_is_not_a_national_beheerder(cast):
    cast.coach.user.is_superuser = True
    assert not is_global_beheerder(cast.coach)
    assert not organisations_managed_by(cast.coach).exists()
