"""The schedule is a pure function; these tests feed it dates and read dates back."""

from __future__ import annotations

import datetime as dt

import pytest

from coaching.schedule import DEFAULT_PLANS, add_months, end_date_for, generate_schedule

RULES = {p["kind"]: p["rules"] for p in DEFAULT_PLANS}
DIPLOMA = dt.date(2026, 7, 1)  # a Wednesday


def schedule(kind, *, start=DIPLOMA, today=DIPLOMA, diploma=DIPLOMA):
    return generate_schedule(
        rules=RULES[kind], diploma_date=diploma, start=start, end=end_date_for(diploma), today=today
    )


def test_add_months_clamps_to_the_end_of_short_months():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2027, 12, 31), 2) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 7, 1), 24) == dt.date(2028, 7, 1)


@pytest.mark.parametrize("kind", ["intensief", "regulier", "licht"])
def test_every_plan_has_the_three_measurement_moments(kind):
    planned = schedule(kind)
    measurements = {p.measurement_month: p.due_date for p in planned if p.measurement_month}
    assert set(measurements) == {6, 12, 24}
    # 1 January 2027 is a Friday; 1 July 2027 a Thursday; 1 July 2028 a Saturday -> Friday (the end).
    assert measurements[6] == dt.date(2027, 1, 1)
    assert measurements[12] == dt.date(2027, 7, 1)
    assert measurements[24] == dt.date(2028, 6, 30)


@pytest.mark.parametrize("kind", ["intensief", "regulier", "licht"])
def test_no_date_is_outside_the_trajectory_or_on_a_weekend(kind):
    planned = schedule(kind)
    assert planned == sorted(planned, key=lambda p: p.due_date)
    assert all(DIPLOMA <= p.due_date <= end_date_for(DIPLOMA) for p in planned)
    assert all(p.due_date.weekday() < 5 for p in planned)
    assert len({p.due_date for p in planned}) == len(planned)


def test_licht_is_a_first_call_then_3_6_12_18_24_months():
    dates = [p.due_date for p in schedule("licht")]
    assert dates == [
        dt.date(2026, 7, 8),
        dt.date(2026, 10, 1),
        dt.date(2027, 1, 1),
        dt.date(2027, 7, 1),
        dt.date(2028, 1, 3),  # 1 January 2028 is a Saturday
        dt.date(2028, 6, 30),
    ]


def test_regulier_is_monthly_for_half_a_year_then_quarterly():
    dates = [p.due_date for p in schedule("regulier")]
    first_half = [d for d in dates if d <= dt.date(2027, 1, 1)]
    assert len(first_half) == 7  # first call + five months + the 6-month measurement
    after = [d for d in dates if d > dt.date(2027, 1, 1)]
    gaps = {(b - a).days for a, b in zip(after, after[1:], strict=False)}
    assert all(80 <= g <= 95 for g in gaps)


def test_intensief_is_every_two_weeks():
    dates = [p.due_date for p in schedule("intensief")]
    assert 45 <= len(dates) <= 55
    gaps = [(b - a).days for a, b in zip(dates, dates[1:], strict=False)]
    assert max(gaps) <= 17


def test_regenerating_later_never_returns_a_date_in_the_past():
    today = dt.date(2027, 3, 15)
    planned = schedule("regulier", today=today)
    assert planned and all(p.due_date >= today for p in planned)
    assert {p.measurement_month for p in planned if p.measurement_month} == {12, 24}


def test_a_late_handover_starts_at_the_handover_date():
    start = dt.date(2026, 11, 2)
    planned = schedule("licht", start=start, today=start)
    assert planned[0].due_date == dt.date(2026, 11, 9)  # the first call, a week after the handover
    assert all(p.due_date >= start for p in planned)


def test_custom_rules_in_weeks():
    planned = generate_schedule(
        rules=[{"at_weeks": [2, 6]}],
        diploma_date=DIPLOMA,
        start=DIPLOMA,
        end=end_date_for(DIPLOMA),
        today=DIPLOMA,
    )
    assert [p.due_date for p in planned][:2] == [dt.date(2026, 7, 15), dt.date(2026, 8, 12)]
