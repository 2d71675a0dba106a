"""The student page shows the erasure date and, for the right roles, the privacy actions."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse


def test_the_record_shows_its_erasure_date_and_the_privacy_links(cast, login, student):
    student.erase_after = dt.date(2027, 3, 1)
    student.save()
    html = login(cast.zorg).get(reverse("students:detail", args=[student.code])).content.decode()
    assert "1 maart 2027" in html
    assert reverse("privacy:student_log", args=[student.code]) in html


def test_a_coach_sees_the_date_but_not_the_privacy_actions(cast, login, student):
    student.coach = cast.school_coach.user
    student.erase_after = dt.date(2027, 3, 1)
    student.save()
    html = login(cast.school_coach).get(reverse("students:detail", args=[student.code])).content.decode()
    assert "1 maart 2027" in html
    assert reverse("privacy:student_log", args=[student.code]) not in html
