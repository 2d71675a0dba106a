"""The warme overdracht: write it, offer it (only with consent where the law needs it), and
let the receiving side accept or decline. All writes go through these services."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Membership, Organisation, Role
from kwint.lib.locking import bump, locked_for_update
from students.access import purpose_for_organisation
from students.models import Handover, Purpose, Student
from students.selectors import has_consent
from students.services import student_assign, timeline_add

CONTENT_FIELDS = (
    "what_works",
    "school_contacts",
    "support_needs",
    "risks",
    "preferred_channel",
    "own_words_wants",
    "own_words_needs",
)
OPEN_STATES = (Handover.Status.DRAFT, Handover.Status.OFFERED)


class HandoverBlocked(Exception):
    """The handover cannot go to this receiver; `str(exc)` is the Dutch reason for the user."""


def handover_open(student: Student) -> Handover:
    """The handover being written or waiting for an answer; else a new draft that starts from
    what the previous handover said (a declined one is not lost)."""
    handovers = list(student.handovers.order_by("-created_at", "-id")[:5])
    for handover in handovers:
        if handover.status in OPEN_STATES:
            return handover
    draft = Handover(student=student)
    if handovers:
        for name in CONTENT_FIELDS:
            setattr(draft, name, getattr(handovers[0], name))
    return draft


@transaction.atomic
def handover_save(*, student: Student, actor, data: dict, version: int | None = None) -> Handover:
    """Save the handover's content (a draft can be finished later). With `version` (the edit
    form's), raises kwint.lib.locking.StaleVersion when someone saved the handover in between."""
    handover = handover_open(student)
    created = handover.pk is None
    if not created:
        handover = locked_for_update(Handover, handover.pk, version)
    for name in CONTENT_FIELDS:
        if name in data:
            setattr(handover, name, data[name])
    if created:
        handover.created_by = actor
    else:
        bump(handover)
    handover.save()
    if created:
        timeline_add(student=student, event="handover_started", actor=actor)
    return handover


def offer_block_reason(*, student: Student, organisation: Organisation) -> str | None:
    """Why this student cannot be handed to `organisation`, in Dutch; None when it can."""
    purpose = purpose_for_organisation(organisation)
    if purpose is None:
        # The school keeps its own view; a handover to another school still needs consent.
        if organisation.pk == student.school_id:
            return None
        purpose = "sharing"
    if has_consent(student, purpose):
        return None
    return _(
        "%(org)s valt buiten de school. Na het diploma mag de school gegevens alleen delen met "
        "toestemming van de jongere voor '%(purpose)s'. Die toestemming is er (nog) niet of is ingetrokken."
    ) % {"org": organisation.name, "purpose": Purpose(purpose).label}


def receivers_for(membership: Membership) -> tuple[list[Organisation], list[Membership]]:
    """Organisations and named coaches a school may offer a handover to: its own school, the
    RMC / Doorstroompunt and gemeenten of its region, and their coaches."""
    school = membership.organisation
    organisations = list(
        Organisation.objects.filter(is_active=True, region=school.region_id)
        .filter(kind__in=[Organisation.Kind.RMC, Organisation.Kind.GEMEENTE])
        .order_by("kind", "name")
    )
    organisations.insert(0, school)
    coaches = list(
        Membership.objects.filter(
            organisation__in=organisations, role=Role.COACH, is_active=True, user__is_active=True
        ).select_related("user", "organisation")
    )
    return organisations, coaches


@transaction.atomic
@transaction.atomic
def handover_offer(
    *,
    student: Student,
    actor,
    organisation: Organisation,
    coach=None,
    data: dict | None = None,
    version: int | None = None,
) -> Handover:
    """Offer the open handover to an organisation (optionally a named coach of it). Raises
    HandoverBlocked when consent for the receiver is missing, StaleVersion as handover_save."""
    reason = offer_block_reason(student=student, organisation=organisation)
    if reason:
        raise HandoverBlocked(reason)
    handover = handover_save(student=student, actor=actor, data=data or {}, version=version)
    handover.to_organisation = organisation
    handover.to_coach = coach
    handover.status = Handover.Status.OFFERED
    handover.offered_by = actor
    handover.offered_at = timezone.now()
    handover.decided_by = None
    handover.decided_at = None
    handover.decline_reason = ""
    handover.save()
    receiver = f"{coach.full_name} ({organisation.name})" if coach else organisation.name
    timeline_add(
        student=student,
        event="handover_offered",
        actor=actor,
        data={"handover": str(handover.code), "organisation": str(organisation.code), "receiver": str(receiver)},
    )
    return handover


@dataclass
class BulkResult:
    offered: list[Student] = field(default_factory=list)
    blocked: list[tuple[Student, str]] = field(default_factory=list)


def handover_offer_bulk(*, students, actor, organisation: Organisation) -> BulkResult:
    """Offer each student's own handover to one organisation; each has its own consent check,
    and one blocked student never stops the others."""
    result = BulkResult()
    for student in students:
        try:
            handover_offer(student=student, actor=actor, organisation=organisation)
        except HandoverBlocked as exc:
            result.blocked.append((student, str(exc)))
        else:
            result.offered.append(student)
    return result


def _claim(handover: Handover) -> Handover:
    # Lock and re-read: two coordinators clicking at once cannot both decide.
    locked = (
        Handover.objects.select_for_update(of=("self",))
        .select_related("student", "to_organisation")
        .get(pk=handover.pk)
    )
    if locked.status != Handover.Status.OFFERED:
        raise HandoverBlocked(_("Deze overdracht is al afgehandeld."))
    return locked


@transaction.atomic
def handover_accept(*, handover: Handover, actor, coach) -> Handover:
    """Accept: the receiving organisation guides the student from now, with `coach`."""
    handover = _claim(handover)
    student = handover.student
    reason = offer_block_reason(student=student, organisation=handover.to_organisation)
    if reason:
        raise HandoverBlocked(reason)
    handover.status = Handover.Status.ACCEPTED
    handover.decided_by = actor
    handover.decided_at = timezone.now()
    handover.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    timeline_add(
        student=student,
        event="handover_accepted",
        actor=actor,
        data={"handover": str(handover.code), "organisation_name": handover.to_organisation.name},
    )
    student_assign(student=student, organisation=handover.to_organisation, coach=coach, actor=actor)
    _notify_sender(handover)
    return handover


@transaction.atomic
def handover_decline(*, handover: Handover, actor, reason: str) -> Handover:
    """Decline with a reason; the school keeps the student and can offer elsewhere."""
    handover = _claim(handover)
    handover.status = Handover.Status.DECLINED
    handover.decided_by = actor
    handover.decided_at = timezone.now()
    handover.decline_reason = reason
    handover.save(update_fields=["status", "decided_by", "decided_at", "decline_reason", "updated_at"])
    timeline_add(
        student=handover.student,
        event="handover_declined",
        actor=actor,
        data={"handover": str(handover.code), "organisation_name": handover.to_organisation.name},
    )
    _notify_sender(handover)
    return handover


@transaction.atomic
def handover_withdraw(*, handover: Handover, actor) -> Handover:
    """The school takes back an offer that is still waiting; the content stays for a new offer."""
    handover = _claim(handover)
    organisation = handover.to_organisation
    handover.status = Handover.Status.WITHDRAWN
    handover.decided_by = actor
    handover.decided_at = timezone.now()
    handover.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    timeline_add(
        student=handover.student,
        event="handover_offer_withdrawn",
        actor=actor,
        data={"handover": str(handover.code), "organisation_name": organisation.name},
    )
    return handover


def _notify_sender(handover: Handover) -> None:
    sender = handover.offered_by
    if sender is None or not sender.email or not sender.is_active:
        return
    context = {
        "handover": handover,
        "student": handover.student,
        "recipient": sender,
        "url": settings.KWINT_BASE_URL + reverse("students:detail", args=[handover.student.code]),
    }
    with translation.override(sender.language or "nl"):
        subject = " ".join(render_to_string("students/email/handover_decided_subject.txt", context).split())
        text = render_to_string("students/email/handover_decided.txt", context)
        html = render_to_string("students/email/handover_decided.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[sender.email])
    message.attach_alternative(html, "text/html")
    # Only once the decision is committed: a rolled-back accept must not announce itself.
    transaction.on_commit(lambda: message.send(fail_silently=True))
