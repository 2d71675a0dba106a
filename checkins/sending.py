"""Check-in messages through the outbox (coaching.outbox, kwint.lib.outbox): plan a row per
channel, and let the outbox claim, send and retry it exactly like the coaches' reminders.

Rules, each enforced where it cannot be bypassed:
- never at night: a row is planned for the next moment between 08:00 and 20:00
  Europe/Amsterdam, and a row claimed outside those hours is put back until 08:00 (`_defer`);
- at most one check-in message a week per young person: checked when a send is planned,
  under a lock on the student row, so two planners (the sweep, a coach) cannot both pass;
- only while consent for contact holds (by the young person), the link is unanswered and
  live: re-checked by the builder after the claim, so a withdrawal an hour before the send
  stops it.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from checkins import sms
from checkins.models import Link, Message
from checkins.selectors import REASONS, automatic_allowed, channels_for, ineligible_reason, preference_of
from checkins.services import MAX_ANSWERS, current_checkin, link_for_checkin, link_token, link_url
from kwint.lib import outbox
from students.models import Student
from students.services import timeline_add

log = logging.getLogger(__name__)

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
FIRST_HOUR, LAST_HOUR = 8, 20  # sent from 08:00 up to (not including) 20:00, Dutch time
WEEK = dt.timedelta(days=7)
KIND_SMS = "checkin_sms"
KIND_EMAIL = "checkin_email"
KIND_OF = {Message.Channel.SMS: KIND_SMS, Message.Channel.EMAIL: KIND_EMAIL}
# Statuses that count for the weekly limit: planned, on its way or delivered.
COUNTED = (Message.Status.PENDING, Message.Status.SENT, Message.Status.DELIVERED)


def send_moment(now: dt.datetime) -> dt.datetime:
    """`now` when it is daytime in Amsterdam, else the next 08:00 there."""
    local = now.astimezone(AMSTERDAM)
    if FIRST_HOUR <= local.hour < LAST_HOUR:
        return now
    day = local.date() if local.hour < FIRST_HOUR else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(FIRST_HOUR), tzinfo=AMSTERDAM)


def weekly_limit_until(student: Student, now: dt.datetime) -> dt.datetime | None:
    """When the last counted message was planned or sent, if within the week: the next one may
    go a week after it. None: a message may go now."""
    last = (
        Message.objects.filter(student=student, status__in=COUNTED)
        .filter(Q(sent_at__gt=now - WEEK) | Q(sent_at__isnull=True, created_at__gt=now - WEEK))
        .order_by("-created_at")
        .values_list("created_at", "sent_at")
        .first()
    )
    if last is None:
        return None
    return (last[1] or last[0]) + WEEK


# --- the text ------------------------------------------------------------------------------


def _names(student: Student) -> dict:
    coach = student.coach
    return {
        "name": student.display_first_name,
        "coach_first": coach.full_name.split()[0] if coach and coach.full_name else "",
        "coach": coach.full_name if coach else "",
        "organisation": student.guiding_organisation.name if student.guiding_organisation_id else "",
    }


def sms_text(student: Student, url: str, language: str) -> str:
    names = _names(student)
    with translation.override(language):
        if names["coach_first"]:
            text = _("Hoi %(name)s, hoe gaat het nu met je? Laat het %(coach)s even weten:") % {
                "name": names["name"],
                "coach": names["coach_first"],
            }
        else:
            text = _("Hoi %(name)s, hoe gaat het nu met je? Laat het je coach even weten:") % {"name": names["name"]}
    return f"{text} {url}"


def email_message(student: Student, url: str, language: str, *, reminder: bool) -> EmailMultiAlternatives:
    names = _names(student)
    context = {
        "url": url,
        "days": settings.KWINT_CHECKIN_LINK_DAYS,
        "reminder": reminder,
        "language": language,
        "coach": names["coach"],
        "organisation": names["organisation"],
        "greeting": sms_text(student, "", language).strip(),
    }
    with translation.override(language):
        subject = render_to_string("checkins/email/checkin_subject.txt", context).strip()
        text = render_to_string("checkins/email/checkin.txt", context)
        html = render_to_string("checkins/email/checkin.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[student.email])
    message.attach_alternative(html, "text/html")
    return message


def preview(student: Student) -> dict:
    """What the young person will get, with a placeholder for the personal link (a preview
    makes no link)."""
    preference = preference_of(student)
    placeholder = settings.KWINT_BASE_URL + "/c/…"
    email = email_message(student, placeholder, preference.language, reminder=False)
    return {
        "channels": channels_for(student, preference),
        "sms": sms_text(student, placeholder, preference.language),
        "subject": email.subject,
        "email": email.body,
        "language": preference.language,
    }


# --- planning ------------------------------------------------------------------------------


def _plan(*, link: Link, kind: str, channels: list[str], now: dt.datetime, created_by=None) -> list[Message]:
    """One round of messages for a link: a Message (the record) and an outbox row per channel,
    in one transaction, under a lock on the student row (the weekly limit)."""
    with transaction.atomic():
        student = Student.objects.select_for_update().get(pk=link.student_id)
        until = weekly_limit_until(student, now)
        if until is not None:
            raise ValidationError(
                _("Deze week is al een check-in gestuurd. De volgende kan vanaf %(date)s.")
                % {"date": until.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")}
            )
        last = Message.objects.filter(link=link).aggregate(n=Max("round"))["n"]
        round_ = 0 if last is None else last + 1
        when = send_moment(now)
        created = []
        for channel in channels:
            key = f"checkin:{link.pk}:{round_}:{channel}"
            message = Message.objects.create(
                key=key,
                student=student,
                link=link,
                kind=kind,
                round=round_,
                channel=channel,
                recipient=student.phone if channel == Message.Channel.SMS else student.email,
                on_date=when.astimezone(AMSTERDAM).date(),
                created_by=created_by,
            )
            outbox.enqueue(
                KIND_OF[channel],
                key=key,
                channel=channel if channel == Message.Channel.SMS else "ci_email",
                student_id=student.pk,
                checkin_id=link.checkin_id,
                on_date=message.on_date,
                not_before=when if when > now else None,
                payload={"message": message.pk},
            )
            created.append(message)
    return created


def _dispatch() -> None:
    # Lazy: coaching.tasks imports the Celery app; the web process needs it only here.
    from coaching import outbox as engine
    from coaching.tasks import dispatch

    dispatch(engine.owed_ids())


def checkin_send_by_hand(*, student: Student, actor, now: dt.datetime | None = None) -> list[Message]:
    """A coach sends a check-in now (after the preview). Same rules as the automatic ones,
    except pause/off: those stop only the automatic messages."""
    now = now or timezone.now()
    reason = ineligible_reason(student, timezone.localdate(now))
    if reason:
        raise ValidationError(str(REASONS[reason]))
    channels = channels_for(student)
    checkin = current_checkin(student, timezone.localdate(now))
    link, _token = link_for_checkin(student=student, checkin=checkin, created_by=actor)
    if link.answer_count >= MAX_ANSWERS:
        raise ValidationError(_("Dit contactmoment is al beantwoord."))
    messages = _plan(link=link, kind=Message.Kind.MANUAL, channels=channels, now=now, created_by=actor)
    transaction.on_commit(_dispatch)
    return messages


def _wanted(checkin, plan_settings, today: dt.date) -> bool:
    window = dt.timedelta(days=14)
    if plan_settings.at_measurements and checkin.is_measurement and checkin.due_date > today - window:
        return True
    if plan_settings.when_overdue:
        late = today - dt.timedelta(days=plan_settings.overdue_days)
        return late - window < checkin.due_date <= late
    return False


def checkins_plan(*, now: dt.datetime | None = None) -> int:
    """The daily sweep: first messages for the moments that send one by themselves, then the
    reminders for links without an answer. Idempotent (unique keys, the weekly limit)."""
    from checkins.selectors import plan_settings
    from coaching.models import CheckIn

    now = now or timezone.now()
    today = timezone.localdate(now)
    planned = 0
    settings_by_plan: dict = {}

    def settings_of(plan):
        if plan.pk not in settings_by_plan:
            settings_by_plan[plan.pk] = plan_settings(plan)
        return settings_by_plan[plan.pk]

    due = (
        CheckIn.objects.filter(
            status=CheckIn.Status.PLANNED,
            trajectory__closed_at__isnull=True,
            due_date__lte=today,
            due_date__gt=today - dt.timedelta(days=90),
        )
        .exclude(pk__in=Link.objects.filter(checkin__isnull=False).values("checkin"))
        .select_related("trajectory__plan", "trajectory__student")
        # A measurement first: with the weekly limit, the one message of the week asks for it.
        .order_by("-is_measurement", "due_date", "pk")
    )
    for checkin in due.iterator(chunk_size=500):
        if not _wanted(checkin, settings_of(checkin.trajectory.plan), today):
            continue
        planned += _plan_automatic(checkin.trajectory.student, checkin, Message.Kind.FIRST, now)

    open_links = (
        Link.objects.filter(answer_count=0, expires_at__gt=now, checkin__status=CheckIn.Status.PLANNED)
        .filter(checkin__trajectory__closed_at__isnull=True)
        .annotate(
            last_sent=Max("messages__sent_at"),
            followups=Max("messages__round", filter=Q(messages__kind=Message.Kind.FOLLOWUP)),
        )
        .filter(last_sent__isnull=False)
        .select_related("student", "checkin__trajectory__plan")
    )
    for link in open_links.iterator(chunk_size=500):
        rules = settings_of(link.checkin.trajectory.plan)
        done = Message.objects.filter(link=link, kind=Message.Kind.FOLLOWUP).values("round").distinct().count()
        if done >= rules.followups or link.last_sent > now - dt.timedelta(days=rules.followup_days):
            continue
        planned += _plan_automatic(link.student, link.checkin, Message.Kind.FOLLOWUP, now)
    if planned:
        transaction.on_commit(_dispatch)
    return planned


def _plan_automatic(student: Student, checkin, kind: str, now: dt.datetime) -> int:
    if ineligible_reason(student, timezone.localdate(now)):
        return 0
    preference = preference_of(student)
    if not automatic_allowed(preference, timezone.localdate(now)):
        return 0
    channels = channels_for(student, preference)
    if not channels or weekly_limit_until(student, now):
        return 0
    link, _token = link_for_checkin(student=student, checkin=checkin)
    try:
        return len(_plan(link=link, kind=kind, channels=channels, now=now))
    except ValidationError:  # the weekly limit, reached by a coach's send a moment ago
        return 0


# --- sending (called by the outbox engine after the claim) ----------------------------------


@dataclass
class SmsOut:
    message_id: int
    to: str
    body: str


@dataclass
class EmailOut:
    message_id: int
    email: EmailMultiAlternatives


def _skip(message: Message, reason: str) -> None:
    Message.objects.filter(pk=message.pk, status=Message.Status.PENDING).update(
        status=Message.Status.SKIPPED, skip_reason=reason
    )


def _still_to_send(row) -> Message | None:
    """The pending message behind an outbox row, or None (then marked skipped, with why)."""
    message = (
        Message.objects.select_related("student__coach", "student__guiding_organisation", "link")
        .filter(pk=(row.payload or {}).get("message"))
        .first()
    )
    if message is None or message.status != Message.Status.PENDING:
        return None
    now = timezone.now()
    link = message.link
    reason = ineligible_reason(message.student, timezone.localdate(now))
    if reason is None and link.answer_count > 0:
        reason = "answered"
    if reason is None and link.expires_at <= now:
        reason = "expired"
    if (
        reason is None
        and message.kind != Message.Kind.MANUAL
        and not automatic_allowed(preference_of(message.student), timezone.localdate(now))
    ):
        reason = "paused"
    if reason is None and message.recipient != (
        message.student.phone if message.channel == Message.Channel.SMS else message.student.email
    ):
        reason = "address_changed"
    if reason:
        _skip(message, reason)
        return None
    return message


def _language(message: Message) -> str:
    return preference_of(message.student).language


def build_sms(row) -> outbox.Outgoing | None:
    message = _still_to_send(row)
    if message is None:
        return None
    url = link_url(link_token(message.link))
    return outbox.Outgoing(
        SmsOut(message_id=message.pk, to=message.recipient, body=sms_text(message.student, url, _language(message)))
    )


def build_email(row) -> outbox.Outgoing | None:
    message = _still_to_send(row)
    if message is None:
        return None
    url = link_url(link_token(message.link))
    email = email_message(message.student, url, _language(message), reminder=message.kind == Message.Kind.FOLLOWUP)
    return outbox.Outgoing(EmailOut(message_id=message.pk, email=email))


def _accepted(message_id: int, reference: str) -> None:
    """The provider said yes: the record shows it at once (the young person's inzage)."""
    now = timezone.now()
    Message.objects.filter(pk=message_id, status=Message.Status.PENDING).update(
        status=Message.Status.SENT, sent_at=now, provider_reference=reference[:100]
    )
    message = Message.objects.select_related("student").get(pk=message_id)
    timeline_add(
        student=message.student, event="checkin_sent", data={"channel": message.channel, "kind": message.kind}, at=now
    )


def send_sms(out: SmsOut, key: str) -> str:
    try:
        reference = sms.backend().send(to=out.to, body=out.body, reference=key)
    except sms.SmsError as exc:
        # Raised on: the outbox gives the row back with a later not_before and retries.
        raise ConnectionError(str(exc)) from exc
    _accepted(out.message_id, reference)
    return reference


def send_email(out: EmailOut, key: str) -> str:
    reference = outbox.send_email(out.email, key)
    _accepted(out.message_id, reference)
    return reference


def _defer(row, now: dt.datetime) -> dt.datetime | None:
    later = send_moment(now)
    return later if later > now else None


def register() -> None:
    """Called from CheckinsConfig.ready()."""
    outbox.register_channel("sms", send_sms)
    outbox.register_channel("ci_email", send_email)
    outbox.register(
        KIND_SMS, label=gettext_lazy("Check-in aan de jongere (sms)"), build=build_sms, channel="sms", defer=_defer
    )
    outbox.register(
        KIND_EMAIL,
        label=gettext_lazy("Check-in aan de jongere (e-mail)"),
        build=build_email,
        channel="ci_email",
        defer=_defer,
    )


def delivery_report(report: sms.DeliveryReport) -> bool:
    """A provider's delivery report: the message's status follows it. False: no such message."""
    found = Message.objects.filter(channel=Message.Channel.SMS).filter(
        Q(provider_reference=report.provider_id) | Q(key=report.reference)
    )
    message = found.first()
    if message is None:
        return False
    if report.status == "delivered":
        found.filter(pk=message.pk).update(status=Message.Status.DELIVERED, delivered_at=timezone.now())
    elif report.status == "failed":
        found.filter(pk=message.pk).update(status=Message.Status.FAILED)
    return True
