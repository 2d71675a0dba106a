"""Aggregates for the regional start page. Counts only, with small-number suppression."""

from __future__ import annotations

from accounts.models import Membership
from consent.models import Purpose
from consent.selectors import consent_counts
from kwint.lib.stats import suppress
from students.models import Handover


def region_overview(membership: Membership) -> dict:
    """Per school in the coordinator's region: students and the state of sharing consent.

    One grouped query over an indexed region column, whatever the number of students.
    """
    region = membership.organisation.region
    rows = consent_counts(region, group_by=("school",), purpose=Purpose.SHARING)
    schools = [
        {
            "name": row["school"],
            "total": suppress(row["total"]),
            "given": suppress(row["given"]),
            "refused": suppress(row["refused"]),
            "withdrawn": suppress(row["withdrawn"]),
            "not_asked": suppress(row["total"] - row["asked"]),
        }
        for row in rows
    ]
    pending = Handover.objects.filter(to_organisation=membership.organisation, status=Handover.Status.OFFERED).count()
    return {"region": region, "schools": schools, "pending_handovers": pending}
