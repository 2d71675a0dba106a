"""What dates and years are possible for a young person in Kwint: one rule for the forms and
the import (`students.parsing` calls these after reading a cell), so a date refused on the
student form is refused in a file too.

- a birth date gives an age from 14 up to and including 30 today;
- a diploma date (expected or obtained) lies from 1 January 2015 up to two years ahead;
- a cohort (diploma year) is a four-digit year in that same range;
- a contact moment is not in the future;
- a free-text note (contact, handover) holds at most NOTE_MAX_LENGTH characters.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

MIN_AGE = 14
MAX_AGE = 30
EARLIEST_DIPLOMA = dt.date(2015, 1, 1)
DIPLOMA_YEARS_AHEAD = 2
# A phone's clock and the server's differ a little; a contact "in a minute" is a typo, not fraud.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
# A note is a few paragraphs, not a report: long enough for a real conversation, short enough
# that lists stay readable (they show the first lines with "meer").
NOTE_MAX_LENGTH = 4000


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birth_date_bounds(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """(earliest, latest) birth date allowed today."""
    today = _today(today)
    earliest = _years_later(today, -(MAX_AGE + 1)) + dt.timedelta(days=1)
    return earliest, _years_later(today, -MIN_AGE)


def diploma_date_bounds(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    return EARLIEST_DIPLOMA, _years_later(_today(today), DIPLOMA_YEARS_AHEAD)


def cohort_bounds(today: dt.date | None = None) -> tuple[int, int]:
    return EARLIEST_DIPLOMA.year, _today(today).year + DIPLOMA_YEARS_AHEAD


def validate_birth_date(value: dt.date | None, today: dt.date | None = None) -> None:
    if value is None:
        return
    today = _today(today)
    if value > today:
        raise ValidationError(_("Deze geboortedatum ligt in de toekomst."), code="future")
    age = age_on(value, today)
    if not MIN_AGE <= age <= MAX_AGE:
        raise ValidationError(
            _(
                "Met deze geboortedatum is de jongere nu %(age)s jaar. Kwint is voor jongeren van "
                "%(min)s tot en met %(max)s jaar: controleer de datum."
            )
            % {"age": age, "min": MIN_AGE, "max": MAX_AGE},
            code="age",
        )


def validate_diploma_date(value: dt.date | None, today: dt.date | None = None) -> None:
    if value is None:
        return
    earliest, latest = diploma_date_bounds(today)
    if value < earliest:
        raise ValidationError(_("Een diplomadatum ligt niet vóór 2015."), code="too_early")
    if value > latest:
        raise ValidationError(
            _("Een diplomadatum ligt hoogstens twee jaar vooruit, dus uiterlijk op %(date)s.")
            % {"date": formats.date_format(latest, "j F Y")},
            code="too_late",
        )


def validate_cohort(value: int | None, today: dt.date | None = None) -> None:
    if value is None:
        return
    first, last = cohort_bounds(today)
    if not first <= value <= last:
        raise ValidationError(
            _("Het cohort is het jaar van het diploma: een jaartal van %(first)s tot en met %(last)s.")
            % {"first": first, "last": last},
            code="cohort",
        )


def validate_not_future(value: dt.datetime | None, now: dt.datetime | None = None) -> None:
    """A contact (or another event that happened) cannot lie in the future."""
    if value is None:
        return
    if value > (now or timezone.now()) + FUTURE_TOLERANCE:
        raise ValidationError(
            _("Dit tijdstip ligt in de toekomst. Leg een contact vast nadat het er was."), code="future"
        )


def note_too_long_message(length: int) -> str:
    return _("Maak de notitie korter: maximaal %(max)s tekens, nu %(n)s.") % {"max": NOTE_MAX_LENGTH, "n": length}


def validate_note_length(value: str | None) -> None:
    if value and len(value) > NOTE_MAX_LENGTH:
        raise ValidationError(note_too_long_message(len(value)), code="max_length")
