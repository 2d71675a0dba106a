"""Aggregates for the regional start page. Counts only, with small-number suppression."""

from __future__ import annotations

from django.db.models import Count, Q

from accounts.models import Membership
from consent.models import Purpose, Status
from kwint.lib.stats import suppress
from students.models import Handover, Student


def region_overview(membership: Membership) -> dict:
    """Per school in the coordinator's region: students and the state of sharing consent.

    One grouped query over an indexed region column, whatever the number of students.
    """
    region = membership.organisation.region
    sharing = "current_consents"
    rows = (
        Student.objects.active()
        .filter(region=region)
        .values("school__name")
        .annotate(
            total=Count("pk", distinct=True),
            given=Count("pk", filter=Q(**{f"{sharing}__purpose": Purpose.SHARING, f"{sharing}__status": Status.GIVEN})),
            refused=Count(
                "pk", filter=Q(**{f"{sharing}__purpose": Purpose.SHARING, f"{sharing}__status": Status.REFUSED})
            ),
            withdrawn=Count(
                "pk", filter=Q(**{f"{sharing}__purpose": Purpose.SHARING, f"{sharing}__status": Status.WITHDRAWN})
            ),
        )
        .order_by("school__name")
    )
    schools = [
        {
            "name": row["school__name"],
            "total": suppress(row["total"]),
            "given": suppress(row["given"]),
            "refused": suppress(row["refused"]),
            "withdrawn": suppress(row["withdrawn"]),
            "not_asked": suppress(max(row["total"] - row["given"] - row["refused"] - row["withdrawn"], 0)),
        }
        for row in rows
    ]
    pending = Handover.objects.filter(to_organisation=membership.organisation, status=Handover.Status.OFFERED).count()
    return {"region": region, "schools": schools, "pending_handovers": pending}
