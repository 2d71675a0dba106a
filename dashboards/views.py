from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Role
from dashboards.selectors import region_overview
from kwint.lib.access import role_required


@require_GET
@role_required(Role.COORDINATOR)
def region(request):
    membership = request.membership
    return render(request, "dashboards/region.html", {"overview": region_overview(membership)})
