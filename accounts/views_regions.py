"""Beheer of regions and their municipalities. Every beheerder reads all regions; they change
only their own. Creating a region and moving a gemeente between regions is national work."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import get_municipality_for, get_region_for, may_change_region
from accounts.forms import MunicipalityForm, RegionForm
from accounts.models import Role
from accounts.selectors import is_global_beheerder, managed_region_ids, region_list_for
from accounts.services import municipality_create, municipality_update, region_create, region_update
from kwint.lib.access import role_required


@require_GET
@role_required(Role.BEHEERDER)
def region_list(request):
    region_ids = managed_region_ids(request.membership)
    regions = list(region_list_for())
    for region in regions:
        region.can_change = region_ids is None or region.pk in region_ids
    return render(
        request,
        "accounts/region_list.html",
        {"regions": regions, "can_create": is_global_beheerder(request.membership)},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.BEHEERDER)
def region_create_view(request):
    if not is_global_beheerder(request.membership):
        raise PermissionDenied
    form = RegionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            region = region_create(**form.cleaned_data, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Regio %(name)s is aangemaakt.") % {"name": region.name})
            return redirect("accounts:region_detail", code=region.code)
    return render(request, "accounts/region_form.html", {"form": form, "region": None})


@require_GET
@role_required(Role.BEHEERDER)
def region_detail(request, code):
    region = get_region_for(request, code)
    return render(
        request,
        "accounts/region_detail.html",
        {
            "region": region,
            "municipalities": region.municipalities.order_by("name"),
            "organisations_count": region.organisations.count(),
            "can_change": may_change_region(request.membership, region),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.BEHEERDER)
def region_edit(request, code):
    region = get_region_for(request, code, change=True)
    form = RegionForm(request.POST or None, instance=region)
    if request.method == "POST" and form.is_valid():
        region.refresh_from_db()
        try:
            region_update(region=region, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect("accounts:region_detail", code=region.code)
    return render(request, "accounts/region_form.html", {"form": form, "region": region})


@require_http_methods(["GET", "POST"])
@role_required(Role.BEHEERDER)
def municipality_create_view(request, code):
    region = get_region_for(request, code, change=True)
    form = MunicipalityForm(request.POST or None, membership=request.membership, initial={"region": region})
    if request.method == "POST" and form.is_valid():
        try:
            municipality = municipality_create(**form.cleaned_data, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Gemeente %(name)s is toegevoegd.") % {"name": municipality.name})
            return redirect("accounts:region_detail", code=municipality.region.code)
    return render(request, "accounts/municipality_form.html", {"form": form, "region": region, "municipality": None})


@require_http_methods(["GET", "POST"])
@role_required(Role.BEHEERDER)
def municipality_edit(request, code):
    municipality = get_municipality_for(request, code, change=True)
    region = municipality.region
    form = MunicipalityForm(request.POST or None, instance=municipality, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        municipality.refresh_from_db()
        try:
            municipality, moved = municipality_update(municipality=municipality, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if municipality.region_id != region.pk:
                messages.success(
                    request,
                    ngettext(
                        "%(name)s hoort nu bij regio %(region)s; %(count)d jongere is meeverhuisd.",
                        "%(name)s hoort nu bij regio %(region)s; %(count)d jongeren zijn meeverhuisd.",
                        moved,
                    )
                    % {"name": municipality.name, "region": municipality.region.name, "count": moved},
                )
            else:
                messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect("accounts:region_detail", code=municipality.region.code)
    return render(
        request, "accounts/municipality_form.html", {"form": form, "region": region, "municipality": municipality}
    )
