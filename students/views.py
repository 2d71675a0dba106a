"""Student list, page, create and edit. Import and handover views live in their own modules."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Role
from audit.models import Action
from audit.services import access_log
from kwint.lib.access import role_required
from kwint.lib.locking import StaleVersion, conflict_form
from students.access import Perm, get_student_for, has_perm
from students.filters import StudentFilter
from students.forms import StudentForm
from students.handovers import receivers_for
from students.models import Student, SupportNeed
from students.selectors import handover_decisions_recent, handovers_incoming, student_list, student_timeline
from students.services import student_create, student_update

PAGE_SIZE = 50


def support_labels(needs) -> list[str]:
    return [SupportNeed(n).label for n in needs or [] if n in SupportNeed.values]


SORTABLE = [
    ("naam", gettext_lazy("Naam")),
    ("studentnummer", gettext_lazy("Studentnummer")),
    ("opleiding", gettext_lazy("Opleiding")),
    ("niveau", gettext_lazy("Niveau")),
    (None, gettext_lazy("Klas")),
    ("cohort", gettext_lazy("Cohort")),
    ("diplomadatum", gettext_lazy("Verwachte diplomadatum")),
    (None, gettext_lazy("Toestemming delen")),
    (None, gettext_lazy("Overdracht")),
]


def _sort_columns(base_query: str, current: str) -> list[dict]:
    """Column headers that sort the list: a click sorts ascending, a second click descending."""
    columns = []
    prefix = f"{base_query}&" if base_query else ""
    for key, label in SORTABLE:
        column = {"label": label, "url": None, "aria_sort": None}
        if key:
            if current == key:
                column["aria_sort"], next_sort = "ascending", f"-{key}"
            elif current == f"-{key}":
                column["aria_sort"], next_sort = "descending", key
            else:
                next_sort = key
            column["url"] = f"?{prefix}sort={next_sort}"
        columns.append(column)
    return columns


@require_GET
@role_required(Role.ZORGCOORDINATOR, Role.COORDINATOR, Role.COACH, Role.STAGIAIR)
def student_index(request):
    membership = request.membership
    students = student_list(membership)
    programmes = students.order_by().exclude(programme_name="").values_list("programme_name", flat=True).distinct()
    filters = StudentFilter(request.GET, queryset=students, programmes=sorted(set(programmes)))
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    sort_query = query.copy()
    current_sort = sort_query.pop("sort", [""])[0]
    is_zorg = membership.role == Role.ZORGCOORDINATOR
    context = {
        "page": page,
        "filter": filters,
        "query": query.urlencode(),
        "columns": _sort_columns(sort_query.urlencode(), current_sort),
        "is_zorg": is_zorg,
        # Bulk offering: only for one class at a time, so nobody hands over a whole school by accident.
        "bulk": is_zorg and bool(request.GET.get("class_name")),
        "decisions": list(handover_decisions_recent(membership)[:5]) if is_zorg else [],
        "incoming_count": handovers_incoming(membership).count()
        if membership.role in {Role.COORDINATOR, Role.COACH}
        else 0,
    }
    if context["bulk"]:
        context["bulk_organisations"] = list(receivers_for(membership)[0])
    return render(request, "students/list.html", context)


@require_GET
def student_detail(request, code):
    student = get_student_for(request, code)
    membership = request.membership
    handovers = student.handovers.select_related("to_organisation", "to_coach", "offered_by", "decided_by").order_by(
        "-created_at"
    )
    context = {
        "student": student,
        "timeline": student_timeline(student)[:200],
        "handovers": handovers,
        "can_edit": has_perm(membership, student, Perm.EDIT),
        "support_labels": support_labels(student.support_needs),
    }
    return render(request, "students/detail.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.ZORGCOORDINATOR)
def student_new(request):
    school = request.membership.organisation
    form = StudentForm(request.POST or None, instance=Student(school=school))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        student = student_create(school=school, actor=request.user, data=data)
        access_log(request=request, action=Action.CREATE, student=student)
        messages.success(request, _("Student aangemaakt."))
        return redirect("students:detail", code=student.code)
    return render(request, "students/form.html", {"form": form, "student": None})


@require_http_methods(["GET", "POST"])
def student_edit(request, code):
    student = get_student_for(request, code, Perm.EDIT)
    form = StudentForm(request.POST or None, instance=student)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        # The ModelForm already set the values on `student`; reload so the service sees the change.
        student.refresh_from_db()
        try:
            changed = student_update(student=student, actor=request.user, data=data, version=form.read_version)
        except StaleVersion as stale:
            # Someone saved in between: nothing written; their changes beside yours.
            form = conflict_form(form, stale.current)
        else:
            messages.success(request, _("Wijzigingen opgeslagen.") if changed else _("Er was niets gewijzigd."))
            return redirect("students:detail", code=student.code)
    return render(request, "students/form.html", {"form": form, "student": student})
