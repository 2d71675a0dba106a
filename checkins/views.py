"""The coach's side of the self check-in: send one by hand (after a preview), the young
person's preference (pause, off, channel, language), and the coordinator's settings per plan.
Every student is fetched through `students.access.get_student_for` (404 / 403 / access log)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Role
from checkins.forms import PlanSettingsForm, PreferenceForm
from checkins.selectors import REASONS, ineligible_reason, plan_settings, preference_of
from checkins.sending import checkin_send_by_hand, preview
from checkins.services import plan_settings_set, preference_set
from coaching.models import FollowUpPlan
from coaching.selectors import plans_for
from kwint.lib.access import role_required
from students.access import Perm, get_student_for


@require_http_methods(["GET", "POST"])
def send(request, code):
    """GET: the preview of the message; POST: send it now (through the outbox)."""
    student = get_student_for(request, code, Perm.LOG_CONTACT)
    reason = ineligible_reason(student)
    error = str(REASONS[reason]) if reason else ""
    if request.method == "POST" and not error:
        try:
            checkin_send_by_hand(student=student, actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, _("De check-in wordt verstuurd, overdag tussen acht uur 's ochtends en acht uur 's avonds.")
            )
            return redirect("students:detail", code=student.code)
    context = {"student": student, "preview": preview(student), "error": error}
    return render(request, "checkins/send.html", context, status=200 if not error or request.method == "GET" else 400)


@require_http_methods(["GET", "POST"])
def preference(request, code):
    student = get_student_for(request, code, Perm.LOG_CONTACT)
    current = preference_of(student)
    form = PreferenceForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        preference_set(student=student, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Check-in-instellingen opgeslagen."))
        return redirect("students:detail", code=student.code)
    return render(request, "checkins/preference.html", {"student": student, "form": form})


@require_GET
@role_required(Role.COORDINATOR)
def plans(request):
    """The coordinator's plans with what each sends by itself."""
    rows = [(plan, plan_settings(plan)) for plan in plans_for(request.membership.organisation)]
    return render(request, "checkins/plans.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@role_required(Role.COORDINATOR)
def plan_edit(request, code):
    plan = FollowUpPlan.objects.filter(code=code, organisation=request.membership.organisation).first()
    if plan is None:
        raise Http404
    form = PlanSettingsForm(request.POST or None, instance=plan_settings(plan))
    if request.method == "POST" and form.is_valid():
        plan_settings_set(plan=plan, **form.cleaned_data)
        messages.success(request, _("Check-in-instellingen van het contactplan opgeslagen."))
        return redirect("checkins:plans")
    return render(request, "checkins/plan_form.html", {"plan": plan, "form": form})
