"""Staff pages for one student's consent: record at the table, withdraw, link, print, history.

Every page gets the student through `students.access.get_student_for` (404 outside the
membership's view, 403 without the permission); nothing here filters students itself.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Role
from audit.models import Action, Result
from audit.services import access_log
from consent.forms import SEND, LinkForm, RecordForm, WithdrawForm, text_body, text_title
from consent.links import consent_link_create, consent_link_email, consent_link_message, link_url, qr_data_uri
from consent.models import ConsentLink, CurrentConsent, Purpose, Status
from consent.selectors import (
    RENEWAL_NOTICE_DAYS,
    applicable_texts,
    consent_history,
    needs_representative,
    renewals_open,
    with_renewal_dates,
)
from consent.services import consent_answers_record, consent_withdraw
from kwint.lib.access import role_required
from students.access import Perm, get_student_for, students_visible_to


def _after(request, student):
    """Back to the student, or to the list when this organisation just lost sight of them
    (an RMC coach recording a refusal or a withdrawal)."""
    if students_visible_to(request.membership).filter(pk=student.pk).exists():
        return redirect("students:detail", student.code)
    messages.info(request, _("Door dit antwoord ziet uw organisatie deze jongere niet meer."))
    membership = request.membership
    if membership.role in {Role.COACH, Role.STAGIAIR}:
        return redirect("coaching:caseload")
    return redirect("students:list")


@require_http_methods(["GET", "POST"])
def record(request, code):
    """Record answers per purpose at the diploma table (or by phone, or in a conversation)."""
    student = get_student_for(request, code, Perm.CONSENT)
    texts = applicable_texts(student)
    form = RecordForm(request.POST if request.method == "POST" else None, student=student, texts=texts)
    if request.method == "POST" and form.is_valid():
        try:
            consent_answers_record(
                student=student,
                answers=form.answers(),
                texts=texts,
                method=form.cleaned_data["method"],
                recorded_by=request.user,
                answered_at=form.cleaned_data["answered_at"],
                given_by=form.cleaned_data["given_by"],
                representative_name=form.cleaned_data["representative_name"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De antwoorden zijn vastgelegd."))
            return _after(request, student)
    current = {c.purpose: c for c in CurrentConsent.objects.filter(student=student)}
    rows = [
        {
            "field": field,
            "title": text_title(texts[purpose]),
            "subtitle": _("%(purpose)s · versie %(version)s")
            % {"purpose": Purpose(purpose).label, "version": texts[purpose].version},
            "body": text_body(texts[purpose]),
            "current": current.get(purpose),
        }
        for purpose, field in zip(texts, form.answer_fields(), strict=True)
    ]
    missing = [Purpose(p).label for p in Purpose.values if p not in texts]
    return render(
        request,
        "consent/record.html",
        {
            "student": student,
            "form": form,
            "rows": rows,
            "missing": missing,
            "under_16": needs_representative(student, timezone.localdate()),
        },
    )


@require_http_methods(["GET", "POST"])
def withdraw(request, code):
    """Withdrawal recorded by staff on the young person's behalf, re-confirmed."""
    student = get_student_for(request, code, Perm.CONSENT)
    given = list(
        CurrentConsent.objects.filter(student=student, status=Status.GIVEN)
        .order_by("purpose")
        .values_list("purpose", flat=True)
    )
    form = WithdrawForm(request.POST if request.method == "POST" else None, given=given)
    if request.method == "POST" and form.is_valid():
        records = consent_withdraw(
            student=student,
            purposes=form.cleaned_data["purposes"],
            method=form.cleaned_data["method"],
            recorded_by=request.user,
            note=form.cleaned_data["note"],
        )
        messages.success(
            request,
            _("Toestemming ingetrokken voor: %(purposes)s. Dit gaat direct in.")
            % {"purposes": ", ".join(str(Purpose(r.purpose).label) for r in records)},
        )
        return _after(request, student)
    return render(request, "consent/withdraw.html", {"student": student, "form": form, "given": given})


@require_http_methods(["GET", "POST"])
def link(request, code):
    """ "Link maken": the coach shows the link (QR code and address, to read out or send
    themselves) or sends it by e-mail after a preview of the message. Under 16 the link is for
    a parent or guardian; the young person's own link is never offered then."""
    student = get_student_for(request, code, Perm.CONSENT)
    for_representative = needs_representative(student, timezone.localdate())
    form = LinkForm(
        request.POST if request.method == "POST" else None, student=student, for_representative=for_representative
    )
    context = {
        "student": student,
        "form": form,
        "days": settings.KWINT_CONSENT_LINK_DAYS,
        "for_representative": for_representative,
    }
    template = "parent_link" if for_representative else "link"
    if request.method == "POST" and "edit" not in request.POST and form.is_valid():
        sending = form.cleaned_data["delivery"] == SEND
        if sending and "confirm" not in request.POST:
            # The preview: the message exactly as it will go, with a stand-in for the link
            # (made only when the coach sends, so an abandoned preview leaves no live link).
            subject, text, _html = consent_link_message(
                student=student,
                url=_("[de persoonlijke link]"),
                template=template,
                representative_name=form.who.get("representative_name", ""),
            )
            return render(
                request,
                "consent/link_preview.html",
                {**context, "subject": subject, "text": text, "to": form.recipient},
            )
        try:
            new_link, token = consent_link_create(
                student=student, kind=ConsentLink.Kind.ANSWER, created_by=request.user, **form.who
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            url = link_url(ConsentLink.Kind.ANSWER, token)
            sent = sending and consent_link_email(
                student=student,
                kind=ConsentLink.Kind.ANSWER,
                token=token,
                template=template,
                to=form.recipient,
                representative_name=form.who.get("representative_name", ""),
            )
            # Rendered, not redirected: the token exists only in this response (its hash is stored).
            response = render(
                request,
                "consent/link_created.html",
                {
                    **context,
                    "url": "" if sent else url,
                    "qr": "" if sent else qr_data_uri(url),
                    "sent": sent,
                    "to": form.recipient,
                    "link": new_link,
                },
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "consent/link.html", context)


@require_GET
def history(request, code):
    """Every answer ever recorded, newest first, with the exact text version shown."""
    student = get_student_for(request, code, Perm.VIEW)
    return render(request, "consent/history.html", {"student": student, "records": consent_history(student)})


@require_GET
def print_form(request, code):
    """A printable consent form with the texts, empty tick boxes and signature lines."""
    try:
        student = get_student_for(request, code, Perm.CONSENT, log=False)
    except (Http404, PermissionDenied) as error:
        access_log(
            request=request,
            action=Action.PRINT,
            result=Result.NOT_FOUND if isinstance(error, Http404) else Result.DENIED,
            object_type="consent_form",
            object_code=str(code),
        )
        raise
    access_log(request=request, action=Action.PRINT, student=student, object_type="consent_form")
    texts = applicable_texts(student)
    items = [
        {"purpose": Purpose(p).label, "text": t, "title": text_title(t), "body": text_body(t)} for p, t in texts.items()
    ]
    return render(
        request,
        "consent/print.html",
        {
            "student": student,
            "items": items,
            "under_16": needs_representative(student, timezone.localdate()),
            "today": timezone.localdate(),
            "back": reverse("consent:record", args=[student.code]),
        },
    )


@require_GET
@role_required(Role.COORDINATOR, Role.ZORGCOORDINATOR)
def renewals(request):
    """Open renewals per school: young people for whom a parent or guardian answered, who are
    18 now or within a month and must answer themselves. Through the access module; one query."""
    students = students_visible_to(request.membership).select_related("school", "coach")
    rows = with_renewal_dates(renewals_open(students))
    return render(
        request,
        "consent/renewals.html",
        {"rows": sorted(rows, key=lambda s: (s.school.name, s.turns_18, s.last_name)), "days": RENEWAL_NOTICE_DAYS},
    )
