"""The access log (NEN 7513-style): who viewed, changed, exported or was refused which record.

Kept apart from the records' own retention: entries hold the student's opaque code, not a
foreign key, so erasing a record leaves the proof of who looked at it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("Bekeken")
    CREATE = "create", _("Aangemaakt")
    CHANGE = "change", _("Gewijzigd")
    EXPORT = "export", _("Geëxporteerd")
    PRINT = "print", _("Afgedrukt")
    ERASE = "erase", _("Gewist")
    LOGIN = "login", _("Ingelogd")
    LOGIN_FAILED = "login_failed", _("Mislukte inlogpoging")
    SECURITY = "security", _("Beveiliging")


class Result(models.TextChoices):
    OK = "ok", _("Toegestaan")
    DENIED = "denied", _("Geweigerd")
    NOT_FOUND = "not_found", _("Niet gevonden")


class AccessLogEntry(models.Model):
    at = models.DateTimeField(_("tijdstip"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Copied, not joined: the entry must stay readable when the user or organisation changes.
    actor_email = models.CharField(_("gebruiker"), max_length=254, blank=True)
    organisation_name = models.CharField(_("organisatie"), max_length=200, blank=True)
    organisation_code = models.UUIDField(null=True, blank=True, db_index=True)
    role = models.CharField(_("rol"), max_length=20, blank=True)
    action = models.CharField(_("actie"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("soort gegeven"), max_length=40, blank=True)
    object_code = models.CharField(_("gegeven"), max_length=64, blank=True)
    student_code = models.UUIDField(_("jongere"), null=True, blank=True)
    result = models.CharField(_("resultaat"), max_length=10, choices=Result.choices, default=Result.OK)
    detail = models.CharField(_("toelichting"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("herkomst (IP)"), null=True, blank=True)
    path = models.CharField(_("adres"), max_length=300, blank=True)
    # Hash chain: each entry hashes its own content plus the previous entry's hash, so a
    # removed or edited row breaks every hash after it.
    prev_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("logregel")
        verbose_name_plural = _("toegangslog")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["student_code", "-at"], name="accesslog_student_idx"),
            models.Index(fields=["actor", "-at"], name="accesslog_actor_idx"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("The access log is append-only.")
