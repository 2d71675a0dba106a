"""Reads of consent state."""

from __future__ import annotations

from consent.models import CurrentConsent, Status


def active_purposes(student) -> set[str]:
    """The purposes this student's consent currently covers."""
    return set(
        CurrentConsent.objects.filter(student=student, status=Status.GIVEN).values_list("purpose", flat=True)
    )


def has_consent(student, purpose: str) -> bool:
    return CurrentConsent.objects.filter(student=student, purpose=purpose, status=Status.GIVEN).exists()
