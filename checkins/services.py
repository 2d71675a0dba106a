"""Writes for the self check-in: links, the young person's answer, the coach's settings.

Only the SHA-256 of a link's token is stored. Resolving hashes the token and probes a unique
index; expired, used-up and unknown tokens all raise the same LinkInvalid, so the public page
cannot tell a guesser whether a link ever existed.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import Action
from audit.services import access_log
from checkins.models import Activity, Answer, Link, PlanSettings, Preference, WantsContact
from checkins.selectors import ineligible_reason
from coaching.models import Channel, CheckIn, Contact, FollowUpPlan, SituationKind, SituationRecord, Trajectory
from coaching.services import due_checkin, situation_record
from kwint.lib.ratelimit import Limit
from students.models import Student
from students.services import timeline_add

# A link takes at most two answers: the first, and one correction.
MAX_ANSWERS = 2
# Guessing: unknown tokens per client address per window; after that every token (also a right
# one) shows the same friendly page until the window ends.
MISSES_PER_CLIENT = Limit("checkin-link-misses", 20, 15 * 60)
# Submissions per link per hour (a script hammering one real link).
POSTS_PER_LINK = Limit("checkin-link-posts", 30, 60 * 60)

# What the answer "what are you doing now" means as a situation record.
SITUATION_OF = {
    Activity.WORK: SituationKind.WORK,
    Activity.SCHOOL: SituationKind.EDUCATION,
    Activity.WORK_SCHOOL: SituationKind.WORK,
    Activity.BENEFIT: SituationKind.BENEFIT,
    Activity.LOOKING: SituationKind.NOTHING,
    Activity.NOTHING: SituationKind.NOTHING,
}
# Activities for which the second screen asks for employer/school, hours and contract.
WITH_DETAILS = {Activity.WORK, Activity.SCHOOL, Activity.WORK_SCHOOL}
WITH_CONTRACT = {Activity.WORK, Activity.WORK_SCHOOL}


class LinkInvalid(Exception):
    """Expired, used up or unknown: the caller shows one friendly page for all three."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_url(token: str) -> str:
    return settings.KWINT_BASE_URL + reverse("checkins:public_start", args=[token])


def link_token(link: Link) -> str:
    """The link's token, rebuilt from its salt and the SECRET_KEY (never stored)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), b"kwint.checkin-link:" + link.token_salt.encode(), "sha256")
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def _new_token(link: Link) -> str:
    link.token_salt = secrets.token_hex(16)
    token = link_token(link)
    link.token_hash = token_hash(token)
    link.expires_at = timezone.now() + dt.timedelta(days=settings.KWINT_CHECKIN_LINK_DAYS)
    return token


def link_for_checkin(*, student: Student, checkin: CheckIn | None, created_by=None) -> tuple[Link, str]:
    """The link for this check-in moment: one per moment, and the same token in every message
    about it (first message, reminders, a coach's resend). An expired, unanswered link gets a
    fresh token and 30 new days."""
    with transaction.atomic():
        link = None
        if checkin is not None:
            link = Link.objects.select_for_update().filter(checkin=checkin).first()
        if link is None:
            link = Link(student=student, checkin=checkin, created_by=created_by)
            token = _new_token(link)
            link.save()
            return link, token
        if link.expires_at <= timezone.now() and link.answer_count < MAX_ANSWERS:
            token = _new_token(link)
            link.save(update_fields=["token_salt", "token_hash", "expires_at"])
            return link, token
    return link, link_token(link)


def current_checkin(student: Student, today: dt.date | None = None) -> CheckIn | None:
    """The check-in moment a message sent now is about: the one due (or soon due)."""
    trajectory = Trajectory.objects.filter(student=student, closed_at__isnull=True).first()
    return due_checkin(trajectory, today or timezone.localdate())


def link_resolve(*, token: str, client: str = "") -> Link:
    """The live link for a token, or LinkInvalid. Never says why."""
    if client and MISSES_PER_CLIENT.exceeded(client):
        raise LinkInvalid
    digest = token_hash(token or "")
    link = Link.objects.select_related("student", "student__coach", "student__guiding_organisation").filter(
        token_hash=digest
    )
    link = link.first()
    if (
        link is None
        or link.expires_at <= timezone.now()
        or link.answer_count >= MAX_ANSWERS
        or link.student.erased_at is not None
        or not secrets.compare_digest(link.token_hash, digest)
        # Consent for contact withdrawn (or the trajectory closed) since the message went out.
        or ineligible_reason(link.student) not in (None, "no_address")
    ):
        if client:
            MISSES_PER_CLIENT.hit(client)
        raise LinkInvalid
    return link


def _situation_is_new(student: Student, kind: str, values: dict) -> bool:
    latest = SituationRecord.objects.filter(student=student).order_by("-date", "-id").first()
    if latest is None or latest.kind != kind:
        return True
    return any(v not in ("", None) and getattr(latest, k) != v for k, v in values.items())


@transaction.atomic
def answer_submit(
    *,
    link: Link,
    activity: str,
    activity_other: str = "",
    organisation_name: str = "",
    hours_per_week: int | None = None,
    contract_type: str = "",
    wants_contact: str,
    moment: str = "",
    message: str = "",
) -> Answer:
    """The young person's answer: a contact on the timeline (channel "self check-in", reached,
    no staff author), a situation where it tells something new, the due moment done."""
    link = Link.objects.select_for_update(of=("self",)).select_related("student", "checkin").get(pk=link.pk)
    if link.answer_count >= MAX_ANSWERS or link.expires_at <= timezone.now():
        raise LinkInvalid
    student = link.student
    now = timezone.now()
    today = timezone.localdate(now)
    trajectory = Trajectory.objects.select_for_update().filter(student=student, closed_at__isnull=True).first()
    checkin = link.checkin
    if (
        checkin is None
        or checkin.status != CheckIn.Status.PLANNED
        or checkin.trajectory_id != getattr(trajectory, "pk", None)
    ):
        checkin = due_checkin(trajectory, today)
    wants = wants_contact != WantsContact.NO
    contact = Contact.objects.create(
        student=student,
        trajectory=trajectory,
        author=None,
        at=now,
        channel=Channel.SELF_CHECKIN,
        reached=True,
        discussed=message,
        wants_contact=wants,
    )
    timeline_add(
        student=student,
        event="checkin_answered",
        data={"activity": activity, "wants_contact": wants_contact, "moment": moment},
        at=now,
    )
    situation = None
    kind = SITUATION_OF.get(activity)
    measurement = checkin.measurement_month if checkin is not None and checkin.is_measurement else None
    if kind is not None:
        values = {"hours_per_week": hours_per_week}
        if activity in WITH_CONTRACT:
            values |= {"employer": organisation_name, "contract_type": contract_type}
        elif activity == Activity.SCHOOL:
            values["education_name"] = organisation_name
        if measurement or _situation_is_new(student, kind, values):
            situation = situation_record(
                student=student,
                kind=kind,
                date=today,
                contact=contact,
                measurement_month=measurement,
                **{k: v for k, v in values.items() if v not in ("", None)},
            )
    # A measurement moment needs a situation: "something else" leaves it open for the coach.
    if checkin is not None and (situation is not None or not checkin.is_measurement):
        checkin.status = CheckIn.Status.DONE
        checkin.completed_by = contact
        checkin.completed_at = now
        checkin.save(update_fields=["status", "completed_by", "completed_at"])
    answer = Answer.objects.create(
        link=link,
        student=student,
        submitted_at=now,
        activity=activity,
        activity_other=activity_other if activity == Activity.OTHER else "",
        organisation_name=organisation_name if activity in WITH_DETAILS else "",
        hours_per_week=hours_per_week if activity in WITH_DETAILS else None,
        contract_type=contract_type if activity in WITH_CONTRACT else "",
        wants_contact=wants_contact,
        moment=moment if wants else "",
        message=message,
        contact=contact,
        situation=situation,
    )
    Link.objects.filter(pk=link.pk).update(answer_count=link.answer_count + 1, answered_at=now)
    access_log(
        action=Action.CHANGE,
        student=student,
        object_type="checkin",
        object_code=str(answer.code),
        detail="check-in door de jongere",
    )
    return answer


@transaction.atomic
def preference_set(*, student: Student, actor, mode: str, channel: str, language: str, paused_until=None) -> Preference:
    """Automatic check-ins on, paused (until a date) or off, and the channel, per young person."""
    preference, _created = Preference.objects.select_for_update().get_or_create(student=student)
    before = preference.mode
    preference.mode = mode
    preference.paused_until = paused_until if mode == Preference.Mode.PAUSED else None
    preference.channel = channel
    preference.language = language
    preference.changed_by = actor
    preference.save()
    if before != mode:
        timeline_add(student=student, event="checkin_mode_changed", data={"mode": mode}, actor=actor)
    return preference


@transaction.atomic
def plan_settings_set(*, plan: FollowUpPlan, **values) -> PlanSettings:
    """The coordinator's choice per plan: which moments send a check-in, how many reminders."""
    row, _created = PlanSettings.objects.select_for_update().get_or_create(plan=plan)
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    return row
