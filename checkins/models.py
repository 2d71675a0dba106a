"""The young person's own check-in by phone: a personal link per check-in moment, the answers,
every message sent, and the settings per plan and per student.

Sits above `coaching` (it writes contacts and situations there) and below `privacy` (the
inzage lists these rows like any other row about the young person).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coaching.models import CheckIn, Contact, FollowUpPlan, SituationRecord
from kwint.lib.dates import short_date
from students.models import Student


class PlanSettings(models.Model):
    """Per plan, set by the coordinator: which moments send a check-in by themselves and how
    many reminders follow. A plan without a row uses the defaults below."""

    plan = models.OneToOneField(FollowUpPlan, on_delete=models.CASCADE, related_name="checkin_settings")
    at_measurements = models.BooleanField(_("bij de meetmomenten (6, 12 en 24 maanden)"), default=True)
    when_overdue = models.BooleanField(_("bij een contactmoment dat een week te laat is"), default=True)
    overdue_days = models.PositiveSmallIntegerField(_("te laat na (dagen)"), default=7)
    followups = models.PositiveSmallIntegerField(_("herinneringen zonder antwoord"), default=1)
    followup_days = models.PositiveSmallIntegerField(_("herinnering na (dagen)"), default=5)

    class Meta:
        verbose_name = _("check-in-instellingen van een contactplan")
        verbose_name_plural = _("check-in-instellingen van contactplannen")

    def __str__(self) -> str:
        return str(self.plan)


class Preference(models.Model):
    """Per young person: automatic check-ins on, paused or off, and by which channel."""

    class Mode(models.TextChoices):
        ON = "on", _("Aan")
        PAUSED = "paused", _("Gepauzeerd")
        OFF = "off", _("Uit")

    class Channel(models.TextChoices):
        AUTO = "auto", _("Sms als er een mobiel nummer is, anders e-mail")
        SMS = "sms", _("Sms")
        EMAIL = "email", _("E-mail")
        BOTH = "both", _("Sms en e-mail")

    class Language(models.TextChoices):
        NL = "nl", _("Nederlands")
        EN = "en", _("Engels")

    student = models.OneToOneField(Student, on_delete=models.CASCADE, related_name="checkin_preference")
    mode = models.CharField(_("automatische check-ins"), max_length=10, choices=Mode.choices, default=Mode.ON)
    paused_until = models.DateField(_("gepauzeerd tot"), null=True, blank=True)
    channel = models.CharField(_("kanaal check-in"), max_length=10, choices=Channel.choices, default=Channel.AUTO)
    language = models.CharField(_("taal check-in"), max_length=2, choices=Language.choices, default=Language.NL)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("voorkeur check-in")
        verbose_name_plural = _("voorkeuren check-in")

    def __str__(self) -> str:
        return self.get_mode_display()


class Link(models.Model):
    """One personal link per check-in moment. Only the SHA-256 of the token is stored; the
    token itself goes out in the message and is never logged."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="checkin_links")
    # SET_NULL: regenerating a plan deletes future moments; the link and its answers stay.
    checkin = models.ForeignKey(
        CheckIn, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("contactmoment")
    )
    token_hash = models.CharField(max_length=64, unique=True)
    # The token is HMAC(SECRET_KEY, salt): the worker that sends a message (and each reminder)
    # can rebuild it, while a database dump alone holds no usable link.
    token_salt = models.CharField(max_length=32, default="", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    expires_at = models.DateTimeField(_("geldig tot"))
    answer_count = models.PositiveSmallIntegerField(_("aantal antwoorden"), default=0)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    class Meta:
        verbose_name = _("check-in-link")
        verbose_name_plural = _("check-in-links")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkin"], condition=Q(checkin__isnull=False), name="checkinlink_one_per_moment"
            ),
        ]
        indexes = [models.Index(fields=["student", "-created_at"], name="checkinlink_student_idx")]

    def __str__(self) -> str:
        return short_date(self.created_at)


class Activity(models.TextChoices):
    WORK = "work", _("Werken")
    SCHOOL = "school", _("School of cursus")
    WORK_SCHOOL = "work_school", _("Werken en school")
    BENEFIT = "benefit", _("Ik heb een uitkering")
    LOOKING = "looking", _("Ik zoek werk")
    NOTHING = "nothing", _("Op dit moment niets")
    OTHER = "other", _("Iets anders")


class WantsContact(models.TextChoices):
    NO = "no", _("Nee, alles is goed")
    PHONE = "phone", _("Ja, bel me")
    WHATSAPP = "whatsapp", _("Ja, via WhatsApp")
    EMAIL = "email", _("Ja, via e-mail")


class Moment(models.TextChoices):
    ANY = "any", _("Maakt niet uit")
    MORNING = "morning", _("'s Ochtends")
    AFTERNOON = "afternoon", _("'s Middags")
    EVENING = "evening", _("Na 17.00 uur")


class Answer(models.Model):
    """What the young person answered through a link. The facts also land in coaching: a
    contact (channel "self check-in") and, where it tells something new, a situation."""

    PRIVACY_FIELDS = ("activity_other", "organisation_name", "message")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="answers", verbose_name=_("link"))
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="checkin_answers")
    submitted_at = models.DateTimeField(_("ingevuld op"))
    activity = models.CharField(_("wat doe je nu"), max_length=12, choices=Activity.choices)
    activity_other = models.CharField(_("iets anders, namelijk"), max_length=200, blank=True)
    organisation_name = models.CharField(_("werkgever of school"), max_length=200, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"), null=True, blank=True)
    contract_type = models.CharField(_("soort contract"), max_length=20, blank=True)
    wants_contact = models.CharField(_("wil contact"), max_length=10, choices=WantsContact.choices)
    moment = models.CharField(_("beste moment"), max_length=10, choices=Moment.choices, blank=True)
    message = models.TextField(_("bericht aan de coach"), blank=True)
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("contact")
    )
    situation = models.ForeignKey(
        SituationRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("situatie")
    )

    class Meta:
        verbose_name = _("antwoord check-in")
        verbose_name_plural = _("antwoorden check-in")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["student", "-submitted_at"], name="checkinanswer_student_idx")]

    def __str__(self) -> str:
        return self.get_activity_display()


class Message(models.Model):
    """Every check-in message, as the young person sees it in their inzage: when, which
    channel, which check-in, delivery status. Sending goes through the outbox (a
    `coaching.Reminder` row with the same unique key): claimed, sent once, retried."""

    PRIVACY_FIELDS = ("recipient",)

    class Kind(models.TextChoices):
        FIRST = "first", _("Check-in")
        FOLLOWUP = "followup", _("Herinnering check-in")
        MANUAL = "manual", _("Check-in, verstuurd door de coach")

    class Channel(models.TextChoices):
        SMS = "sms", _("Sms")
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        PENDING = "pending", _("Wachtend")
        SENT = "sent", _("Verzonden")
        DELIVERED = "delivered", _("Afgeleverd")
        FAILED = "failed", _("Niet afgeleverd")
        SKIPPED = "skipped", _("Niet verstuurd")

    key = models.CharField(max_length=120, unique=True)
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="checkin_messages")
    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="messages", verbose_name=_("link"))
    kind = models.CharField(_("soort bericht"), max_length=10, choices=Kind.choices)
    # One send of a link: 0 the first, 1.. the reminders; a coach's send takes the next round.
    # The SMS and the e-mail of one round are one message for the weekly limit.
    round = models.PositiveSmallIntegerField(_("ronde"), default=0)
    channel = models.CharField(_("kanaal"), max_length=5, choices=Channel.choices)
    recipient = models.CharField(_("verstuurd naar"), max_length=254, blank=True)
    on_date = models.DateField(_("gepland op"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    skip_reason = models.CharField(_("reden niet verstuurd"), max_length=40, blank=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("afgeleverd op"), null=True, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("check-in-bericht")
        verbose_name_plural = _("check-in-berichten")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "on_date"], name="checkinmsg_status_date_idx"),
            models.Index(fields=["student", "-created_at"], name="checkinmsg_student_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_channel_display()})"
