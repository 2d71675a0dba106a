"""Reads about users, organisations and memberships."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Membership, Organisation, Role, User


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation", "organisation__region", "user")
        .order_by("organisation__name", "role")
    )


def active_membership_for(user: User, membership_id: int | None) -> Membership | None:
    """The membership chosen in this session, else the user's first one."""
    memberships = list(memberships_of(user))
    for membership in memberships:
        if membership.pk == membership_id:
            return membership
    return memberships[0] if memberships else None


def coaches_of(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation, role__in=[Role.COACH, Role.STAGIAIR], is_active=True)
        .select_related("user")
        .order_by("user__full_name")
    )
