"""Beheer of users and their memberships (roles): list, invite, detail, edit, (de)activate."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import get_membership_for, get_user_for
from accounts.forms import MembershipForm, UserFilterForm, UserForm, UserInviteForm
from accounts.models import Role
from accounts.selectors import (
    account_fully_managed_by,
    is_global_beheerder,
    memberships_managed_by,
    organisations_managed_by,
    user_list_for,
)
from accounts.services import (
    membership_add,
    membership_set_active,
    membership_update,
    user_invite,
    user_invite_send,
    user_set_active,
    user_update,
)
from kwint.lib.access import role_required

PAGE_SIZE = 25


@require_GET
@role_required(Role.BEHEERDER)
def user_list(request):
    form = UserFilterForm(request.GET or None, membership=request.membership)
    filters = form.cleaned_data if form.is_valid() else {}
    users = user_list_for(
        request.membership,
        q=filters.get("q", ""),
        organisation=filters.get("organisation"),
        role=filters.get("role", ""),
        active=filters.get("active", ""),
    )
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "accounts/user_list.html",
        {"form": form, "page": page, "users": page.object_list, "query": query.urlencode()},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.BEHEERDER)
def user_invite_view(request):
    initial = {}
    # "Uitnodigen" from an organisation's page preselects that organisation (if managed).
    organisation_code = request.GET.get("organisatie", "")
    if _is_uuid(organisation_code):
        initial["organisation"] = organisations_managed_by(request.membership).filter(code=organisation_code).first()
    form = UserInviteForm(request.POST or None, membership=request.membership, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user, _membership = user_invite(**form.cleaned_data, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is uitgenodigd. Er is een e-mail gestuurd naar %(email)s om een wachtwoord in te stellen.")
                % {"name": user.full_name, "email": user.email},
            )
            return redirect("accounts:user_detail", code=user.code)
    return render(request, "accounts/user_invite.html", {"form": form})


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@require_GET
@role_required(Role.BEHEERDER)
def user_detail(request, code):
    managed_user = get_user_for(request, code)
    managed = set(memberships_managed_by(request.membership).filter(user=managed_user).values_list("pk", flat=True))
    memberships = list(
        managed_user.memberships.select_related("organisation__region").order_by(
            "-is_active", "organisation__name", "role"
        )
    )
    national_only = (managed_user.is_superuser or managed_user.is_staff) and not is_global_beheerder(request.membership)
    for m in memberships:
        m.can_manage = m.pk in managed and not national_only
        m.locked_reason = "" if m.can_manage else (_("Landelijk beheer") if m.pk in managed else _("Andere regio"))
    return render(
        request,
        "accounts/user_detail.html",
        {
            "managed_user": managed_user,
            "memberships": memberships,
            "awaiting_password": not managed_user.has_usable_password(),
            "can_change_account": account_fully_managed_by(request.membership, managed_user),
            "is_self": managed_user.pk == request.user.pk,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.BEHEERDER)
def user_edit(request, code):
    managed_user = get_user_for(request, code, account=True)
    form = UserForm(request.POST or None, instance=managed_user)
    if request.method == "POST" and form.is_valid():
        managed_user.refresh_from_db()
        try:
            user_update(user=managed_user, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect("accounts:user_detail", code=managed_user.code)
    return render(request, "accounts/user_form.html", {"form": form, "managed_user": managed_user})


@require_POST
@role_required(Role.BEHEERDER)
def user_set_active_view(request, code):
    managed_user = get_user_for(request, code, account=True)
    active = request.POST.get("active") == "1"
    try:
        user_set_active(user=managed_user, active=active, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if active:
            messages.success(request, _("%(name)s kan weer inloggen.") % {"name": managed_user.full_name})
        else:
            messages.success(
                request,
                _("%(name)s is gedeactiveerd: inloggen kan niet meer en open sessies zijn beëindigd.")
                % {"name": managed_user.full_name},
            )
    return redirect("accounts:user_detail", code=managed_user.code)


@require_POST
@role_required(Role.BEHEERDER)
def user_resend_invite(request, code):
    managed_user = get_user_for(request, code, account=True)
    if not managed_user.is_active:
        messages.error(request, _("Dit account is gedeactiveerd. Activeer het eerst."))
    else:
        user_invite_send(user=managed_user, invited_by=request.user, request=request)
        messages.success(
            request,
            _("Er is een nieuwe link gestuurd naar %(email)s om een wachtwoord in te stellen.")
            % {"email": managed_user.email},
        )
    return redirect("accounts:user_detail", code=managed_user.code)


@require_http_methods(["GET", "POST"])
@role_required(Role.BEHEERDER)
def membership_add_view(request, code):
    managed_user = get_user_for(request, code)
    form = MembershipForm(request.POST or None, membership=request.membership, user=managed_user)
    if request.method == "POST" and form.is_valid():
        try:
            membership_add(user=managed_user, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De rol is toegevoegd."))
            return redirect("accounts:user_detail", code=managed_user.code)
    return render(
        request, "accounts/membership_form.html", {"form": form, "managed_user": managed_user, "membership": None}
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.BEHEERDER)
def membership_edit(request, code):
    membership = get_membership_for(request, code)
    form = MembershipForm(
        request.POST or None, membership=request.membership, user=membership.user, instance=membership
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership_update(
                membership=membership,
                role=data["role"],
                coach_kind=data["coach_kind"],
                capacity=data["capacity"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De rol is gewijzigd."))
            return redirect("accounts:user_detail", code=membership.user.code)
    return render(
        request,
        "accounts/membership_form.html",
        {"form": form, "managed_user": membership.user, "membership": membership},
    )


@require_POST
@role_required(Role.BEHEERDER)
def membership_set_active_view(request, code):
    membership = get_membership_for(request, code)
    active = request.POST.get("active") == "1"
    try:
        membership_set_active(membership=membership, active=active, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De rol is hersteld.") if active else _("De rol is beëindigd."))
    return redirect("accounts:user_detail", code=membership.user.code)
