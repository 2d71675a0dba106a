"""Beheer of organisations: list, create, detail with members, edit, (de)activate, delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import get_organisation_for
from accounts.forms import OrganisationFilterForm, OrganisationForm
from accounts.models import Role
from accounts.selectors import organisation_list_for, organisation_members
from accounts.services import (
    OrganisationInUse,
    organisation_create,
    organisation_delete,
    organisation_set_active,
    organisation_update,
)
from kwint.lib.access import role_required
from kwint.lib.locking import StaleVersion, conflict_form

PAGE_SIZE = 25


@require_GET
@role_required(Role.BEHEERDER)
def organisation_list(request):
    form = OrganisationFilterForm(request.GET or None, membership=request.membership)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = organisation_list_for(
        request.membership,
        q=filters.get("q", ""),
        kind=filters.get("kind", ""),
        region=filters.get("region"),
        active=filters.get("active", ""),
    )
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "accounts/organisation_list.html",
        {"form": form, "page": page, "organisations": page.object_list, "query": query.urlencode()},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.BEHEERDER)
def organisation_create_view(request):
    form = OrganisationForm(request.POST or None, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_create(**form.cleaned_data, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Organisatie %(name)s is aangemaakt.") % {"name": organisation.name})
            return redirect("accounts:organisation_detail", code=organisation.code)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": None})


@require_GET
@role_required(Role.BEHEERDER)
def organisation_detail(request, code):
    organisation = get_organisation_for(request, code)
    return render(
        request,
        "accounts/organisation_detail.html",
        {"organisation": organisation, "members": organisation_members(organisation)},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.BEHEERDER)
def organisation_edit(request, code):
    organisation = get_organisation_for(request, code)
    form = OrganisationForm(request.POST or None, instance=organisation, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        # The form validated on the instance; re-read it so the service compares old and new.
        organisation.refresh_from_db()
        fields = {k: v for k, v in form.cleaned_data.items() if k in form.Meta.fields}
        try:
            organisation_update(organisation=organisation, request=request, version=form.read_version, **fields)
        except StaleVersion as stale:
            # Another beheerder saved in between: nothing written; their changes beside yours.
            form = conflict_form(form, stale.current, membership=request.membership)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect("accounts:organisation_detail", code=organisation.code)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": organisation})


@require_POST
@role_required(Role.BEHEERDER)
def organisation_set_active_view(request, code):
    organisation = get_organisation_for(request, code)
    active = request.POST.get("active") == "1"
    if not active and request.membership.organisation_id == organisation.pk:
        messages.error(request, _("U kunt de organisatie waarvoor u nu werkt niet zelf deactiveren."))
        return redirect("accounts:organisation_detail", code=organisation.code)
    organisation_set_active(organisation=organisation, active=active, request=request)
    if active:
        messages.success(request, _("%(name)s is weer actief.") % {"name": organisation.name})
    else:
        messages.success(
            request,
            _(
                "%(name)s is gedeactiveerd. De leden kunnen niet meer voor deze organisatie werken; de gegevens blijven bewaard."
            )
            % {"name": organisation.name},
        )
    return redirect("accounts:organisation_detail", code=organisation.code)


@require_POST
@role_required(Role.BEHEERDER)
def organisation_delete_view(request, code):
    organisation = get_organisation_for(request, code)
    name = organisation.name
    try:
        organisation_delete(organisation=organisation, request=request)
    except OrganisationInUse:
        messages.error(
            request,
            _(
                "%(name)s kan niet worden verwijderd: er zijn nog (oud-)leden, jongeren, overdrachten of andere "
                "gegevens aan gekoppeld. Die geschiedenis moet bewaard blijven. Deactiveer de organisatie in plaats "
                "daarvan."
            )
            % {"name": name},
        )
        return redirect("accounts:organisation_detail", code=code)
    messages.success(request, _("Organisatie %(name)s is verwijderd.") % {"name": name})
    return redirect("accounts:organisations")
