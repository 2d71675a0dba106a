"""Coach-facing pages: logging contacts, the schedule and closing a trajectory.
Every student is fetched through `students.access.get_student_for` (404 / 403 / access log)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from coaching import services
from coaching.forms import CheckInDateForm, CloseForm, ContactEditForm, ContactForm, PlanForm, SupportStatusForm
from coaching.models import Channel, CheckIn, Contact, SupportAction
from coaching.selectors import plans_for
from kwint.lib.dates import long_date
from students.access import Perm, get_student_for
from students.retention import retention_if_closed_now
from students.selectors import contact_declined_at


def _back(request, student) -> str:
    """Where to go after a quick action: the page it came from (same site only), else the student."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("students:detail", args=[student.code])


def _form_errors_from(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_http_methods(["GET", "POST"])
def contact_new(request, code):
    student = get_student_for(request, code, Perm.LOG_CONTACT)
    trajectory = services.open_trajectory(student)
    if trajectory is None and student.trajectories.exists():
        messages.error(request, services.CLOSED_MESSAGE)
        return redirect("students:detail", code=student.code)
    due = services.due_checkin(trajectory)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_log(
                student=student,
                author=request.user,
                at=data["at"],
                channel=data["channel"],
                reached=data["reached"],
                duration_minutes=data.get("duration_minutes"),
                discussed=data.get("discussed", ""),
                next_steps=data.get("next_steps", ""),
                situation=form.situation_data(),
                support_actions=form.support_specs(),
                by_student=data.get("by_student", False),
            )
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("Contact vastgelegd."))
            return redirect("students:detail", code=student.code)
    return render(
        request,
        "coaching/contact_form.html",
        {"student": student, "form": form, "due": due, "no_contact_since": contact_declined_at(student)},
    )


@require_POST
def contact_unreached(request, code):
    """One click: an unanswered phone call, logged now."""
    student = get_student_for(request, code, Perm.LOG_CONTACT)
    try:
        services.contact_log(student=student, author=request.user, channel=Channel.PHONE, reached=False)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Niet bereikt vastgelegd voor %(name)s.") % {"name": student.full_name})
    return redirect(_back(request, student))


def _contact_for(request, code) -> Contact:
    contact = Contact.objects.filter(code=code).select_related("student").first()
    if contact is None:
        raise Http404
    get_student_for(request, contact.student.code, Perm.LOG_CONTACT)
    return contact


@require_http_methods(["GET", "POST"])
def contact_edit(request, code):
    contact = _contact_for(request, code)
    if not services.contact_is_editable(contact, request.user):
        raise PermissionDenied
    initial = {
        "channel": contact.channel,
        "reached": "1" if contact.reached else "0",
        "duration_minutes": contact.duration_minutes,
        "discussed": contact.discussed,
        "next_steps": contact.next_steps,
    }
    form = ContactEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.contact_edit(contact=contact, editor=request.user, **form.cleaned_data)
        messages.success(request, _("Contact gewijzigd. De vorige tekst staat in de geschiedenis."))
        return redirect("students:detail", code=contact.student.code)
    return render(request, "coaching/contact_edit.html", {"contact": contact, "form": form})


@require_POST
def checkin_add(request, code):
    student = get_student_for(request, code, Perm.LOG_CONTACT)
    trajectory = services.open_trajectory(student)
    if trajectory is None:
        raise Http404
    return _with_checkin_date(
        request,
        student,
        lambda due: services.checkin_add(trajectory=trajectory, due_date=due, actor=request.user),
        _("Contactmoment toegevoegd."),
    )


@require_POST
def checkin_move(request, code):
    checkin = CheckIn.objects.filter(code=code).select_related("trajectory__student").first()
    if checkin is None:
        raise Http404
    student = get_student_for(request, checkin.trajectory.student.code, Perm.LOG_CONTACT)
    return _with_checkin_date(
        request,
        student,
        lambda due: services.checkin_move(checkin=checkin, due_date=due, actor=request.user),
        _("Contactmoment verplaatst."),
    )


def _with_checkin_date(request, student, action, success_message):
    """Validate the posted date, run `action(due_date)`, and report back on the student page."""
    form = CheckInDateForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get("due_date") or _("Kies een geldige datum."))
        action(form.cleaned_data["due_date"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success_message)
    return redirect("students:detail", code=student.code)


@require_POST
def plan_switch(request, code):
    student = get_student_for(request, code, Perm.LOG_CONTACT)
    trajectory = services.open_trajectory(student)
    if trajectory is None:
        raise Http404
    form = PlanForm(request.POST, plans=plans_for(trajectory.organisation))
    if form.is_valid():
        services.trajectory_switch_plan(trajectory=trajectory, plan=form.cleaned_data["plan"], actor=request.user)
        messages.success(request, _("Contactplan gewijzigd; de toekomstige contactmomenten zijn opnieuw gepland."))
    else:
        messages.error(request, _("Kies een contactplan."))
    return redirect("students:detail", code=student.code)


@require_POST
def support_update(request, code):
    action = SupportAction.objects.filter(code=code).select_related("student").first()
    if action is None:
        raise Http404
    student = get_student_for(request, action.student.code, Perm.LOG_CONTACT)
    form = SupportStatusForm(request.POST)
    if form.is_valid():
        services.support_action_update(action=action, status=form.cleaned_data["status"], actor=request.user)
        messages.success(request, _("Status van het aanbod bijgewerkt."))
    else:
        messages.error(request, _("Kies een status."))
    return redirect("students:detail", code=student.code)


@require_http_methods(["GET", "POST"])
def close(request, code):
    student = get_student_for(request, code, Perm.LOG_CONTACT)
    if request.membership.role == Role.STAGIAIR:
        # A stagiair helps with contacts; ending someone's guidance is the coach's decision.
        raise PermissionDenied
    trajectory = services.open_trajectory(student)
    if trajectory is None:
        raise Http404
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.trajectory_close(
                trajectory=trajectory,
                reason=form.cleaned_data["reason"],
                situation=form.situation_data(),
                actor=request.user,
            )
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            student.refresh_from_db(fields=["erase_after"])
            day = student.erase_after
            messages.success(
                request,
                _("Traject afgesloten. Wordt gewist op %(day)s.") % {"day": long_date(day)}
                if day
                else _("Traject afgesloten."),
            )
            return redirect("students:detail", code=student.code)
    return render(
        request,
        "coaching/close_form.html",
        {"student": student, "trajectory": trajectory, "form": form, "retention": retention_if_closed_now(student)},
    )
