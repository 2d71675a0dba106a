"""Writes for the beheer pages: organisations, regions, municipalities, users, memberships.

Every service is keyword-only, runs in one transaction and leaves one access-log entry
(BIO: who changed which account or organisation, when, from where). `request` is optional
so management commands and imports can call the same services.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Membership, Municipality, Organisation, Region, Role, User
from accounts.passwords import invite_link
from audit.models import Action
from audit.services import access_log
from kwint.lib.locking import bump, locked_for_update

logger = logging.getLogger(__name__)

# --- Organisations -------------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: str,
    region: Region,
    municipality: Municipality | None = None,
    email: str = "",
    request=None,
) -> Organisation:
    organisation = Organisation(name=name.strip(), kind=kind, region=region, municipality=municipality, email=email)
    organisation.full_clean()
    organisation.save()
    access_log(request=request, action=Action.CREATE, object_type="organisation", object_code=str(organisation.code))
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, request=None, version: int | None = None, **fields
) -> Organisation:
    """Change an organisation's settings. With `version` (the edit form's), raises
    kwint.lib.locking.StaleVersion when another beheerder saved in between; only the changed
    columns are written."""
    allowed = {"name", "kind", "region", "municipality", "email"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"organisation_update() does not change {sorted(unknown)}")
    if "name" in fields:
        fields["name"] = fields["name"].strip()
    current = locked_for_update(Organisation, organisation.pk, version)
    changed = [name for name, value in fields.items() if getattr(current, name) != value]
    for name in changed:
        setattr(current, name, fields[name])
        setattr(organisation, name, fields[name])
    current.full_clean()
    if changed:
        bump(current)
        current.save(update_fields=[*changed, "search_name", "edit_version"])
        organisation.edit_version = current.edit_version
    access_log(
        request=request,
        action=Action.CHANGE,
        object_type="organisation",
        object_code=str(organisation.code),
        detail=("gewijzigd: " + ", ".join(sorted(changed))) if changed else "",
    )
    return organisation


@transaction.atomic
def organisation_set_active(*, organisation: Organisation, active: bool, request=None) -> Organisation:
    """Deactivate or reactivate. Members of an inactive organisation cannot work in it: their
    roles there disappear from the role switcher (`memberships_of`), their history stays."""
    if organisation.is_active != active:
        organisation.is_active = active
        organisation.save(update_fields=["is_active"])
        access_log(
            request=request,
            action=Action.CHANGE,
            object_type="organisation",
            object_code=str(organisation.code),
            detail="geactiveerd" if active else "gedeactiveerd",
        )
    return organisation


class OrganisationInUse(Exception):
    """The organisation still has members, students or other records and cannot be deleted."""


def _referenced_elsewhere(organisation: Organisation) -> bool:
    """True when anything at all refers to the organisation. PROTECT covers roles, students,
    handovers and consent texts; other apps may cascade (plans, schedules), and a delete must
    never take their rows along, so every relation counts."""
    collector = Collector(using=organisation._state.db or "default", origin=organisation)
    collector.collect([organisation])  # raises ProtectedError / RestrictedError
    if any(model is not Organisation and objs for model, objs in collector.data.items()):
        return True
    return any(qs.exists() for qs in collector.fast_deletes)


@transaction.atomic
def organisation_delete(*, organisation: Organisation, request=None) -> None:
    """Delete an organisation created by mistake: only when nothing refers to it. Otherwise
    `OrganisationInUse`, and deactivating is the way."""
    code = str(organisation.code)
    try:
        if _referenced_elsewhere(organisation):
            raise OrganisationInUse(organisation.name)
        organisation.delete()
    except (ProtectedError, RestrictedError) as error:
        raise OrganisationInUse(str(error)) from error
    access_log(request=request, action=Action.ERASE, object_type="organisation", object_code=code)


# --- Regions and municipalities ------------------------------------------------------------


@transaction.atomic
def region_create(*, name: str, number: int | None = None, request=None) -> Region:
    region = Region(name=name.strip(), number=number)
    region.full_clean()
    region.save()
    access_log(request=request, action=Action.CREATE, object_type="region", object_code=str(region.code))
    return region


@transaction.atomic
def region_update(*, region: Region, name: str, number: int | None, request=None) -> Region:
    region.name = name.strip()
    region.number = number
    region.full_clean()
    region.save()
    access_log(request=request, action=Action.CHANGE, object_type="region", object_code=str(region.code))
    return region


@transaction.atomic
def municipality_create(*, name: str, region: Region, cbs_code: str = "", request=None) -> Municipality:
    municipality = Municipality(name=name.strip(), region=region, cbs_code=cbs_code.strip().upper())
    municipality.full_clean()
    municipality.save()
    access_log(request=request, action=Action.CREATE, object_type="municipality", object_code=str(municipality.code))
    return municipality


@transaction.atomic
def municipality_update(
    *, municipality: Municipality, name: str, cbs_code: str, region: Region, request=None
) -> tuple[Municipality, int]:
    """Rename or move a gemeente. Returns (municipality, number of students moved).

    `Student.region` is denormalised from the gemeente for the regional dashboards: when a
    gemeente moves to another region (a regional reorganisation), its young people move with
    it in the same transaction, in one UPDATE, so no dashboard ever counts them twice or not
    at all.
    """
    # Lock the row: two beheerders moving the same gemeente at once must not leave students
    # behind in the region the first one chose.
    locked = Municipality.objects.select_for_update().get(pk=municipality.pk)
    old_region_id = locked.region_id
    municipality.name = name.strip()
    municipality.cbs_code = cbs_code.strip().upper()
    municipality.region = region
    municipality.full_clean()
    municipality.save()
    moved = 0
    if old_region_id != region.pk:
        # Reverse relation from students.Student: accounts must not import students (imports
        # flow downward), and this is still one UPDATE ... WHERE municipality_id = ...
        moved = municipality.students.update(region=region)
    access_log(
        request=request,
        action=Action.CHANGE,
        object_type="municipality",
        object_code=str(municipality.code),
        detail=f"verplaatst naar {region.name}; {moved} jongeren mee" if old_region_id != region.pk else "",
    )
    return municipality, moved


# --- Users -----------------------------------------------------------------------------------


def user_invite_send(*, user: User, invited_by: User | None = None, request=None) -> None:
    """E-mail a link to set a password. The link is single-use: the token covers the password
    hash and last login, so it dies as soon as the password is set or used. It lives
    KWINT_INVITE_DAYS (a reset link only an hour: accounts/passwords.py)."""
    days = settings.KWINT_INVITE_DAYS
    context = {
        "user": user,
        "link": invite_link(user),
        "days": days,
        "invited_by": invited_by,
        "base_url": settings.KWINT_BASE_URL,
    }
    # The e-mail speaks the invited user's language, not the beheerder's.
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("accounts/email/invite_subject.txt", context).split())
        text = render_to_string("accounts/email/invite.txt", context)
        html = render_to_string("accounts/email/invite.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()
    access_log(
        request=request,
        action=Action.SECURITY,
        object_type="user",
        object_code=str(user.code),
        detail="uitnodiging verstuurd",
    )


def _invite_send_or_log(*, user: User, invited_by: User | None, request) -> None:
    """A mail server hiccup must not turn a saved account into an error page: the account
    exists, the detail page offers "Uitnodiging opnieuw versturen"."""
    try:
        user_invite_send(user=user, invited_by=invited_by, request=request)
    except Exception:
        logger.exception("Invitation e-mail to user %s could not be sent", user.code)


def _clean_membership(membership: Membership) -> None:
    if membership.role not in {Role.COACH, Role.STAGIAIR}:
        # Coach kind and capacity only mean something for people with a caseload.
        membership.coach_kind = ""
        membership.capacity = None
    membership.full_clean(exclude=["user"] if membership.user_id is None else None)


def _duplicate_membership_error() -> ValidationError:
    return ValidationError({"role": _("Deze gebruiker heeft deze rol al bij deze organisatie.")})


@transaction.atomic
def user_invite(
    *,
    email: str,
    full_name: str,
    language: str = "nl",
    phone: str = "",
    organisation: Organisation,
    role: str,
    coach_kind: str = "",
    capacity: int | None = None,
    request=None,
) -> tuple[User, Membership]:
    """Create an account with its first role and e-mail a link to set a password.

    The account has no usable password until the person sets one: the beheerder never knows
    it. The e-mail leaves only after the transaction commits, so a failed save sends nothing.
    """
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _(
                    "Er bestaat al een account met dit e-mailadres. Staat deze persoon in uw lijst met "
                    "gebruikers, voeg daar dan een rol toe; anders kan een landelijk beheerder dat doen."
                )
            }
        )
    user = User(email=email, full_name=full_name.strip(), language=language, phone=phone.strip())
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    membership = Membership(user=user, organisation=organisation, role=role, coach_kind=coach_kind, capacity=capacity)
    _clean_membership(membership)
    membership.save()
    access_log(request=request, action=Action.CREATE, object_type="user", object_code=str(user.code))
    access_log(
        request=request,
        action=Action.CREATE,
        object_type="membership",
        object_code=str(membership.code),
        detail=f"{role} bij {organisation.name}",
    )
    invited_by = request.user if request is not None and request.user.is_authenticated else None
    transaction.on_commit(lambda: _invite_send_or_log(user=user, invited_by=invited_by, request=request))
    return user, membership


@transaction.atomic
def user_update(*, user: User, full_name: str, email: str, language: str, phone: str = "", request=None) -> User:
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": _("Er bestaat al een account met dit e-mailadres.")})
    changed = []
    for name, value in {
        "full_name": full_name.strip(),
        "email": email,
        "language": language,
        "phone": phone.strip(),
    }.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed.append(name)
    user.full_clean(exclude=["password"])
    user.save()
    access_log(
        request=request,
        action=Action.CHANGE,
        object_type="user",
        object_code=str(user.code),
        detail=("gewijzigd: " + ", ".join(changed)) if changed else "",
    )
    return user


def _end_sessions_of(user: User) -> int:
    """Delete the user's open sessions. Django would already refuse an inactive user on the
    next request (ModelBackend.get_user checks is_active); deleting the rows makes the end
    immediate and leaves nothing to revive."""
    ended = 0
    user_id = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_set_active(*, user: User, active: bool, request=None) -> User:
    """Deactivate (cannot log in, open sessions end) or reactivate an account. Roles and
    history stay, so a returning colleague is back with one click."""
    actor = getattr(request, "user", None)
    if not active and actor is not None and actor.pk == user.pk:
        raise ValidationError(_("U kunt uw eigen account niet deactiveren."))
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    ended = 0
    if not active:
        ended = _end_sessions_of(user)
    access_log(
        request=request,
        action=Action.SECURITY,
        object_type="user",
        object_code=str(user.code),
        detail="geactiveerd" if active else f"gedeactiveerd; {ended} sessies beëindigd",
    )
    return user


# --- Memberships -----------------------------------------------------------------------------


@transaction.atomic
def membership_add(
    *,
    user: User,
    organisation: Organisation,
    role: str,
    coach_kind: str = "",
    capacity: int | None = None,
    request=None,
) -> Membership:
    if Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
        raise _duplicate_membership_error()
    membership = Membership(user=user, organisation=organisation, role=role, coach_kind=coach_kind, capacity=capacity)
    _clean_membership(membership)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        # Two beheerders adding the same role at the same moment: the constraint decides.
        raise _duplicate_membership_error()
    access_log(
        request=request,
        action=Action.CREATE,
        object_type="membership",
        object_code=str(membership.code),
        detail=f"{role} bij {organisation.name} voor {user.email}",
    )
    return membership


@transaction.atomic
def membership_update(
    *, membership: Membership, role: str, coach_kind: str = "", capacity: int | None = None, request=None
) -> Membership:
    if (
        Membership.objects.filter(user=membership.user_id, organisation=membership.organisation_id, role=role)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise _duplicate_membership_error()
    membership.role = role
    membership.coach_kind = coach_kind
    membership.capacity = capacity
    _clean_membership(membership)
    membership.save()
    access_log(request=request, action=Action.CHANGE, object_type="membership", object_code=str(membership.code))
    return membership


@transaction.atomic
def membership_set_active(*, membership: Membership, active: bool, request=None) -> Membership:
    """End (or restore) a role. Ended roles are kept: they show who worked where and when."""
    current = getattr(request, "membership", None)
    if not active and current is not None and current.pk == membership.pk:
        raise ValidationError(_("U kunt de rol waarmee u nu werkt niet zelf beëindigen."))
    if membership.is_active != active:
        membership.is_active = active
        membership.save(update_fields=["is_active"])
        access_log(
            request=request,
            action=Action.CHANGE,
            object_type="membership",
            object_code=str(membership.code),
            detail="hersteld" if active else "beëindigd",
        )
    return membership
