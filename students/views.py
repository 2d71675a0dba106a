from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from students.access import get_student_for
from students.selectors import student_list, student_timeline


@require_GET
def student_index(request):
    students = student_list(request.membership)
    page = Paginator(students, 50).get_page(request.GET.get("pagina"))
    return render(request, "students/list.html", {"page": page})


@require_GET
def student_detail(request, code):
    student = get_student_for(request, code)
    return render(request, "students/detail.html", {"student": student, "timeline": student_timeline(student)[:100]})
