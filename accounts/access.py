"""The one door per beheer object: every beheer view fetches what it changes through here.

Organisations, users and memberships outside the beheerder's region do not exist for them
(404). Regions and municipalities are public knowledge and every beheerder may read them,
but only change their own (403 otherwise). Views are also wrapped in
`role_required(Role.BEHEERDER)`, so other roles are refused before they reach a door.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Membership, Municipality, Organisation, Region, Role, User
from accounts.selectors import (
    account_fully_managed_by,
    managed_region_ids,
    memberships_managed_by,
    organisations_managed_by,
    users_managed_by,
)


def _beheerder(request) -> Membership:
    membership = getattr(request, "membership", None)
    if membership is None or membership.role != Role.BEHEERDER:
        raise PermissionDenied
    return membership


def get_organisation_for(request, code) -> Organisation:
    return get_object_or_404(
        organisations_managed_by(_beheerder(request)).select_related("region", "municipality"), code=code
    )


def get_user_for(request, code, *, account: bool = False) -> User:
    """`account=True` for changes to the account itself: 403 when the user also works in
    another region or has Django-admin rights (see `account_fully_managed_by`)."""
    membership = _beheerder(request)
    user = get_object_or_404(users_managed_by(membership), code=code)
    if account and not account_fully_managed_by(membership, user):
        raise PermissionDenied
    return user


def get_membership_for(request, code) -> Membership:
    membership = _beheerder(request)
    managed = get_object_or_404(
        memberships_managed_by(membership).select_related("user", "organisation__region"), code=code
    )
    # The roles of a national beheerder or Django-admin account are changed nationally.
    if (managed.user.is_superuser or managed.user.is_staff) and managed_region_ids(membership) is not None:
        raise PermissionDenied
    return managed


def may_change_region(membership: Membership, region: Region) -> bool:
    region_ids = managed_region_ids(membership)
    return region_ids is None or region.pk in region_ids


def get_region_for(request, code, *, change: bool = False) -> Region:
    membership = _beheerder(request)
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404
    if change and not may_change_region(membership, region):
        raise PermissionDenied
    return region


def get_municipality_for(request, code, *, change: bool = False) -> Municipality:
    membership = _beheerder(request)
    municipality = Municipality.objects.select_related("region").filter(code=code).first()
    if municipality is None:
        raise Http404
    if change and not may_change_region(membership, municipality.region):
        raise PermissionDenied
    return municipality
