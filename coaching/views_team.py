"""The coordinator's team view: caseload against capacity per coach, assigning and moving
students between coaches (through `students.services.student_assign`) and sharing with a
stagiair. Students are always reached through `students.access`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Membership, Role
from coaching.forms import MembershipChoiceForm
from coaching.selectors import annotate_coaching, stagiairs_of, team_for, team_students
from coaching.sharing import student_share, student_unshare
from kwint.lib.access import role_required
from kwint.lib.paging import page_of
from students.access import Perm, get_student_for, has_perm
from students.services import student_assign

TEAM_ROLES = (Role.COORDINATOR, Role.ZORGCOORDINATOR)
PAGE_SIZE = 50


def _coaches(organisation):
    return list(
        Membership.objects.filter(organisation=organisation, role=Role.COACH, is_active=True)
        .select_related("user")
        .order_by("user__full_name")
    )


@require_GET
@role_required(*TEAM_ROLES)
def team(request):
    membership = request.membership
    today = timezone.localdate()
    coaches = list(team_for(membership, today=today))
    for m in coaches:
        m.over_capacity = m.capacity is not None and m.caseload > m.capacity
        m.load_percent = round(100 * m.caseload / m.capacity) if m.capacity else None
    students = team_students(membership).select_related("coach")
    coach_filter = request.GET.get("coach", "")
    if coach_filter == "geen":
        students = students.filter(coach__isnull=True)
    elif coach_filter:
        chosen = next((m for m in coaches if str(m.code) == coach_filter), None)
        students = students.filter(coach=chosen.user) if chosen else students.none()
    q = request.GET.get("q", "").strip()[:100]
    if q:
        students = students.search(q)
    students = annotate_coaching(students).order_by("coach__full_name", "last_name", "first_name", "pk")
    page = page_of(students, request.GET.get("pagina"), PAGE_SIZE)
    # The coaches' table pages apart (the assign menus still offer every coach).
    coach_page = Paginator(coaches, PAGE_SIZE).get_page(request.GET.get("coachpagina"))
    filters = {key: value for key, value in (("coach", coach_filter), ("q", q)) if value}
    return render(
        request,
        "coaching/team.html",
        {
            "coaches": coaches,
            "coach_page": coach_page,
            "page": page,
            "query": urlencode({**filters, **({"coachpagina": coach_page.number} if coach_page.number > 1 else {})}),
            "coach_query": urlencode({**filters, **({"pagina": page.number} if page.number > 1 else {})}),
            "coach_filter": coach_filter,
            "q": q,
            "stagiairs": list(stagiairs_of(membership.organisation)),
            "today": today,
        },
    )


@require_POST
def assign(request, code):
    """Assign or move a student to a coach of the coordinator's organisation (history kept:
    contacts keep their author, the timeline records the move)."""
    student = get_student_for(request, code, Perm.ASSIGN)
    organisation = request.membership.organisation
    form = MembershipChoiceForm(request.POST, memberships=_coaches(organisation))
    if not form.is_valid():
        messages.error(request, _("Kies een coach van uw organisatie."))
        return redirect("coaching:team")
    coach = form.cleaned_data["membership"].user
    if student.coach_id == coach.pk and student.guiding_organisation_id == organisation.pk:
        messages.info(request, _("%(name)s staat al bij deze coach.") % {"name": student.full_name})
    else:
        student_assign(student=student, organisation=organisation, coach=coach, actor=request.user)
        messages.success(
            request, _("%(name)s is toegewezen aan %(coach)s.") % {"name": student.full_name, "coach": coach.full_name}
        )
    return redirect(_next_or_team(request))


def _next_or_team(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("coaching:team")


@require_POST
def share(request, code):
    """Share (or stop sharing) a student with a stagiair of the same organisation."""
    student = get_student_for(request, code, Perm.LOG_CONTACT)
    membership = request.membership
    may_share = has_perm(membership, student, Perm.ASSIGN) or (
        membership.role == Role.COACH and student.coach_id == membership.user_id
    )
    if not may_share:
        raise PermissionDenied
    form = MembershipChoiceForm(
        request.POST, memberships=list(stagiairs_of(membership.organisation)), label=_("Stagiair")
    )
    if not form.is_valid():
        messages.error(request, _("Kies een stagiair van uw organisatie."))
    elif request.POST.get("stop"):
        student_unshare(student=student, user=form.cleaned_data["membership"].user, actor=request.user)
        messages.success(request, _("Niet meer gedeeld."))
    else:
        student_share(student=student, user=form.cleaned_data["membership"].user, actor=request.user)
        messages.success(request, _("Gedeeld met de stagiair."))
    return redirect("students:detail", code=student.code)
