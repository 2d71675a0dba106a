"""Downloads: the dashboard's tables, the case list and the research export. Thin views."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from accounts.selectors import managed_region_ids
from audit.models import Action
from audit.services import access_log_many
from dashboards.export_jobs import INLINE_MAX_ROWS, export_job_for, export_job_start
from dashboards.exports import FORMATS, case_list_rows, render_file, table_rows
from dashboards.figures import national_overview
from dashboards.filters import GROUPS, DashboardFilterForm, apply_filters, describe
from dashboards.models import ResearchExport, ResearchProject
from dashboards.research import COLUMNS, record_export, research_rows, research_students
from dashboards.selectors import DASHBOARD_ROLES, dashboard_scope, national_scope
from dashboards.views import _board
from kwint.lib.access import role_required


def _download(content: bytes, content_type: str, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="kwint-{name}-{timezone.localdate():%Y-%m-%d}.{fmt}"'
    return response


def _tables(board) -> dict:
    tables = {
        "trechter": (_("Van diploma naar duurzaam werk"), board.funnel, _("Scope")),
        "in-beeld": (_("In beeld"), board.in_view, None),
        "toestemming": (_("Toestemming per doel"), board.consent, _("Doel")),
        "contacten": (_("Contacten en bereik (laatste 12 maanden)"), board.contacts, None),
        "contactmomenten": (_("Contactmomenten"), board.checkins, None),
    }
    for months, table in board.situations.items():
        tables[f"situatie-{months}"] = (
            _("Situatie %(months)s maanden na het diploma") % {"months": months},
            table,
            None,
        )
    return tables


@require_GET
@role_required(*DASHBOARD_ROLES)
def export_table(request, table: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    scope, form, board = _board(request)
    found = _tables(board).get(table)
    if found is None:
        raise Http404
    title, data, group_label = found
    header, rows = table_rows(title, scope.name, describe(form), group_label or GROUPS[board.group][0], data)
    content, content_type = render_file(fmt, header, rows, sheet=table)
    return _download(content, content_type, table, fmt)


@require_GET
@role_required(Role.ANALYST)
def export_national(request, table: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    scope = national_scope(request.membership)
    form = DashboardFilterForm(request.GET or None, region_ids=[], school=None)
    overview = national_overview(scope, form.cleaned())
    tables = {"in-beeld": (_("In beeld per regio"), overview.in_view, _("Regio"))}
    for months, situation in overview.situations.items():
        tables[f"situatie-{months}"] = (
            _("Situatie %(months)s maanden na het diploma") % {"months": months},
            situation,
            _("Regio"),
        )
    tables["toestemming"] = (_("Toestemming per doel"), overview.consent, _("Doel"))
    if table not in tables:
        raise Http404
    title, data, group_label = tables[table]
    header, rows = table_rows(title, scope.name, describe(form), group_label, data)
    content, content_type = render_file(fmt, header, rows, sheet=table)
    return _download(content, content_type, f"landelijk-{table}", fmt)


@require_POST
@role_required(Role.COORDINATOR)
def export_case_list(request, fmt: str):
    """Names, so only students the coordinator may see (their consent allows it), and each
    one written to the access log. A large list is made by a worker (dashboards.export_jobs)."""
    if fmt not in FORMATS:
        raise Http404
    scope = dashboard_scope(request.membership)
    form = DashboardFilterForm(request.GET or None, region_ids=scope.region_ids, school=scope.school)
    if apply_filters(scope.students(), form.cleaned()).count() > INLINE_MAX_ROWS:
        job = export_job_start(membership=request.membership, file_format=fmt, filters=request.GET.dict())
        return redirect("dashboards:export_job", code=job.code)
    header, rows, codes = case_list_rows(scope, form.cleaned())
    access_log_many(request=request, action=Action.EXPORT, student_codes=codes, detail="caselist")
    content, content_type = render_file(fmt, header, rows, sheet=_("Caselijst"))
    return _download(content, content_type, "caselijst", fmt)


@require_GET
@role_required(Role.COORDINATOR)
def export_job(request, code):
    job = export_job_for(request.user, code)
    if job is None:
        raise Http404
    return render(request, "dashboards/export_job.html", {"job": job})


@require_GET
@role_required(Role.COORDINATOR)
def export_job_file(request, code):
    job = export_job_for(request.user, code)
    if job is None or job.state != job.State.DONE:
        raise Http404
    from kwint.lib.spreadsheet import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

    content_type = CSV_CONTENT_TYPE if job.file_format == "csv" else XLSX_CONTENT_TYPE
    return _download(bytes(job.content), content_type, "caselijst", job.file_format)


class ResearchProjectForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Naam van het onderzoek"), max_length=200)


def _research_scope(request):
    scope = dashboard_scope(request.membership)
    if scope is None or scope.kind != "region":
        raise PermissionDenied("research exports are made by the RMC coordinator")
    return scope


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def research(request):
    scope = _research_scope(request)
    region = request.membership.organisation.region
    form = ResearchProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                ResearchProject.objects.create(region=region, name=form.cleaned_data["name"], created_by=request.user)
        except IntegrityError:
            form.add_error("name", _("Er is al een onderzoek met deze naam in uw regio."))
        else:
            messages.success(request, _("Onderzoek aangemaakt."))
            return redirect("dashboards:research")
    projects = ResearchProject.objects.filter(region=region).order_by("name")
    return render(
        request,
        "dashboards/research.html",
        {"scope": scope, "form": form, "projects": projects, "consenting": research_students(scope).count()},
    )


@require_POST
@role_required(Role.COORDINATOR)
def research_export(request, code, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    scope = _research_scope(request)
    project = get_object_or_404(ResearchProject, code=code, region=request.membership.organisation.region_id)
    filter_form = DashboardFilterForm(request.GET or None, region_ids=scope.region_ids, school=scope.school)
    from dashboards.filters import apply_filters

    rows = research_rows(project, scope, apply_filters(research_students(scope), filter_form.cleaned()))
    record_export(
        project=project,
        membership=request.membership,
        filters=[list(pair) for pair in describe(filter_form)],
        file_format=fmt,
        row_count=len(rows),
    )
    content, content_type = render_file(fmt, COLUMNS, rows, sheet=_("Onderzoek"))
    return _download(content, content_type, "onderzoek", fmt)


@require_GET
@role_required(Role.BEHEERDER)
def research_log(request):
    region_ids = managed_region_ids(request.membership)
    exports = ResearchExport.objects.select_related("project", "project__region").order_by("-made_at", "-id")
    if region_ids is not None:
        exports = exports.filter(project__region_id__in=region_ids)
    return render(request, "dashboards/research_log.html", {"exports": exports[:500]})
