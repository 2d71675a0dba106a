"""Coaching: trajectories, the follow-up schedule, contacts, situations and support actions.

Sized for the regional dashboards: 150,000 young people and millions of contacts in one
database. Every column a dashboard or the morning sweep filters on is indexed, and the
region filter goes through the denormalised `student.region`.

Models holding personal free text declare `PRIVACY_FIELDS`: the erasure task blanks exactly
those columns and keeps the facts (dates, kinds, reached) for the aggregates.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from kwint.lib.dates import short_date, short_datetime
from students.models import Student

MEASUREMENT_MONTHS = (6, 12, 24)


class FollowUpPlan(models.Model):
    """A follow-up plan as data, per organisation. `rules` is a list of rule objects:

    - ``{"first_call_days": 7}``: the first call, days after the start of the trajectory;
    - ``{"every_weeks": 2, "from_months": 0, "until_months": 24}``;
    - ``{"every_months": 3, "from_months": 6, "until_months": 24}``;
    - ``{"at_months": [3, 6, 12]}`` / ``{"at_weeks": [2, 6]}``.

    Months and weeks count from the diploma date; see `coaching.schedule`.
    """

    class Kind(models.TextChoices):
        INTENSIEF = "intensief", _("Intensief")
        REGULIER = "regulier", _("Regulier")
        LICHT = "licht", _("Licht")
        MAATWERK = "maatwerk", _("Maatwerk")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="followup_plans", verbose_name=_("organisatie")
    )
    name = models.CharField(_("naam"), max_length=100)
    # The plan's name and description as the English interface shows them; empty: the Dutch.
    name_en = models.CharField(_("naam (Engels)"), max_length=100, blank=True)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.MAATWERK)
    description = models.CharField(_("omschrijving"), max_length=300, blank=True)
    description_en = models.CharField(_("omschrijving (Engels)"), max_length=300, blank=True)
    rules = models.JSONField(_("regels"), default=list)
    is_default = models.BooleanField(_("standaardplan"), default=False)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("contactplan")
        verbose_name_plural = _("contactplannen")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="followupplan_unique_name_per_org"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def names(self) -> dict[str, str]:
        """The name per language, as the timeline stores it."""
        return {"nl": self.name, "en": self.name_en or self.name}

    @property
    def display_name(self) -> str:
        return self.name_en if self.name_en and _english() else self.name

    @property
    def display_description(self) -> str:
        return self.description_en if self.description_en and _english() else self.description


def _english() -> bool:
    return (translation.get_language() or "nl").startswith("en")


class CloseReason(models.TextChoices):
    GOAL_REACHED = "doel_bereikt", _("Doel bereikt")
    NO_NEED = "geen_behoefte", _("Geen behoefte")
    UNREACHABLE = "niet_bereikbaar", _("Niet bereikbaar")
    MOVED = "verhuisd", _("Verhuisd")
    CONSENT_WITHDRAWN = "toestemming_ingetrokken", _("Toestemming ingetrokken")
    TERM_ENDED = "termijn_verlopen", _("Termijn verlopen")
    # Set only by the privacy erasure, never chosen by a coach.
    ERASED = "gewist", _("Gegevens gewist (AVG)")


class Trajectory(models.Model):
    """One guidance period of a student: from the diploma (or a later handover) to two years after."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="trajectories")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="trajectories", verbose_name=_("organisatie")
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trajectories",
        verbose_name=_("coach"),
    )
    plan = models.ForeignKey(
        FollowUpPlan, on_delete=models.PROTECT, related_name="trajectories", verbose_name=_("contactplan")
    )
    diploma_date = models.DateField(_("diplomadatum"))
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("einde"))
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    close_reason = models.CharField(_("reden afsluiten"), max_length=30, choices=CloseReason.choices, blank=True)
    final_situation = models.ForeignKey(
        "SituationRecord",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eindsituatie"),
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        ordering = ["-start_date"]
        constraints = [
            # One open guidance period per young person: the caseload and the sweep rely on it.
            models.UniqueConstraint(
                fields=["student"], condition=Q(closed_at__isnull=True), name="trajectory_one_open_per_student"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "closed_at"], name="trajectory_org_closed_idx"),
            models.Index(fields=["coach", "closed_at"], name="trajectory_coach_closed_idx"),
            models.Index(fields=["end_date"], name="trajectory_end_idx", condition=Q(closed_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.student} ({short_date(self.start_date)} – {short_date(self.end_date)})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CheckIn(models.Model):
    """A planned contact moment. The schedule lives here (indexed due date), not in a queue."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Gepland")
        DONE = "done", _("Gedaan")
        MISSED = "missed", _("Gemist")
        CANCELLED = "cancelled", _("Vervallen")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="checkins")
    # Denormalised from the trajectory: the morning sweep groups due check-ins per coach
    # with one index scan instead of a join over every open trajectory.
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="checkins"
    )
    due_date = models.DateField(_("datum"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    is_measurement = models.BooleanField(_("meetmoment"), default=False)
    measurement_month = models.PositiveSmallIntegerField(_("meetmoment (maanden)"), null=True, blank=True)
    # Added or moved by the coach: regenerating the plan keeps it.
    is_manual = models.BooleanField(_("handmatig"), default=False)
    completed_by = models.ForeignKey(
        "Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="completed_checkins"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["coach", "status", "due_date"], name="checkin_coach_status_due_idx"),
            models.Index(fields=["trajectory", "status", "due_date"], name="checkin_traj_status_due_idx"),
            models.Index(fields=["status", "due_date"], name="checkin_status_due_idx"),
            # dashboards.summary.changed_since: check-ins completed since the last run.
            models.Index(
                fields=["completed_at"], name="checkin_completed_idx", condition=Q(completed_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{short_date(self.due_date)} ({self.get_status_display()})"


class Channel(models.TextChoices):
    PHONE = "telefoon", _("Telefoon")
    APP = "app", _("WhatsApp / app")
    SMS = "sms", _("Sms")
    EMAIL = "email", _("E-mail")
    OFFICE = "kantoor", _("Gesprek op kantoor")
    WORKPLACE = "werkplek", _("Werkplekbezoek")
    HOME = "huisbezoek", _("Huisbezoek")
    SCHOOL_PARENTS = "school_ouders", _("Via school / ouders")
    # Written by the young person through their personal check-in link (checkins app).
    SELF_CHECKIN = "zelf", _("Check-in door de jongere zelf")


# What a staff member may pick when logging a contact: a self check-in is written only by the
# young person's own link.
STAFF_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.SELF_CHECKIN]


class Contact(models.Model):
    """A contact or contact attempt. An unanswered call is worth logging too."""

    PRIVACY_FIELDS = ("discussed", "next_steps")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="contacts")
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="contacts")
    at = models.DateTimeField(_("datum en tijd"))
    channel = models.CharField(_("kanaal"), max_length=20, choices=Channel.choices, default=Channel.PHONE)
    reached = models.BooleanField(_("bereikt"), default=True)
    # The young person got in touch themselves. The only contact that may be logged while they
    # want no contact (consent for contact refused or withdrawn): it happened, it was not outreach.
    by_student = models.BooleanField(_("op initiatief van de jongere"), default=False)
    duration_minutes = models.PositiveSmallIntegerField(_("duur (minuten)"), null=True, blank=True)
    discussed = models.TextField(_("wat is besproken"), blank=True)
    next_steps = models.TextField(_("afspraken / vervolgstappen"), blank=True)
    # A self check-in in which the young person asked to be contacted: the caseload and the
    # morning digest flag it until a coach has reached them.
    wants_contact = models.BooleanField(_("jongere vraagt om contact"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacten")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["student", "-at"], name="contact_student_at_idx"),
            models.Index(fields=["student", "reached", "-at"], name="contact_student_reached_at_idx"),
            models.Index(fields=["author", "-at"], name="contact_author_at_idx"),
            # The reminder sweep's candidates: unanswered attempts (first sweep: by date; after
            # that: those logged since the last sweep, whatever date they were entered for).
            models.Index(fields=["at"], name="contact_unreached_at_idx", condition=Q(reached=False)),
            models.Index(fields=["created_at"], name="contact_unreached_logged_idx", condition=Q(reached=False)),
            # The morning digest: who asked for contact in a self check-in lately (few rows).
            models.Index(fields=["at"], name="contact_wants_contact_at_idx", condition=Q(wants_contact=True)),
            # The dashboard summary's incremental run: contacts logged or edited since the last
            # run (dashboards.summary.changed_since; without these a scan of every contact).
            models.Index(fields=["created_at"], name="contact_created_idx"),
            models.Index(fields=["edited_at"], name="contact_edited_idx", condition=Q(edited_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {short_datetime(self.at)}"


class ContactRevision(models.Model):
    """The text of a contact before an edit: notes stay editable briefly, the history stays."""

    PRIVACY_FIELDS = ("discussed", "next_steps")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="revisions")
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    edited_at = models.DateTimeField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    reached = models.BooleanField()
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    discussed = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)

    class Meta:
        ordering = ["-edited_at", "-id"]


class SituationKind(models.TextChoices):
    WORK = "werk", _("Werk")
    EDUCATION = "opleiding", _("Opleiding")
    BENEFIT = "uitkering", _("Uitkering")
    WORK_BENEFIT = "werk_uitkering", _("Werk + uitkering")
    DAYCARE = "dagbesteding", _("Dagbesteding")
    NOTHING = "niets", _("Geen werk of opleiding (thuiszitter)")
    UNKNOWN = "onbekend", _("Onbekend / uit beeld")


class ContractType(models.TextChoices):
    PERMANENT = "vast", _("Vast contract")
    TEMPORARY = "tijdelijk", _("Tijdelijk contract")
    ON_CALL = "oproep", _("Oproep / nulurencontract")
    AGENCY = "uitzend", _("Uitzendwerk")
    BBL = "bbl", _("BBL (werken en leren)")


class Benefit(models.TextChoices):
    PARTICIPATIEWET = "participatiewet", _("Participatiewet")
    WW = "ww", _("WW")
    WAJONG = "wajong", _("Wajong")


class SituationRecord(models.Model):
    """The young person's situation on a date. The history is the timeline; the dashboard
    reads the latest per student and the ones at the 6, 12 and 24 month measurements."""

    PRIVACY_FIELDS = ("employer", "education_name", "note")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="situations")
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.SET_NULL, null=True, blank=True, related_name="situations"
    )
    date = models.DateField(_("datum"))
    kind = models.CharField(_("situatie"), max_length=20, choices=SituationKind.choices)
    contract_type = models.CharField(_("soort contract"), max_length=20, choices=ContractType.choices, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"), null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    employer = models.CharField(_("werkgever"), max_length=200, blank=True)
    education_name = models.CharField(_("opleiding"), max_length=200, blank=True)
    benefit = models.CharField(_("uitkering"), max_length=20, choices=Benefit.choices, blank=True)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    # Set when the record was made at a 6/12/24-month measurement moment.
    measurement_month = models.PositiveSmallIntegerField(null=True, blank=True)
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="situations")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("situatie")
        verbose_name_plural = _("situaties")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["student", "-date", "-id"], name="situation_student_date_idx"),
            models.Index(fields=["measurement_month", "kind"], name="situation_measure_kind_idx"),
            # dashboards.summary.changed_since: situations recorded since the last run.
            models.Index(fields=["created_at"], name="situation_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({short_date(self.date)})"

    @property
    def has_work(self) -> bool:
        return self.kind in {SituationKind.WORK, SituationKind.WORK_BENEFIT}


class SupportAction(models.Model):
    """Begeleidingsaanbod: what the coach offers or arranges."""

    PRIVACY_FIELDS = ("note",)

    class Kind(models.TextChoices):
        CV = "cv", _("Cv- en sollicitatiehulp")
        APPLICATION_TRAINING = "sollicitatietraining", _("Sollicitatietraining")
        ASSERTIVENESS = "assertiviteit", _("Assertiviteitstraining")
        DOELGROEPENREGISTER = "doelgroepenregister", _("Aanmelding Doelgroepenregister")
        DEBT = "schuldhulp", _("Schuldhulp")
        BENEFIT_APPLICATION = "aanvraag", _("Uitkering of studiefinanciering aanvragen")
        EMPLOYER_TALK = "werkgever", _("Gesprek met werkgever")
        CARE_REFERRAL = "zorg", _("Verwijzing naar zorg")
        OTHER = "overig", _("Overig")

    class Status(models.TextChoices):
        PLANNED = "gepland", _("Gepland")
        RUNNING = "loopt", _("Loopt")
        DONE = "afgerond", _("Afgerond")
        STOPPED = "gestopt", _("Gestopt")

    OPEN_STATUSES = (Status.PLANNED, Status.RUNNING)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="support_actions")
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.SET_NULL, null=True, blank=True, related_name="support_actions"
    )
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    started_on = models.DateField(_("startdatum"), null=True, blank=True)
    ended_on = models.DateField(_("einddatum"), null=True, blank=True)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("begeleidingsaanbod")
        verbose_name_plural = _("begeleidingsaanbod")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["student", "status"], name="support_student_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Reminder(models.Model):
    """The outbox: one message to send (coaching/outbox.py). `key` is the idempotency key
    (unique): a second sweep, a retry or a second beat inserts nothing new, and the conditional
    UPDATE claim lets only one worker send. Other apps' senders (consent renewals, self check-in
    messages) register their own kinds in kwint.lib.outbox and use the same rows."""

    class Kind(models.TextChoices):
        DIGEST = "digest", _("Dagoverzicht")
        OVERDUE = "overdue", _("Escalatie: contactmoment te laat")
        UNANSWERED = "unanswered", _("Escalatie: drie keer niet bereikt")
        CLOSE = "close", _("Traject afsluiten")
        # One e-mail per coordinator per day bundling the pending OVERDUE/UNANSWERED rows:
        # those rows keep the "once per check-in / per streak" key, the bundle is what is sent.
        ESCALATIONS = "escalations", _("Meldingen aan de coördinator")

    class Status(models.TextChoices):
        PENDING = "pending", _("Wachtend")
        SENDING = "sending", _("Bezig")
        SENT = "sent", _("Verzonden")
        SKIPPED = "skipped", _("Overgeslagen")
        # Not sent, and shown to the beheerder with the reason (nothing is dropped silently).
        EXPIRED = "expired", _("Verlopen")
        FAILED = "failed", _("Mislukt")

    OWED = (Status.PENDING, Status.SENDING)

    key = models.CharField(max_length=120, unique=True)
    # No choices: other apps register their kinds (kwint.lib.outbox); the label comes from there.
    kind = models.CharField(max_length=30)
    channel = models.CharField(max_length=10, default="email")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    # For a recipient without an account (a young person's e-mail address or phone number).
    address = models.CharField(max_length=254, blank=True)
    on_date = models.DateField()
    student = models.ForeignKey(Student, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    checkin = models.ForeignKey(CheckIn, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # What the sender needs besides the links above (ids, never free text about a person).
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Not sent before this moment (a later send time, or the back-off after a failed attempt).
    not_before = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # What the mail server accepted: the Message-ID (derived from `key`, so a repeat is the same).
    sent_ref = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Why a row was skipped, expired or failed (a code from kwint.lib.outbox.REASONS).
    reason = models.CharField(max_length=30, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "on_date"], name="reminder_status_date_idx"),
            # The redispatch reads only what is still owed: a small partial index, whatever the
            # size of the sent history.
            models.Index(
                fields=["not_before", "id"],
                name="reminder_owed_idx",
                condition=Q(status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return self.key


class ReminderSweep(models.Model):
    """A day the reminder sweep planned. The next sweep looks only at what became due since
    (coaching.reminders), so a national sweep reads a day's worth, not every young person."""

    day = models.DateField(unique=True)
    planned_at = models.DateTimeField(auto_now_add=True)
    # When the day's latest run began: the next run reads contacts logged since then.
    started_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return self.day.isoformat()
