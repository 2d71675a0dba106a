"""The pseudonymised research export (evaluation of the law: coached vs not coached).

Only young people who consented to research use. Per student a keyed pseudonym (HMAC-SHA256
with the project's secret: stable across that project's exports, unlinkable across projects),
dates coarsened to months, the postcode to its four digits, no names or contact details."""

from __future__ import annotations

import hashlib
import hmac

from django.db.models import Exists, OuterRef, QuerySet

from coaching.models import MEASUREMENT_MONTHS, Trajectory
from dashboards.models import ResearchExport, ResearchProject
from dashboards.selectors import Scope, in_view_annotated, with_situations
from students.access import consent_active
from students.models import Purpose, Student

COLUMNS = [
    "pseudoniem",
    "cohort",
    "diplomamaand",
    "geboortemaand",
    "pc4",
    "niveau",
    "leerweg",
    "crebo",
    "begeleid",
    "in_beeld",
    *[f"situatie_{m}_maanden" for m in MEASUREMENT_MONTHS],
]


def pseudonym(project: ResearchProject, student_code) -> str:
    return hmac.new(project.secret.encode(), str(student_code).encode(), hashlib.sha256).hexdigest()[:32]


def research_students(scope: Scope) -> QuerySet[Student]:
    """The scope's young people who consented to research use, whatever else they answered."""
    return scope.consent_students().filter(consent_active(Purpose.RESEARCH))


def _month(date) -> str:
    return date.strftime("%Y-%m") if date else ""


def research_rows(project: ResearchProject, scope: Scope, students: QuerySet[Student]) -> list[list]:
    """One row per consenting student; one query whatever the number."""
    from django.utils import timezone

    today = timezone.localdate()
    coached = Exists(Trajectory.objects.filter(student=OuterRef("pk")))
    annotated = in_view_annotated(with_situations(students, scope, diploma_only=False), scope, timezone.now())
    rows = []
    for s in annotated.annotate(coached=coached).order_by("pk"):
        rows.append(
            [
                pseudonym(project, s.code),
                s.cohort,
                _month(s.outcome_date),
                _month(s.date_of_birth),
                (s.postcode or "").replace(" ", "")[:4],
                s.level,
                s.leerweg,
                s.crebo,
                "ja" if s.coached else "nee",
                "ja" if s.is_in_view else "nee",
                *[_situation(s, m, today) for m in MEASUREMENT_MONTHS],
            ]
        )
    return rows


def _situation(student, months: int, today) -> str:
    """The situation at the measurement, "" when it has not come yet."""
    measured = getattr(student, f"measured_{months}")
    if measured is None or measured > today:
        return ""
    return getattr(student, f"situation_{months}") or "onbekend"


def record_export(*, project, membership, filters, file_format, row_count) -> ResearchExport:
    return ResearchExport.objects.create(
        project=project,
        made_by=membership.user,
        made_by_email=membership.user.email,
        organisation_name=membership.organisation.name,
        filters=filters,
        file_format=file_format,
        row_count=row_count,
    )
