"""The dashboards: thin views over `dashboards.selectors`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Role
from dashboards import charts
from dashboards.figures import dashboard, national_overview
from dashboards.filters import GROUPS, DashboardFilterForm, describe
from dashboards.selectors import DASHBOARD_ROLES, dashboard_scope, national_scope
from dashboards.summary import summary_age
from kwint.lib.access import role_required
from students.models import Handover


def _board(request):
    scope = dashboard_scope(request.membership)
    if scope is None:
        raise PermissionDenied("no dashboard for this role")
    form = DashboardFilterForm(request.GET or None, region_ids=scope.region_ids, school=scope.school)
    return scope, form, dashboard(scope, form.cleaned(), form.group)


@require_GET
@role_required(*DASHBOARD_ROLES)
def region(request):
    scope, form, board = _board(request)
    pending = None
    if request.membership.role == Role.COORDINATOR:
        pending = Handover.objects.filter(
            to_organisation=request.membership.organisation, status=Handover.Status.OFFERED
        ).count()
    context = {
        "scope": scope,
        "form": form,
        "board": board,
        "filters": describe(form),
        "group_label": GROUPS[board.group][0],
        "query": request.GET.urlencode(),
        "pending_handovers": pending,
        "summary_age": summary_age(),
        "funnel_chart": charts.funnel(board.funnel),
        "situation_chart": charts.stacked_bars(board.situations, ""),
        "trend_chart": charts.trend_bars(board.trend),
        "situation_list": [
            {"months": m, "table": t, "id": f"table-situation-{m}", "export": f"situatie-{m}"}
            for m, t in board.situations.items()
        ],
        "export_base": "/regio/export/",
        "case_list": request.membership.role == Role.COORDINATOR,
        "research": scope.kind == "region" and request.membership.role == Role.COORDINATOR,
    }
    return render(request, "dashboards/dashboard.html", context)


@require_GET
@role_required(Role.ANALYST)
def national(request):
    scope = national_scope(request.membership)
    form = DashboardFilterForm(request.GET or None, region_ids=[], school=None)
    overview = national_overview(scope, form.cleaned())
    return render(
        request,
        "dashboards/national.html",
        {
            "scope": scope,
            "form": form,
            "overview": overview,
            "filters": describe(form),
            "summary_age": summary_age(),
            "situation_list": [
                {"months": m, "table": t, "id": f"table-situation-{m}", "export": f"situatie-{m}"}
                for m, t in overview.situations.items()
            ],
            "export_base": "/regio/landelijk/export/",
            "query": request.GET.urlencode(),
        },
    )
