"""The young person's rights and the coordinator's privacy pages.

Each page about one student goes through `get_student_for` with Perm.PRIVACY and writes
exactly one access-log entry (the action it really is: view, export, print, erase)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Role
from audit.models import Action, Result
from audit.services import access_log
from kwint.lib.access import role_required
from kwint.lib.dates import long_date
from privacy import selectors
from privacy.services import (
    ErasureRefused,
    correction_request_record,
    erasure_refusal,
    erasure_request,
    legal_hold_lift,
    legal_hold_place,
)
from students.access import Perm, get_student_for, students_in_erasure_care_of
from students.retention import Retention

PAGE_SIZE = 50


def _door(request, code):
    """The one door with Perm.PRIVACY. A refusal is logged by the door itself (the second call
    only runs when the first refused); success is logged by the caller with the real action."""
    try:
        return get_student_for(request, code, Perm.PRIVACY, log=False)
    except (Http404, PermissionDenied):
        get_student_for(request, code, Perm.PRIVACY)
        raise


def _student_for(request, code, *, action: str, detail: str):
    student = _door(request, code)
    access_log(request=request, action=action, student=student, detail=detail)
    return student


class LogSearchForm(forms.Form):
    user = forms.CharField(label=_("Gebruiker (e-mailadres)"), required=False, max_length=254)
    student = forms.CharField(label=_("Jongere (naam, studentnummer of code)"), required=False, max_length=100)
    date_from = forms.DateField(
        label=_("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    action = forms.ChoiceField(label=_("Actie"), required=False, choices=[("", _("Alle acties")), *Action.choices])

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("De einddatum ligt vóór de begindatum."))
        return data


@require_GET
@role_required(*selectors.SEARCH_ROLES)
def access_log_search(request):
    """Search the access log: by user, student, period and action, within the coordinator's window."""
    form = LogSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = selectors.access_log_search(request.membership, **{k: v for k, v in filters.items() if v})
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "privacy/log_search.html", {"form": form, "page": page, "query": query.urlencode()})


@require_GET
def student_access_log(request, code):
    """ "Wie heeft dit dossier bekeken": every access to one record, printable for the young person."""
    student = _student_for(request, code, action=Action.PRINT, detail="overzicht wie heeft dit dossier bekeken")
    entries = selectors.student_access_entries(student)
    return render(request, "privacy/student_log.html", {"student": student, "entries": entries, "now": timezone.now()})


@require_GET
def inzage(request, code):
    """Everything Kwint holds on one young person, as a printable page (AVG art. 15)."""
    student = _student_for(request, code, action=Action.EXPORT, detail="inzage (HTML)")
    sections = selectors.inzage_collect(student)
    return render(
        request,
        "privacy/inzage.html",
        {
            "student": student,
            "sections": sections,
            "retention": Retention(student.erase_after, student.erase_reason),
            "now": timezone.now(),
        },
    )


@require_GET
def inzage_json(request, code):
    """The same, machine-readable (AVG art. 20), as a download."""
    student = _student_for(request, code, action=Action.EXPORT, detail="inzage (JSON)")
    data = selectors.inzage_as_data(student, selectors.inzage_collect(student))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="kwint-inzage-{student.code}.json"'
    response["Cache-Control"] = "no-store"
    return response


class CorrectionForm(forms.Form):
    what = forms.CharField(
        label=_("Wat moet er worden verbeterd?"),
        max_length=250,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Beschrijf kort het verzoek van de jongere. Verbeter daarna de gegevens zelf."),
    )


def _edit_url(student) -> str:
    try:
        return reverse("students:edit", args=[student.code])
    except NoReverseMatch:
        return reverse("students:detail", args=[student.code])


@require_http_methods(["GET", "POST"])
def correction_request(request, code):
    """Record a correction request (AVG art. 16), then go to the edit page to correct."""
    if request.method == "GET":
        student = _student_for(request, code, action=Action.VIEW, detail="correctieverzoek")
        form = CorrectionForm()
    else:
        student = _door(request, code)
        form = CorrectionForm(request.POST)
        if form.is_valid():
            correction_request_record(student=student, request=request, what=form.cleaned_data["what"])
            messages.success(request, _("Het correctieverzoek is vastgelegd. Verbeter nu de gegevens."))
            return redirect(_edit_url(student))
    return render(
        request, "privacy/correction.html", {"student": student, "form": form, "edit_url": _edit_url(student)}
    )


class ErasureForm(forms.Form):
    confirm_name = forms.CharField(label=_("Typ ter bevestiging de achternaam van de jongere"), max_length=150)
    confirm = forms.BooleanField(
        label=_("Ik begrijp dat de persoonsgegevens van deze jongere definitief worden gewist."),
        error_messages={"required": _("Vink aan dat u begrijpt dat wissen definitief is.")},
    )

    def __init__(self, *args, student, **kwargs):
        super().__init__(*args, **kwargs)
        self.student = student

    def clean_confirm_name(self):
        typed = self.cleaned_data["confirm_name"].strip()
        if typed.casefold() != self.student.last_name.strip().casefold():
            raise forms.ValidationError(_("Deze naam komt niet overeen met de achternaam van de jongere."))
        return typed


@require_http_methods(["GET", "POST"])
def erasure_request_view(request, code):
    """Erasure on request (AVG art. 17), re-confirmed; refused only where a legal retention applies."""
    if request.method == "GET":
        student = _student_for(request, code, action=Action.VIEW, detail="wisverzoek")
        form = ErasureForm(student=student)
    else:
        student = _door(request, code)
        form = ErasureForm(request.POST, student=student)
        refusal = erasure_refusal(student)
        if not refusal and form.is_valid():
            try:
                erasure_request(student=student, request=request, actor=request.user)
            except ErasureRefused as exc:  # pragma: no cover - refusal checked just above
                refusal = str(exc)
            else:
                messages.success(
                    request, _("De gegevens van de jongere zijn gewist. Dit is vastgelegd in het toegangslog.")
                )
                return redirect("privacy:erasure_preview")
        if refusal:
            access_log(
                request=request,
                action=Action.ERASE,
                result=Result.DENIED,
                student=student,
                detail="wisverzoek geweigerd: wettelijke bewaarplicht",
            )
    return render(
        request, "privacy/erase.html", {"student": student, "form": form, "refusal": erasure_refusal(student)}
    )


@require_GET
@role_required(*selectors.PREVIEW_ROLES)
def erasure_preview(request):
    """What will be erased within the notice period, and what a legal hold keeps: for the
    responsible coordinator, and for the functioneel beheerder (who may place a hold)."""
    due = selectors.erasure_due(request.membership)
    page = Paginator(due, PAGE_SIZE).get_page(request.GET.get("pagina"))
    # The list names young people: who looked at it is kept (one entry per page shown).
    access_log(request=request, action=Action.VIEW, object_type="erasure_preview", detail="wislijst")
    return render(
        request,
        "privacy/erasure_preview.html",
        {
            "page": page,
            "elsewhere": selectors.erasure_due_elsewhere_count(request.membership),
            "days": selectors.preview_days(),
            "may_hold": request.membership.role == Role.BEHEERDER,
        },
    )


class HoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        min_length=5,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: een lopende klacht of rechtszaak. Komt in het toegangslog."),
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.BEHEERDER)
def legal_hold(request, code):
    """Place or lift a legal hold on a record in the erasure preview (beheerder only). The
    beheerder's door is students_in_erasure_care_of: name, school and date, never the record."""
    student = students_in_erasure_care_of(request.membership).select_related("school").filter(code=code).first()
    if student is None:
        access_log(
            request=request, action=Action.CHANGE, result=Result.NOT_FOUND, object_type="student", object_code=str(code)
        )
        raise Http404
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if student.legal_hold_at is None:
            legal_hold_place(student=student, reason=reason, request=request)
            messages.success(request, _("Bewaarplicht vastgelegd: dit dossier wordt niet gewist."))
        else:
            day = legal_hold_lift(student=student, reason=reason, request=request)
            messages.success(
                request,
                _("Bewaarplicht opgeheven. Wisdatum: %(day)s.") % {"day": long_date(day)}
                if day
                else _("Bewaarplicht opgeheven."),
            )
        return redirect("privacy:erasure_preview")
    if request.method == "GET":
        access_log(request=request, action=Action.VIEW, student=student, detail="bewaarplicht")
    return render(request, "privacy/hold.html", {"student": student, "form": form})
