"""Reads about users, organisations and memberships."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Membership, Municipality, Organisation, Region, Role, User
from kwint.lib.text import fold


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation", "organisation__region", "user")
        .order_by("organisation__name", "role")
    )


def active_membership_for(memberships: list[Membership], membership_id: int | None) -> Membership | None:
    """The membership chosen in this session, else the user's oldest one: the role someone
    was first given is their main one (a coordinator who also coaches a few starts as
    coordinator), and it does not change when an organisation is renamed."""
    for membership in memberships:
        if membership.pk == membership_id:
            return membership
    return min(memberships, key=lambda m: m.pk) if memberships else None


def coaches_of(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation, role__in=[Role.COACH, Role.STAGIAIR], is_active=True)
        .select_related("user")
        .order_by("user__full_name")
    )


# --- Beheer scope ------------------------------------------------------------------------
# A functioneel beheerder works for one organisation in one RMC region and manages that
# region: its organisations, the users who hold a role there, and those roles. Regions are
# the unit in which schools, RMC and gemeenten cooperate (Wet van school naar duurzaam werk),
# so the region is where the beheer belongs. A beheerder whose account is a Django superuser
# is a national ("landelijk") beheerder and manages every region, including creating regions.


def is_global_beheerder(membership: Membership | None) -> bool:
    return bool(
        membership is not None
        and membership.role == Role.BEHEERDER
        and membership.is_active
        and membership.user.is_superuser
    )


def managed_region_ids(membership: Membership | None) -> list[int] | None:
    """The regions this beheerder manages: None means all (national beheerder)."""
    if membership is None or membership.role != Role.BEHEERDER or not membership.is_active:
        return []
    if is_global_beheerder(membership):
        return None
    return [membership.organisation.region_id]


def regions_managed_by(membership: Membership | None) -> QuerySet[Region]:
    region_ids = managed_region_ids(membership)
    regions = Region.objects.all()
    return regions if region_ids is None else regions.filter(pk__in=region_ids)


def organisations_managed_by(membership: Membership | None) -> QuerySet[Organisation]:
    region_ids = managed_region_ids(membership)
    organisations = Organisation.objects.all()
    return organisations if region_ids is None else organisations.filter(region_id__in=region_ids)


def memberships_managed_by(membership: Membership | None) -> QuerySet[Membership]:
    region_ids = managed_region_ids(membership)
    memberships = Membership.objects.all()
    return memberships if region_ids is None else memberships.filter(organisation__region_id__in=region_ids)


def users_managed_by(membership: Membership | None) -> QuerySet[User]:
    """Users with at least one role (active or ended) in a managed organisation. Built as an
    EXISTS subquery, so it never duplicates rows and stays one query."""
    region_ids = managed_region_ids(membership)
    users = User.objects.all()
    if region_ids is None:
        return users
    return users.filter(Exists(Membership.objects.filter(user=OuterRef("pk"), organisation__region_id__in=region_ids)))


def account_fully_managed_by(membership: Membership | None, user: User) -> bool:
    """May this beheerder change the account itself (name, e-mail, deactivate, invite link)?

    Only when every role of the user lies in the beheerder's region and the account has no
    Django-admin rights. Otherwise a regional beheerder could change the e-mail address of a
    colleague who also works elsewhere (or of a national beheerder), request a password link
    and work as that person in another region. Roles in the own region stay changeable.
    """
    region_ids = managed_region_ids(membership)
    if region_ids is None:
        return True
    if not region_ids or user.is_superuser or user.is_staff:
        return False
    return not Membership.objects.filter(user=user).exclude(organisation__region_id__in=region_ids).exists()


def municipalities_managed_by(membership: Membership | None) -> QuerySet[Municipality]:
    region_ids = managed_region_ids(membership)
    municipalities = Municipality.objects.all()
    return municipalities if region_ids is None else municipalities.filter(region_id__in=region_ids)


# --- Beheer lists ------------------------------------------------------------------------


def organisation_list_for(
    membership: Membership, *, q: str = "", kind: str = "", region: Region | None = None, active: str = ""
) -> QuerySet[Organisation]:
    organisations = organisations_managed_by(membership)
    if q:
        # Accents and case ignored: "ijsselland" finds "ROC IJsselland", "cesar" finds "César".
        organisations = organisations.filter(search_name__contains=fold(q))
    if kind:
        organisations = organisations.filter(kind=kind)
    if region is not None:
        organisations = organisations.filter(region=region)
    if active == "1":
        organisations = organisations.filter(is_active=True)
    elif active == "0":
        organisations = organisations.filter(is_active=False)
    # Member counts come from one correlated subquery per row in the same SELECT, not a
    # query per row.
    active_members = (
        Membership.objects.filter(organisation=OuterRef("pk"), is_active=True)
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        organisations.select_related("region", "municipality")
        .annotate(member_count=Coalesce(Subquery(active_members), 0))
        .order_by("name", "pk")
    )


def user_list_for(
    membership: Membership,
    *,
    q: str = "",
    organisation: Organisation | None = None,
    role: str = "",
    active: str = "",
) -> QuerySet[User]:
    users = users_managed_by(membership)
    if q:
        users = users.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    if organisation is not None or role:
        # Only roles in managed organisations count: a beheerder filtering on "coach" must not
        # learn who coaches in another region.
        roles = memberships_managed_by(membership).filter(user=OuterRef("pk"), is_active=True)
        if organisation is not None:
            roles = roles.filter(organisation=organisation)
        if role:
            roles = roles.filter(role=role)
        users = users.filter(Exists(roles))
    if active == "1":
        users = users.filter(is_active=True)
    elif active == "0":
        users = users.filter(is_active=False)
    # Only the roles the beheerder manages are shown next to each user: one prefetch query.
    shown = memberships_managed_by(membership).select_related("organisation").order_by("organisation__name", "role")
    return users.prefetch_related(Prefetch("memberships", queryset=shown, to_attr="managed_memberships")).order_by(
        "full_name", "pk"
    )


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_active", "user__full_name", "role")
    )


def region_list_for() -> QuerySet[Region]:
    """Every region, for everyone with beheer access: read-only outside one's own region."""
    return (
        Region.objects.annotate(
            municipality_count=Count("municipalities", distinct=True),
        )
        .prefetch_related(Prefetch("municipalities", queryset=Municipality.objects.order_by("name")))
        .order_by("name")
    )
