"""The follow-up schedule as a pure function: (plan rules, dates, today) -> planned dates.

No database, no clock: the services pass `today`, so tests freeze nothing but their inputs and
regenerating a plan can never produce a date in the past.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from coaching.models import MEASUREMENT_MONTHS

# A plan date this close to a measurement moment is that measurement: one call, not two.
MERGE_WINDOW_DAYS = 10
TRAJECTORY_MONTHS = 24

# Default plans every organisation starts with; the beheerder edits or adds to them as data.
DEFAULT_PLANS = [
    {
        "name": "Intensief",
        "name_en": "Intensive",
        "kind": "intensief",
        "description": "Elke twee weken contact, twee jaar lang.",
        "description_en": "Contact every two weeks, for two years.",
        "rules": [{"first_call_days": 7}, {"every_weeks": 2, "from_months": 0, "until_months": 24}],
    },
    {
        "name": "Regulier",
        "name_en": "Regular",
        "kind": "regulier",
        "description": "Het eerste halfjaar elke maand, daarna elk kwartaal.",
        "description_en": "Every month for the first six months, then every quarter.",
        "rules": [
            {"first_call_days": 7},
            {"every_months": 1, "from_months": 0, "until_months": 6},
            {"every_months": 3, "from_months": 6, "until_months": 24},
        ],
        "is_default": True,
    },
    {
        "name": "Licht",
        "name_en": "Light",
        "kind": "licht",
        "description": "Een eerste belafspraak, daarna na 3, 6, 12, 18 en 24 maanden.",
        "description_en": "A first phone call, then after 3, 6, 12, 18 and 24 months.",
        "rules": [{"first_call_days": 7}, {"at_months": [3, 6, 12, 18, 24]}],
    },
]


@dataclass(frozen=True)
class PlannedDate:
    due_date: dt.date
    measurement_month: int | None = None


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, clamped: 31 January + 1 month is the last day of February."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_date_for(diploma_date: dt.date) -> dt.date:
    return add_months(diploma_date, TRAJECTORY_MONTHS)


def _weekday(day: dt.date, end: dt.date) -> dt.date:
    """Coaches do not call on Sundays: a weekend date moves to Monday (or back to Friday at the end)."""
    if day.weekday() < 5:
        return day
    monday = day + dt.timedelta(days=7 - day.weekday())
    return monday if monday <= end else day - dt.timedelta(days=day.weekday() - 4)


def _plan_dates(rules: list[dict], anchor: dt.date, start: dt.date) -> set[dt.date]:
    dates: set[dt.date] = set()
    for rule in rules:
        if "first_call_days" in rule:
            dates.add(start + dt.timedelta(days=int(rule["first_call_days"])))
        if "at_months" in rule:
            dates.update(add_months(anchor, int(m)) for m in rule["at_months"])
        if "at_weeks" in rule:
            dates.update(anchor + dt.timedelta(weeks=int(w)) for w in rule["at_weeks"])
        if "every_weeks" in rule or "every_months" in rule:
            begin = add_months(anchor, int(rule.get("from_months", 0)))
            until = add_months(anchor, int(rule.get("until_months", TRAJECTORY_MONTHS)))
            step = 1
            while True:
                if "every_weeks" in rule:
                    day = begin + dt.timedelta(weeks=int(rule["every_weeks"]) * step)
                else:
                    day = add_months(begin, int(rule["every_months"]) * step)
                if day > until:
                    break
                dates.add(day)
                step += 1
    return dates


def generate_schedule(
    *, rules: list[dict], diploma_date: dt.date, start: dt.date, end: dt.date, today: dt.date
) -> list[PlannedDate]:
    """The planned check-ins from `max(start, today)` to `end`, sorted.

    The measurement moments (6, 12 and 24 months after the diploma) are always present,
    whatever the plan; a plan date within MERGE_WINDOW_DAYS of one is folded into it.
    """
    begin = max(start, today)
    measurements = {add_months(diploma_date, m): m for m in MEASUREMENT_MONTHS}
    planned: dict[dt.date, int | None] = {}
    for day in _plan_dates(rules, diploma_date, start):
        if any(abs((day - m).days) <= MERGE_WINDOW_DAYS for m in measurements):
            continue
        planned[_weekday(day, end)] = None
    for day, month in measurements.items():
        planned[_weekday(day, end)] = month
    return [PlannedDate(day, planned[day]) for day in sorted(planned) if begin <= day <= end]
