"""One page of a list in one query: the rows of the page and, by a window count over the same
query, how many there are in all. Django's Paginator asks the count first, a second query
that walks the whole (filtered) list again."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

TOTAL = "page_total"
MAX_PAGE = 100_000


def page_of(queryset: QuerySet, number: str | None, per_page: int) -> Page:
    """Page `number` (1 when missing or not a number; the last page when past the end) of an
    ordered queryset, as a Django `Page` whose paginator knows the count."""
    try:
        # Bounded: an edited URL with a 30-digit page would overflow the database's OFFSET.
        wanted = min(max(1, int(number or 1)), MAX_PAGE)
    except ValueError:
        wanted = 1
    counted = queryset.annotate(**{TOTAL: Window(Count("pk"))})
    rows = list(counted[(wanted - 1) * per_page : wanted * per_page])
    if not rows and wanted > 1:
        # Past the end (a list that shrank, an edited URL): the last page, two more queries.
        total = queryset.count()
        wanted = max(1, -(-total // per_page))
        rows = list(counted[(wanted - 1) * per_page : wanted * per_page])
    paginator = Paginator(queryset, per_page)
    paginator.count = getattr(rows[0], TOTAL) if rows else 0  # the cached_property, filled in
    return Page(rows, wanted, paginator)
