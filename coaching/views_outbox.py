"""The beheerder's view of the outbox: reminders that were not sent, and why."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Role
from coaching import outbox
from kwint.lib.access import role_required
from kwint.lib.outbox import kind_label, reason_label

PAGE_SIZE = 50


@require_GET
@role_required(Role.BEHEERDER)
def unsent(request):
    page = Paginator(outbox.unsent_for_beheer(request.membership), PAGE_SIZE).get_page(request.GET.get("pagina"))
    rows = [(row, kind_label(row.kind), reason_label(row.reason)) for row in page.object_list]
    return render(
        request,
        "coaching/outbox_unsent.html",
        {"page": page, "rows": rows, "owed": outbox.owed().count()},
    )
