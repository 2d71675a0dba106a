"""Consent test helpers: published texts for every purpose, students of a given age."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from consent.models import ConsentText, Purpose
from tests.factories import ConsentTextFactory, StudentFactory


def publish_texts(region, school=None, effective_from=dt.date(2026, 1, 1), version=1) -> dict[str, ConsentText]:
    """One published text per purpose for a region (or one school)."""
    return {
        p.value: ConsentTextFactory(
            region=region,
            school=school,
            purpose=p.value,
            version=version,
            title_nl=f"{p.label} (NL v{version})",
            body_nl=f"Uitleg in B1 over {p.label}, versie {version}.",
            title_en=f"{p.value} (EN v{version})",
            body_en=f"Plain English about {p.value}, version {version}.",
            effective_from=effective_from,
        )
        for p in Purpose
    }


def birthday_years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - dt.timedelta(days=days)


def make_student(cast, **kw):
    return StudentFactory(school=cast.school, municipality=cast.municipality, region=cast.region, **kw)
