"""Import of the school's yearly list: upload → reading (a Celery task, the page polls) →
columns → preview → confirm → result.

The web process never reads the uploaded file (students.importing). The confirm runs in the
request: it reads no file and its input is bounded (why, and what it costs: students.import_confirm).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from audit.models import Action
from audit.services import access_log
from kwint.lib import spreadsheet
from kwint.lib.access import role_required
from students import import_confirm as confirming
from students import importing
from students.forms import MappingForm, UploadForm
from students.import_fields import FIELDS
from students.models import ImportBatch, Student

PREVIEW_SHOWN = 500
SLOW_READING = dt.timedelta(minutes=2)  # rows rendered on the preview page; all rows count and import


def _batch_for(request, code) -> ImportBatch:
    # A batch is the school's: another school's zorgcoördinator gets a 404, like for students.
    batch = ImportBatch.objects.filter(code=code, school=request.membership.organisation).defer("upload").first()
    if batch is None:
        raise Http404
    return batch


@require_http_methods(["GET", "POST"])
@role_required(Role.ZORGCOORDINATOR)
def import_start(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = importing.import_receive(
            school=request.membership.organisation, user=request.user, filename=upload.name, data=upload.read()
        )
        return redirect("students:import_status", code=batch.code)
    recent = [
        (batch, _step_url(batch))
        for batch in ImportBatch.objects.filter(school=request.membership.organisation).only(
            "code", "filename", "created_at", "state", "result"
        )[:5]
    ]
    return render(request, "students/import_start.html", {"form": form, "recent": recent})


def _step_url(batch: ImportBatch) -> str:
    """Where a batch in its current state is shown."""
    if batch.state in {ImportBatch.State.QUEUED, ImportBatch.State.READING, ImportBatch.State.FAILED}:
        name = "students:import_status"
    elif batch.state == ImportBatch.State.UPLOADED:
        name = "students:import_mapping"
    elif batch.state == ImportBatch.State.PREVIEWED:
        name = "students:import_preview"
    else:
        name = "students:import_result"
    return reverse(name, kwargs={"code": batch.code})


@require_GET
@role_required(Role.ZORGCOORDINATOR)
def import_status(request, code):
    """While the worker reads the file: its progress (htmx polls this page for the fragment);
    then on to the columns, or the reason it could not be read."""
    batch = (
        ImportBatch.objects.filter(code=code, school=request.membership.organisation)
        .defer("upload", "rows", "preview")
        .first()
    )
    if batch is None:
        raise Http404
    htmx = request.headers.get("HX-Request") == "true"
    if not batch.is_reading and batch.state != ImportBatch.State.FAILED:
        if htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = _step_url(batch)
            return response
        return redirect(_step_url(batch))
    if htmx and batch.state == ImportBatch.State.FAILED:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    template = "students/_import_status.html" if htmx else "students/import_status.html"
    # Reading takes seconds; minutes mean no worker is running (tell the user whom to ask).
    slow = batch.is_reading and timezone.now() - batch.created_at > SLOW_READING
    return render(request, template, {"batch": batch, "slow": slow})


@require_http_methods(["GET", "POST"])
@role_required(Role.ZORGCOORDINATOR)
def import_mapping(request, code):
    batch = _batch_for(request, code)
    if batch.state not in {ImportBatch.State.UPLOADED, ImportBatch.State.PREVIEWED}:
        return redirect(_step_url(batch))
    form = MappingForm(request.POST or None, headers=batch.headers, initial=batch.mapping)
    if request.method == "POST" and form.is_valid():
        importing.import_preview(batch=batch, mapping=form.mapping, user=request.user)
        return redirect("students:import_preview", code=batch.code)
    samples = batch.rows[:3]
    columns = [(h, [row[i] for row in samples]) for i, h in enumerate(batch.headers)]
    return render(
        request,
        "students/import_mapping.html",
        {"form": form, "batch": batch, "columns": columns, "row_count": len(batch.rows)},
    )


@require_GET
@role_required(Role.ZORGCOORDINATOR)
def import_preview(request, code):
    batch = _batch_for(request, code)
    if batch.state != ImportBatch.State.PREVIEWED:
        return redirect(_step_url(batch))
    show = request.GET.get("toon", "")
    rows = [r for r in batch.preview if not show or r["status"] == show]
    # Problems first: the user has to act on those, not on 4,000 unchanged rows.
    order = {"error": 0, "double": 1, "duplicate": 2, "created": 3, "updated": 4, "unchanged": 5}
    rows.sort(key=lambda r: (order[r["status"]], r["row"]))
    columns = [spec for spec in FIELDS if spec.name in batch.mapping]
    # The existing students behind updated / possible-duplicate rows, so the user can judge
    # "same person?": one query for the page.
    ids = [r["student"] for r in rows[:PREVIEW_SHOWN] if r.get("student")]
    existing = {
        s.pk: s
        for s in Student.objects.filter(pk__in=ids, school=batch.school).only(
            "code", "first_name", "roepnaam", "tussenvoegsel", "last_name", "student_number", "class_name"
        )
    }
    labels = {spec.name: str(spec.label).lower() for spec in FIELDS}
    shown = []
    for r in rows[:PREVIEW_SHOWN]:
        raw = batch.rows[r["row"]]
        cells = [
            (spec, raw[batch.headers.index(batch.mapping[spec.name])], r["errors"].get(spec.name)) for spec in columns
        ]
        shown.append(
            {
                **r,
                "cells": cells,
                "line": importing.line_of(batch, r["row"]),
                "existing": existing.get(r.get("student")),
                "change_labels": ", ".join(labels[f] for f in r.get("changes", [])),
            }
        )
    return render(
        request,
        "students/import_preview.html",
        {
            "batch": batch,
            "counts": importing.preview_counts(batch.preview),
            "rows": shown,
            "hidden": max(0, len(rows) - PREVIEW_SHOWN),
            "columns": columns,
            "show": show,
        },
    )


@require_POST
@role_required(Role.ZORGCOORDINATOR)
def import_confirm(request, code):
    batch = _batch_for(request, code)
    decisions = {}
    for key, value in request.POST.items():
        if key.startswith("dup-") and value in {"update", "create", "skip"}:
            try:
                decisions[int(key[4:])] = value
            except ValueError:
                continue
    try:
        result = confirming.import_confirm(batch=batch, user=request.user, decisions=decisions)
    except importing.ImportStateError:
        messages.warning(request, _("Deze import is al verwerkt."))
        return redirect("students:import_result", code=batch.code)
    access_log(
        request=request,
        action=Action.CHANGE,
        object_type="import",
        object_code=str(batch.code),
        detail=f"created={result['created']} updated={result['updated']}",
    )
    messages.success(request, _("Import verwerkt."))
    return redirect("students:import_result", code=batch.code)


@require_GET
@role_required(Role.ZORGCOORDINATOR)
def import_result(request, code):
    batch = _batch_for(request, code)
    if batch.state != ImportBatch.State.DONE:
        return redirect(_step_url(batch))
    return render(request, "students/import_result.html", {"batch": batch, "result": batch.result})


@require_GET
@role_required(Role.ZORGCOORDINATOR)
def import_errors_csv(request, code):
    """The rows that could not be imported, as CSV or (?formaat=xlsx) Excel: fix, import again."""
    batch = _batch_for(request, code)
    as_xlsx = request.GET.get("formaat") == "xlsx"
    access_log(
        request=request,
        action=Action.EXPORT,
        object_type="import",
        object_code=str(batch.code),
        detail="errors xlsx" if as_xlsx else "errors",
    )
    if as_xlsx:
        response = HttpResponse(confirming.invalid_rows_xlsx(batch), content_type=spreadsheet.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="kwint-import-fouten.xlsx"'
    else:
        response = HttpResponse(confirming.invalid_rows_csv(batch), content_type=spreadsheet.CSV_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="kwint-import-fouten.csv"'
    return response
