from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Role
from kwint.lib.access import role_required
from students.selectors import student_list


@require_GET
@role_required(Role.COACH, Role.STAGIAIR)
def caseload(request):
    students = student_list(request.membership)
    return render(request, "coaching/caseload.html", {"students": students})
