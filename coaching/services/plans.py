"""Follow-up plans as data, per organisation: the three defaults are made on first use."""

from __future__ import annotations

from accounts.models import Organisation
from coaching.models import (
    FollowUpPlan,
)
from coaching.schedule import DEFAULT_PLANS


def followup_plans_ensure(*, organisation: Organisation) -> list[FollowUpPlan]:
    """The organisation's plans, creating the three default plans on first use."""
    plans = list(FollowUpPlan.objects.filter(organisation=organisation, is_active=True))
    if plans:
        return plans
    for spec in DEFAULT_PLANS:
        FollowUpPlan.objects.get_or_create(
            organisation=organisation,
            name=spec["name"],
            defaults={
                "kind": spec["kind"],
                "description": spec["description"],
                "name_en": spec["name_en"],
                "description_en": spec["description_en"],
                "rules": spec["rules"],
                "is_default": spec.get("is_default", False),
            },
        )
    return list(FollowUpPlan.objects.filter(organisation=organisation, is_active=True))


def _default_plan(organisation: Organisation) -> FollowUpPlan:
    plans = followup_plans_ensure(organisation=organisation)
    return next((p for p in plans if p.is_default), plans[0])
