"""Reads for the self check-in: who may get a message, by which channel, and what the coach sees."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from checkins.models import Answer, Link, Message, PlanSettings, Preference
from coaching.models import FollowUpPlan
from consent.models import ConsentRecord
from consent.selectors import needs_representative
from students.models import CurrentConsent, Purpose, Status, Student

# Why a young person gets no check-in message. Shown to the coach; never to the young person.
REASONS = {
    "erased": _("De gegevens van deze jongere zijn gewist."),
    "no_consent": _("Er is geen toestemming voor contact door een coach."),
    "under_16": _("Deze jongere is jonger dan 16: contact loopt via ouder of voogd."),
    "guardian": _("De toestemming is gegeven door een ouder of voogd en nog niet door de jongere zelf vernieuwd."),
    "no_address": _("Er is geen mobiel nummer en geen e-mailadres."),
    "no_trajectory": _("Er loopt geen traject."),
}


def ineligible_reason(student: Student, today: dt.date | None = None) -> str | None:
    """None when a check-in message may go to this young person, else a key of REASONS.

    Only with consent for contact given by the young person themselves: a parent's or
    guardian's consent (under 16, or not yet renewed at 18) means the message is not ours to
    send to the child."""
    today = today or timezone.localdate()
    if student.erased_at is not None:
        return "erased"
    current = CurrentConsent.objects.filter(student=student, purpose=Purpose.CONTACT).select_related("record").first()
    if current is None or current.status != Status.GIVEN:
        return "no_consent"
    if needs_representative(student, today):
        return "under_16"
    if current.record.given_by != ConsentRecord.GivenBy.STUDENT:
        return "guardian"
    if not (student.phone or student.email):
        return "no_address"
    if not student.trajectories.filter(closed_at__isnull=True).exists():
        return "no_trajectory"
    return None


def preference_of(student: Student) -> Preference:
    """The stored preference, or the default one (not saved)."""
    return Preference.objects.filter(student=student).first() or Preference(student=student)


def channels_for(student: Student, preference: Preference | None = None) -> list[str]:
    """The channels a message goes out on, given the preference and what the record holds."""
    preference = preference or preference_of(student)
    sms, email = bool(student.phone), bool(student.email)
    wanted = {
        Preference.Channel.AUTO: ["sms"] if sms else ["email"],
        Preference.Channel.SMS: ["sms"] if sms else ["email"],
        Preference.Channel.EMAIL: ["email"] if email else ["sms"],
        Preference.Channel.BOTH: ["sms", "email"],
    }[preference.channel]
    return [c for c in wanted if (c == "sms" and sms) or (c == "email" and email)]


def automatic_allowed(preference: Preference, today: dt.date) -> bool:
    """Paused until a date, or switched off: no automatic messages (a coach may still send one)."""
    if preference.mode == Preference.Mode.OFF:
        return False
    if preference.mode == Preference.Mode.PAUSED:
        return preference.paused_until is not None and preference.paused_until < today
    return True


def plan_settings(plan: FollowUpPlan) -> PlanSettings:
    """The plan's settings, or the defaults (not saved)."""
    return PlanSettings.objects.filter(plan=plan).first() or PlanSettings(plan=plan)


@dataclass
class Panel:
    preference: Preference
    reason: str | None
    links: list[Link]
    answers: list[Answer]
    messages: list[Message]


def student_panel(student: Student) -> Panel:
    """What the coach sees of the self check-in on the student page. Four small queries."""
    return Panel(
        preference=preference_of(student),
        reason=ineligible_reason(student),
        links=list(Link.objects.filter(student=student).select_related("checkin")[:5]),
        answers=list(Answer.objects.filter(student=student).select_related("link__checkin")[:5]),
        messages=list(Message.objects.filter(student=student)[:10]),
    )


def messages_of(student: Student) -> QuerySet[Message]:
    return Message.objects.filter(student=student)


def self_checkin_state():
    """The caseload's check-in column: the state of the young person's latest link (of the last
    30 days) as one correlated subquery: "answered", "no_answer" (sent five days ago or more,
    or expired, without an answer), "sent", or "" (none)."""
    now = timezone.now()
    sent = Message.objects.filter(link=OuterRef("pk"), status__in=[Message.Status.SENT, Message.Status.DELIVERED])
    links = (
        Link.objects.filter(student=OuterRef("pk"), created_at__gte=now - dt.timedelta(days=30))
        .order_by("-created_at")
        .annotate(
            state=Case(
                When(answer_count__gt=0, then=Value("answered")),
                When(
                    Q(expires_at__lte=now) | Exists(sent.filter(sent_at__lte=now - dt.timedelta(days=5))),
                    then=Value("no_answer"),
                ),
                When(Exists(sent), then=Value("sent")),
                default=Value(""),
                output_field=CharField(),
            )
        )
        .values("state")[:1]
    )
    return Subquery(links, output_field=CharField())
