"""The warme overdracht: write, offer (one or a class at once), and receive."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from audit.models import Action
from audit.services import access_log
from kwint.lib.access import role_required
from kwint.lib.locking import StaleVersion, conflict_form
from students.access import Perm, get_student_for, has_perm, students_visible_to
from students.forms import AcceptForm, BulkOfferForm, DeclineForm, HandoverForm, OfferForm
from students.handovers import (
    HandoverBlocked,
    handover_accept,
    handover_decline,
    handover_offer,
    handover_offer_bulk,
    handover_open,
    handover_save,
    handover_withdraw,
    offer_block_reason,
    receivers_for,
)
from students.models import Handover
from students.selectors import handover_for_receiver, handovers_incoming
from students.views import support_labels


def _offer_form(request, data=None):
    organisations, coaches = receivers_for(request.membership)
    return OfferForm(data, organisations=organisations, coaches=coaches)


@require_http_methods(["GET", "POST"])
def handover_edit(request, code):
    """Write the handover; 'Opslaan als concept' keeps it, 'Aanbieden' also offers it."""
    student = get_student_for(request, code, Perm.EDIT)
    handover = handover_open(student)
    form = HandoverForm(request.POST or None, instance=handover)
    offer_form = _offer_form(request, request.POST if "offer" in request.POST else None)
    blocked = None
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        version = form.read_version
        try:
            if "offer" not in request.POST:
                handover_save(student=student, actor=request.user, data=data, version=version)
                messages.success(request, _("Concept opgeslagen. U kunt later verder schrijven."))
                return redirect("students:handover", code=student.code)
            if offer_form.is_valid():
                organisation, coach = offer_form.receiver_parts()
                try:
                    handover_offer(
                        student=student,
                        actor=request.user,
                        organisation=organisation,
                        coach=coach,
                        data=data,
                        version=version,
                    )
                except HandoverBlocked as exc:
                    # Keep what was written, and explain why it cannot go out yet.
                    handover_save(student=student, actor=request.user, data=data, version=version)
                    blocked = str(exc)
                    form = HandoverForm(instance=handover_open(student))
                else:
                    messages.success(request, _("Overdracht aangeboden aan %(org)s.") % {"org": organisation.name})
                    return redirect("students:detail", code=student.code)
        except StaleVersion as stale:
            # Someone saved the handover in between: nothing written; their changes beside yours.
            form = conflict_form(form, stale.current)
    return render(
        request,
        "students/handover_form.html",
        {"student": student, "handover": handover, "form": form, "offer_form": offer_form, "blocked": blocked},
        status=200,
    )


@require_POST
@role_required(Role.ZORGCOORDINATOR)
def handover_bulk(request):
    """Offer the selected students (one class) to one organisation, each with its own check."""
    membership = request.membership
    organisations, _coaches = receivers_for(membership)
    form = BulkOfferForm(request.POST, organisations=organisations)
    codes = request.POST.getlist("student")
    if not form.is_valid() or not codes:
        messages.error(request, _("Kies een organisatie en ten minste één student."))
        back = request.POST.get("next", "")
        # Only back to a page of this site (no open redirect).
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = "students:list"
        return redirect(back or "students:list")
    organisation = form.organisations[form.cleaned_data["organisation"]]
    try:
        students = list(students_visible_to(membership).filter(code__in=codes).select_related("school"))
    except Exception:  # a malformed code: treat like an unknown one
        students = []
    if len(students) != len(set(codes)):
        raise Http404
    allowed = [s for s in students if has_perm(membership, s, Perm.EDIT)]
    for student in allowed:
        access_log(request=request, action=Action.CHANGE, student=student, detail="handover_bulk")
    result = handover_offer_bulk(students=allowed, actor=request.user, organisation=organisation)
    return render(request, "students/handover_bulk_result.html", {"organisation": organisation, "result": result})


@require_GET
@role_required(Role.COORDINATOR, Role.COACH)
def handover_incoming(request):
    handovers = list(handovers_incoming(request.membership)[:200])
    return render(request, "students/handover_incoming.html", {"handovers": handovers})


def _receiver_handover(request, code):
    handover = handover_for_receiver(request.membership, code) if request.membership else None
    if handover is None:
        raise Http404
    # Through the one door: logs the view and re-checks visibility.
    get_student_for(request, handover.student.code)
    return handover


def _decide_context(request, handover, accept_form=None, decline_form=None):
    membership = request.membership
    if accept_form is None:
        initial = {}
        if handover.to_coach_id:
            initial["coach"] = handover.to_organisation.memberships.filter(
                user=handover.to_coach_id, role=Role.COACH
            ).first()
        elif membership.role == Role.COACH:
            initial["coach"] = membership
        accept_form = AcceptForm(organisation=handover.to_organisation, initial=initial)
    return {
        "handover": handover,
        "student": handover.student,
        "accept_form": accept_form,
        "decline_form": decline_form or DeclineForm(),
        "support_labels": support_labels(handover.support_needs),
        "block_reason": offer_block_reason(student=handover.student, organisation=handover.to_organisation),
    }


@require_GET
@role_required(Role.COORDINATOR, Role.COACH)
def handover_review(request, code):
    handover = _receiver_handover(request, code)
    return render(request, "students/handover_review.html", _decide_context(request, handover))


@require_POST
@role_required(Role.COORDINATOR, Role.COACH)
def handover_accept_view(request, code):
    handover = _receiver_handover(request, code)
    form = AcceptForm(request.POST, organisation=handover.to_organisation)
    if request.membership.role == Role.COACH and form.is_valid() and form.cleaned_data["coach"].user != request.user:
        form.add_error("coach", _("Als coach accepteert u een overdracht voor uzelf."))
    if form.is_valid():
        try:
            handover_accept(handover=handover, actor=request.user, coach=form.cleaned_data["coach"].user)
        except HandoverBlocked as exc:
            messages.error(request, str(exc))
            return redirect("students:handovers_incoming")
        access_log(request=request, action=Action.CHANGE, student=handover.student, detail="handover_accept")
        messages.success(request, _("Overdracht geaccepteerd."))
        return redirect("students:handovers_incoming")
    return render(
        request, "students/handover_review.html", _decide_context(request, handover, accept_form=form), status=400
    )


@require_POST
@role_required(Role.COORDINATOR, Role.COACH)
def handover_decline_view(request, code):
    handover = _receiver_handover(request, code)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            handover_decline(handover=handover, actor=request.user, reason=form.cleaned_data["reason"])
        except HandoverBlocked as exc:
            messages.error(request, str(exc))
        else:
            access_log(request=request, action=Action.CHANGE, student=handover.student, detail="handover_decline")
            messages.success(request, _("Overdracht afgewezen. De school krijgt bericht."))
        return redirect("students:handovers_incoming")
    return render(
        request, "students/handover_review.html", _decide_context(request, handover, decline_form=form), status=400
    )


@require_POST
def handover_withdraw_view(request, code):
    """Take back an offer that is still waiting for an answer."""
    student = get_student_for(request, code, Perm.EDIT)
    handover = student.handovers.filter(status=Handover.Status.OFFERED).order_by("-offered_at").first()
    if handover is None:
        raise Http404
    try:
        handover_withdraw(handover=handover, actor=request.user)
    except HandoverBlocked as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Aanbod ingetrokken. De overdracht staat weer als concept klaar."))
    return redirect("students:handover", code=student.code)
