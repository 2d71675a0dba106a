"""The coach's caseload: one page of 50 young people, searched, filtered and sorted in the URL,
with the attention summary on top. Students come from `students.access` (via the selector)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Role
from coaching.models import SituationKind
from coaching.selectors import (
    CASELOAD_FILTERS,
    CASELOAD_SORTS,
    caseload_attention_count,
    caseload_for,
    caseload_no_contact,
    caseload_renewals,
)
from kwint.lib.access import role_required
from kwint.lib.paging import page_of

SITUATION_LABELS = dict(SituationKind.choices)

CASELOAD_PAGE_SIZE = 50


def _url_for(name: str):
    """`code -> url` for a URL with one uuid: reversed once, filled per row (reversing 150
    URLs costs a 50-row page more than its query)."""
    marker = "00000000-0000-0000-0000-000000000000"
    pattern = reverse(name, args=[marker])
    return lambda code: pattern.replace(marker, str(code))


def _caseload_marks(s, today: dt.date) -> None:
    """What a row shows about a student's next check-in and last contact."""
    week = today + dt.timedelta(days=7)
    s.days_since_contact = (today - timezone.localdate(s.last_contact_at)).days if s.last_contact_at else None
    s.attention = s.next_due is not None and s.next_due <= today
    s.is_overdue = s.next_due is not None and s.next_due < today
    s.is_due_today = s.next_due == today
    s.is_due_week = s.next_due is not None and today < s.next_due <= week
    s.situation_label = SITUATION_LABELS.get(s.situation_kind, "")


@require_GET
@role_required(Role.COACH, Role.STAGIAIR)
def caseload(request):
    """One page of 50 with its count and the attention count in one query, who wants no contact
    in a second and renewals due at 18 in a third, whatever the size of the caseload (rows read
    in full for the page only)."""
    today = timezone.localdate()
    show = request.GET.get("toon", "alle")
    show = show if show in CASELOAD_FILTERS else "alle"
    sort = request.GET.get("sorteer", "aandacht")
    sort = sort if sort in CASELOAD_SORTS else "aandacht"
    q = request.GET.get("q", "").strip()[:100]
    students = caseload_for(request.membership, today=today, q=q, show=show, sort=sort)
    page = page_of(students, request.GET.get("pagina"), CASELOAD_PAGE_SIZE)
    rows = page.object_list
    detail_url, contact_url, unreached_url = (
        _url_for(name) for name in ("students:detail", "coaching:contact_new", "coaching:contact_unreached")
    )
    for s in rows:
        _caseload_marks(s, today)
        s.detail_url, s.contact_url, s.unreached_url = detail_url(s.code), contact_url(s.code), unreached_url(s.code)
    attention_total = rows[0].attention_total if rows else caseload_attention_count(request.membership, today=today)
    query = {key: value for key, value in (("q", q), ("toon", show), ("sorteer", sort)) if value}
    return render(
        request,
        "coaching/caseload.html",
        {
            "rows": rows,
            "page": page,
            "query": urlencode(query),
            "attention_total": attention_total,
            "no_contact": list(caseload_no_contact(request.membership)),
            "renewals": caseload_renewals(request.membership, today),
            "today": today,
            "show": show,
            "sort": sort,
            "q": q,
            "filters": [
                ("alle", _("Iedereen")),
                ("aandacht", _("Aandacht vandaag")),
                ("week", _("Deze week")),
                ("stil", _("Lang geen contact")),
            ],
            "sorts": [
                ("aandacht", _("Aandacht eerst")),
                ("naam", _("Naam")),
                ("laatste_contact", _("Langst geen contact")),
                ("volgend", _("Volgend contactmoment")),
            ],
        },
    )
