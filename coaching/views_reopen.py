"""Reopening a closed trajectory: a coordinator of the organisation that guided it, with a reason
(kept in the access log). The student is reached through `students.access.get_student_for`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from coaching import services
from coaching.models import Trajectory
from kwint.lib.dates import long_date
from students.access import Perm, get_student_for


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Waarom wordt het traject heropend?"),
        min_length=5,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Bijvoorbeeld: per ongeluk afgesloten, of de jongere wil weer begeleiding."),
    )


def closed_trajectory_for(membership, student) -> Trajectory | None:
    """The last closed trajectory this coordinator's organisation ran, if none is open now."""
    if Trajectory.objects.filter(student=student, closed_at__isnull=True).exists():
        return None
    return (
        Trajectory.objects.filter(student=student, organisation=membership.organisation, closed_at__isnull=False)
        .order_by("-closed_at")
        .first()
    )


@require_http_methods(["GET", "POST"])
def reopen(request, code):
    student = get_student_for(request, code, Perm.VIEW)
    if request.membership.role != Role.COORDINATOR:
        raise PermissionDenied
    trajectory = closed_trajectory_for(request.membership, student)
    if trajectory is None:
        raise Http404
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.trajectory_reopen(trajectory=trajectory, reason=form.cleaned_data["reason"], request=request)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            student.refresh_from_db(fields=["erase_after"])
            day = student.erase_after
            messages.success(
                request,
                _("Traject heropend. Wordt gewist op %(day)s.") % {"day": long_date(day)}
                if day
                else _("Traject heropend. Er is geen wisdatum meer."),
            )
            return redirect("students:detail", code=student.code)
    return render(request, "coaching/reopen_form.html", {"student": student, "trajectory": trajectory, "form": form})
