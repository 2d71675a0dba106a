"""Users, organisations, regions and memberships: who works where, in which role."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kwint.lib.locking import VERSION_FIELD
from kwint.lib.text import fold


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("E-mail is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # E-mail addresses are stored lower-case; people type them any way.
        return self.get(**{self.model.USERNAME_FIELD: (username or "").lower()})


class User(AbstractBaseUser, PermissionsMixin):
    """A staff user. Logs in with an e-mail address; young people never have an account."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=150)
    phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    language = models.CharField(
        _("taal"), max_length=5, default="nl", choices=[("nl", "Nederlands"), ("en", "English")]
    )
    is_active = models.BooleanField(_("actief"), default=True)
    is_staff = models.BooleanField(_("toegang tot Django-beheer"), default=False)
    date_joined = models.DateTimeField(_("aangemaakt"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Region(models.Model):
    """An RMC region (one of the 40). Regions are data: the beheerder adds and renames them."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("naam"), max_length=120, unique=True)
    number = models.PositiveSmallIntegerField(_("RMC-regionummer"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A gemeente. It decides the region a young person belongs to."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("naam"), max_length=120, unique=True)
    cbs_code = models.CharField(_("CBS-code"), max_length=6, blank=True, help_text=_("Bijvoorbeeld GM0363"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("regio"))

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("mbo-school")
        RMC = "rmc", _("RMC / Doorstroompunt")
        GEMEENTE = "gemeente", _("gemeente")
        WSP = "wsp", _("Werkgeversservicepunt")
        UWV = "uwv", _("UWV")
        OTHER = "other", _("overig")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("regio"))
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("gemeente"),
        help_text=_("Voor een gemeente: welke gemeente. Voor een school: de vestigingsgemeente."),
    )
    email = models.EmailField(_("algemeen e-mailadres"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    # The name folded (no accents, lower case) for search, kept by save().
    search_name = models.CharField(_("zoeknaam"), max_length=200, blank=True, editable=False)
    edit_version = VERSION_FIELD()  # optimistic locking of the settings form (kwint.lib.locking)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "region"], name="organisation_unique_name_per_region")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)[:200]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def is_school(self) -> bool:
        return self.kind == self.Kind.SCHOOL


class Role(models.TextChoices):
    COACH = "coach", _("Coach")
    STAGIAIR = "stagiair", _("Stagiair")
    ZORGCOORDINATOR = "zorgcoordinator", _("Zorgcoördinator")
    COORDINATOR = "coordinator", _("Coördinator (RMC / Doorstroompunt)")
    MATCHTAFEL = "matchtafel", _("Matchtafelpartner")
    BEHEERDER = "beheerder", _("Functioneel beheerder")
    # Read-only, national: aggregates per region, never a record (ministry, Ingrado).
    ANALYST = "analist", _("Landelijk analist (alleen-lezen)")


class CoachKind(models.TextChoices):
    JOBCOACH = "jobcoach", _("Jobcoach")
    DOORWERKCOACH = "doorwerkcoach", _("Doorwerkcoach")
    PRAKTIJKCOACH = "praktijkcoach", _("Praktijkcoach")
    TRAJECTBEGELEIDER = "trajectbegeleider", _("RMC-trajectbegeleider")
    LOOPBAANCOACH = "loopbaancoach", _("Loopbaancoach")
    CONSULENT = "consulent", _("Consulent gemeente")


class Membership(models.Model):
    """A user's role in one organisation. A user can hold several; one is active per session."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("gebruiker"))
    organisation = models.ForeignKey(
        # PROTECT: an organisation with (former) members is deactivated, never deleted; the
        # roles are the record of who worked where.
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisatie"),
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    coach_kind = models.CharField(_("soort coach"), max_length=20, choices=CoachKind.choices, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capaciteit (aantal jongeren)"),
        null=True,
        blank=True,
        help_text=_("Hoeveel jongeren deze coach kan begeleiden, bijvoorbeeld 20 voor een halve dag per week."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role_per_org"),
        ]
        indexes = [models.Index(fields=["organisation", "role", "is_active"], name="membership_org_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"

    @property
    def is_coaching_role(self) -> bool:
        return self.role in {Role.COACH, Role.STAGIAIR}


class EnrolmentLink(models.Model):
    """A one-time link, e-mailed to the account's own address, that allows setting up (again) a
    second factor. Knowing the password is not enough to enrol: an attacker would also need the
    mailbox. Only the SHA-256 of the token is stored (accounts/enrolment.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("link voor tweede factor")
        verbose_name_plural = _("links voor tweede factor")
