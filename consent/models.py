"""Consent (AVG art. 6 and 7): versioned texts, an append-only record of answers, and the
current state per purpose that the access module reads."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Region
from kwint.lib.dates import short_date
from kwint.lib.locking import VERSION_FIELD

# The consent vocabulary and the current state per purpose live one floor down, in `students`:
# the access door reads them, and `students` never imports `consent`. Consent owns the texts,
# the append-only answers, the links and the renewals.
from students.models import CurrentConsent, Purpose, Status

__all__ = [
    "ConsentLink",
    "ConsentRecord",
    "ConsentRenewalReminder",
    "ConsentText",
    "CurrentConsent",
    "Purpose",
    "Status",
]


class ConsentText(models.Model):
    """One published version of the text for one purpose, for a region or a single school.

    A published version never changes; a new wording is a new row with its own version number
    and effective date, so every answer can show exactly what the young person read.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    purpose = models.CharField(_("doel"), max_length=20, choices=Purpose.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="consent_texts", verbose_name=_("regio"))
    school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consent_texts",
        verbose_name=_("school"),
        help_text=_("Leeg: geldt voor de hele regio."),
    )
    version = models.PositiveSmallIntegerField(_("versie"))
    title_nl = models.CharField(_("titel (Nederlands)"), max_length=200)
    body_nl = models.TextField(_("tekst (Nederlands, B1)"))
    title_en = models.CharField(_("titel (Engels)"), max_length=200)
    body_en = models.TextField(_("tekst (Engels)"))
    effective_from = models.DateField(_("geldig vanaf"))
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    edit_version = VERSION_FIELD()  # optimistic locking of the draft (kwint.lib.locking)

    class Meta:
        verbose_name = _("toestemmingstekst")
        verbose_name_plural = _("toestemmingsteksten")
        ordering = ["region", "school", "purpose", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "school", "purpose", "version"], name="consenttext_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} v{self.version}"

    def save(self, *args, **kwargs):
        # A published version is proof of what young people read: never rewritten. Drafts
        # change through `consent_text_update`; a new wording is a new version.
        if self.pk is not None and ConsentText.objects.filter(pk=self.pk, published_at__isnull=False).exists():
            raise RuntimeError("A published consent text never changes: create a new version instead.")
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ConsentRecord(models.Model):
    """One answer for one purpose. Append-only: never updated, never deleted (proof)."""

    class Method(models.TextChoices):
        PAPER = "paper", _("Op papier, bij de diplomapapieren")
        DIGITAL = "digital", _("Digitaal door de jongere")
        PHONE = "phone", _("Telefonisch")
        IN_PERSON = "in_person", _("Mondeling in gesprek")

    class GivenBy(models.TextChoices):
        STUDENT = "student", _("De jongere zelf")
        PARENT = "parent", _("Ouder")
        GUARDIAN = "guardian", _("Voogd / wettelijk vertegenwoordiger")

    # Fields the AVG erasure may blank (the database trigger allows exactly this update).
    PRIVACY_FIELDS = ("representative_name", "note")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # PROTECT: erasure pseudonymises a student, it never deletes one; a cascade would silently
    # destroy the proof of consent (and the database trigger refuses DELETE anyway).
    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="consent_records")
    purpose = models.CharField(_("doel"), max_length=20, choices=Purpose.choices)
    status = models.CharField(_("antwoord"), max_length=10, choices=Status.choices)
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, null=True, related_name="records")
    method = models.CharField(_("hoe"), max_length=10, choices=Method.choices)
    given_by = models.CharField(_("gegeven door"), max_length=10, choices=GivenBy.choices, default=GivenBy.STUDENT)
    representative_name = models.CharField(_("naam ouder / voogd"), max_length=150, blank=True)
    answered_at = models.DateTimeField(_("moment van het antwoord"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("toestemmingsantwoord")
        verbose_name_plural = _("toestemmingsantwoorden")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["student", "purpose", "-recorded_at"], name="consentrecord_latest_idx")]

    def __str__(self) -> str:
        # Read in the inzage beside "huidige toestemming": what was answered, and when.
        return f"{self.get_status_display()} ({short_date(self.answered_at)})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("ConsentRecord is append-only: record a new answer instead of editing one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("ConsentRecord is append-only and cannot be deleted.")


class ConsentLink(models.Model):
    """A personal link for the young person: answer the consent questions, or withdraw.

    Only the SHA-256 of the token is stored: a database dump holds no usable link. The token
    itself is shown once (QR code) or e-mailed, and never logged.
    """

    class Kind(models.TextChoices):
        ANSWER = "answer", _("Toestemming geven")
        WITHDRAW = "withdraw", _("Toestemming intrekken")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="consent_links")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Under 16 a parent or guardian answers: their link addresses them, and their answers are
    # recorded as theirs, with the name they confirm on the page.
    given_by = models.CharField(
        max_length=10, choices=ConsentRecord.GivenBy.choices, default=ConsentRecord.GivenBy.STUDENT
    )
    representative_name = models.CharField(_("naam ouder / voogd"), max_length=150, blank=True)

    # Blanked by the AVG erasure with the rest of the record.
    PRIVACY_FIELDS = ("representative_name",)

    class Meta:
        verbose_name = _("persoonlijke toestemmingslink")
        verbose_name_plural = _("persoonlijke toestemmingslinks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"

    @property
    def for_representative(self) -> bool:
        return self.given_by != ConsentRecord.GivenBy.STUDENT


class ConsentRenewalReminder(models.Model):
    """At 18, consent a parent or guardian gave must be renewed by the young person.

    One row per record: the unique constraint is the claim, so a second sweep, a retry or a
    second worker never reminds the coach twice about the same answer.
    """

    record = models.OneToOneField(ConsentRecord, on_delete=models.PROTECT, related_name="renewal_reminder")
    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="+")
    sent_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("herinnering toestemming vernieuwen")
        verbose_name_plural = _("herinneringen toestemming vernieuwen")
