"""The young person's record, as the school knows it, and its timeline."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality, Organisation, Region
from kwint.lib.locking import VERSION_FIELD
from kwint.lib.text import fold, normalize_text


class Level(models.IntegerChoices):
    ENTREE = 1, _("Entree (niveau 1)")
    LEVEL_2 = 2, _("Niveau 2")
    LEVEL_3 = 3, _("Niveau 3")
    LEVEL_4 = 4, _("Niveau 4")


class Leerweg(models.TextChoices):
    BOL = "BOL", _("BOL")
    BBL = "BBL", _("BBL")


class Outcome(models.TextChoices):
    STUDYING = "studying", _("Nog op school")
    DIPLOMA = "diploma", _("Diploma behaald")
    LEFT = "left", _("Uitgestroomd zonder diploma")


class EraseReason(models.TextChoices):
    """Which retention rule set a record's erasure date (students.retention)."""

    CLOSED = "closed", _("traject afgesloten")
    TWO_YEARS = "two_years", _("twee jaar na het diploma")
    WITHDRAWN = "withdrawn", _("toestemming ingetrokken")
    NO_CONSENT = "no_consent", _("school verlaten zonder toestemming voor overdracht")


class SupportNeed(models.TextChoices):
    """Coarse signals only (AVG art. 9): never free-text diagnoses."""

    WORK = "work", _("Werk")
    EDUCATION = "education", _("Vervolgopleiding")
    MONEY = "money", _("Geld / schulden")
    HOUSING = "housing", _("Wonen")
    HEALTH = "health", _("Gezondheid / zorg")
    LANGUAGE = "language", _("Taal")
    TRANSPORT = "transport", _("Vervoer")
    OTHER = "other", _("Overig")


class Purpose(models.TextChoices):
    """What a young person consents to, one purpose at a time (AVG art. 6 and 7)."""

    CONTACT = "contact", _("Contact door een coach na het diploma")
    SHARING = "sharing", _("Delen met RMC / Doorstroompunt en gemeente")
    MATCHTAFEL = "matchtafel", _("Bespreken aan de Matchtafel (UWV, Werkgeversservicepunt)")
    RESEARCH = "research", _("Gebruik in gepseudonimiseerd onderzoek")


class Status(models.TextChoices):
    """A consent answer."""

    GIVEN = "given", _("Gegeven")
    REFUSED = "refused", _("Geweigerd")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


class StudentQuerySet(models.QuerySet["Student"]):
    def active(self):
        return self.filter(erased_at__isnull=True)

    def search(self, text: str, *, schools: bool = False):
        """Students whose name or student number (with `schools`, also school name) contains
        every word of `text`, ignoring accents and case: "ozdil" finds "Özdil". One indexed
        column (`search_text`, a trigram index on PostgreSQL), the same on SQLite."""
        queryset = self
        for word in fold(text).split()[:6]:
            match = models.Q(search_text__contains=word)
            if schools:
                match |= models.Q(school__search_name__contains=word)
            queryset = queryset.filter(match)
        return queryset


class Student(models.Model):
    """A young person. No BSN. Personal fields are blanked on erasure; facts stay for statistics."""

    # Read by the erasure (students.privacy): the free-text fields that identify the person.
    PRIVACY_FIELDS = (
        "first_name",
        "roepnaam",
        "tussenvoegsel",
        "last_name",
        "phone",
        "email",
        "postcode",
        "woonplaats",
        "student_number",
        "search_text",
    )
    # One-line text kept in one normal form (kwint.lib.text.normalize_text) however it came in.
    TEXT_FIELDS = (
        "first_name",
        "roepnaam",
        "tussenvoegsel",
        "last_name",
        "woonplaats",
        "location",
        "student_number",
        "programme_name",
        "sector",
        "class_name",
    )
    SEARCH_FIELDS = ("first_name", "roepnaam", "tussenvoegsel", "last_name", "student_number")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    # Names as Dutch names are written, with their accents; in Unicode's NFKC form.
    first_name = models.CharField(_("voornaam"), max_length=100)
    roepnaam = models.CharField(_("roepnaam"), max_length=100, blank=True)
    tussenvoegsel = models.CharField(_("tussenvoegsel"), max_length=30, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=150)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    phone = models.CharField(_("mobiel nummer"), max_length=20, blank=True, help_text=_("Bijvoorbeeld 06-12345678"))
    email = models.EmailField(_("e-mailadres"), blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    woonplaats = models.CharField(_("woonplaats"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="students",
        verbose_name=_("gemeente"),
    )
    # Denormalised from the gemeente (or the school when unknown): the regional dashboard
    # filters 150,000 rows on it, so it must be one indexed column, not a join.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="students", verbose_name=_("regio"))

    # School and programme.
    school = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="students", verbose_name=_("school")
    )
    location = models.CharField(_("locatie"), max_length=100, blank=True)
    student_number = models.CharField(_("studentnummer"), max_length=30, blank=True)
    programme_name = models.CharField(_("opleiding"), max_length=200, blank=True)
    crebo = models.CharField(_("crebocode"), max_length=5, blank=True)
    level = models.PositiveSmallIntegerField(_("niveau"), choices=Level.choices, null=True, blank=True)
    leerweg = models.CharField(_("leerweg"), max_length=3, choices=Leerweg.choices, blank=True)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    class_name = models.CharField(_("klas"), max_length=30, blank=True)
    cohort = models.PositiveSmallIntegerField(_("cohort"), null=True, blank=True, help_text=_("Jaar van diplomering"))
    expected_diploma_date = models.DateField(_("verwachte diplomadatum"), null=True, blank=True)
    outcome = models.CharField(_("uitstroom"), max_length=10, choices=Outcome.choices, default=Outcome.STUDYING)
    outcome_date = models.DateField(_("datum uitstroom / diploma"), null=True, blank=True)
    is_vulnerable = models.BooleanField(_("kwetsbaar"), default=False)
    support_needs = models.JSONField(_("ondersteuningsbehoefte"), default=list, blank=True)

    # Who guides the young person now. The school keeps its own view regardless.
    guiding_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guided_students",
        verbose_name=_("begeleidende organisatie"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caseload",
        verbose_name=_("coach"),
    )

    # Retention (AVG): when the record is due for erasure, and when it was erased.
    erase_after = models.DateField(_("wisdatum"), null=True, blank=True)
    # Which rule set the date (students.retention.REASON_*), and since when the date in force
    # has been shown: nothing is erased before it was shown for KWINT_ERASURE_NOTICE_DAYS.
    erase_reason = models.CharField(_("reden wisdatum"), max_length=20, choices=EraseReason.choices, blank=True)
    erase_noticed_on = models.DateField(_("wisdatum getoond sinds"), null=True, blank=True)
    # A legal hold (e.g. a court case or a complaint): the record is not erased while it holds.
    legal_hold_reason = models.CharField(_("reden bewaren"), max_length=300, blank=True)
    legal_hold_at = models.DateTimeField(_("bewaard sinds"), null=True, blank=True)
    erased_at = models.DateTimeField(_("gewist op"), null=True, blank=True)

    # Names and student number folded (no accents, lower case) for search; kept by save() and
    # by the import's bulk writes (`refresh_search_text`).
    search_text = models.CharField(_("zoektekst"), max_length=500, blank=True, editable=False)
    # Optimistic locking (kwint.lib.locking): raised on every save through an edit form.
    edit_version = VERSION_FIELD()

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StudentQuerySet.as_manager()

    class Meta:
        verbose_name = _("jongere")
        verbose_name_plural = _("jongeren")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student_number"],
                condition=~models.Q(student_number=""),
                name="student_unique_number_per_school",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "cohort"], name="student_school_cohort_idx"),
            models.Index(fields=["region", "cohort"], name="student_region_cohort_idx"),
            models.Index(fields=["guiding_organisation", "coach"], name="student_guiding_coach_idx"),
            models.Index(fields=["coach"], name="student_coach_idx"),
            models.Index(fields=["school", "last_name", "date_of_birth"], name="student_match_idx"),
            models.Index(fields=["erase_after"], name="student_erase_after_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.normalize()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.SEARCH_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def normalize(self) -> None:
        """Text fields in their normal form and the search column to match; for writes that
        bypass save() (bulk_create, bulk updates)."""
        for name in self.TEXT_FIELDS:
            setattr(self, name, normalize_text(getattr(self, name)))
        self.search_text = fold(" ".join(v for v in (getattr(self, n) for n in self.SEARCH_FIELDS) if v))[:500]

    @property
    def display_first_name(self) -> str:
        return self.roepnaam or self.first_name

    @property
    def full_name(self) -> str:
        parts = [self.display_first_name, self.tussenvoegsel, self.last_name]
        return " ".join(p for p in parts if p)

    @property
    def sort_name(self) -> str:
        """Achternaam first, as Dutch lists sort: "Vries, Jan de"."""
        first = " ".join(p for p in [self.display_first_name, self.tussenvoegsel] if p)
        return f"{self.last_name}, {first}" if first else self.last_name

    @property
    def diploma_date(self):
        return self.outcome_date if self.outcome == Outcome.DIPLOMA else None

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class CurrentConsent(models.Model):
    """The latest answer per student and purpose: a projection kept in the same transaction
    as the append, so access checks and dashboards read one indexed row, not a history."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="current_consents")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    record = models.ForeignKey("consent.ConsentRecord", on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        # Created by the consent app; the table keeps its name since the model moved here.
        db_table = "consent_currentconsent"
        constraints = [models.UniqueConstraint(fields=["student", "purpose"], name="currentconsent_unique")]
        indexes = [models.Index(fields=["purpose", "status", "student"], name="currentconsent_access_idx")]


class StudentShare(models.Model):
    """A student explicitly shared with a stagiair: the only students a stagiair sees."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shared_students")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "user"], name="studentshare_unique")]


class TimelineEvent(models.Model):
    """Everything that happened to a record, in order. Written by services, never edited."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Aangemaakt")
        UPDATED = "updated", _("Gewijzigd")
        IMPORTED = "imported", _("Geïmporteerd")
        HANDOVER = "handover", _("Warme overdracht")
        CONSENT = "consent", _("Toestemming")
        ASSIGNED = "assigned", _("Coach toegewezen")
        CONTACT = "contact", _("Contact")
        SITUATION = "situation", _("Situatie")
        SUPPORT = "support", _("Begeleidingsaanbod")
        CHECKIN = "checkin", _("Contactmoment")
        CLOSED = "closed", _("Traject afgesloten")
        PRIVACY = "privacy", _("Privacy")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What happened, by name; `data` holds its details. The sentence is rendered when shown,
    # in the reader's language (`students.timeline`). Empty on rows from before that, and on
    # rows blanked by the erasure: those show `summary`.
    event = models.CharField(max_length=50, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["student", "-at"], name="timeline_student_at_idx")]

    def __str__(self) -> str:
        # The readable sentence is `students.timeline.render(event)` (template filter
        # `timeline_text`): it needs the registry of the apps above this one.
        return self.event or self.summary


class Handover(models.Model):
    """The warme overdracht: what the school knows, in the student's own words too."""

    PRIVACY_FIELDS = ("what_works", "school_contacts", "risks", "own_words_wants", "own_words_needs", "decline_reason")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        OFFERED = "offered", _("Aangeboden")
        ACCEPTED = "accepted", _("Geaccepteerd")
        DECLINED = "declined", _("Afgewezen")
        WITHDRAWN = "withdrawn", _("Teruggetrokken")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Telefoon")
        WHATSAPP = "whatsapp", _("WhatsApp")
        SMS = "sms", _("Sms")
        EMAIL = "email", _("E-mail")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="handovers")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    what_works = models.TextField(_("wat werkt bij deze jongere"), blank=True)
    school_contacts = models.TextField(_("mentor en contactpersonen school"), blank=True)
    support_needs = models.JSONField(_("ondersteuningsbehoefte"), default=list, blank=True)
    risks = models.TextField(_("risico's en signalen"), blank=True)
    preferred_channel = models.CharField(_("voorkeur contact"), max_length=10, choices=Channel.choices, blank=True)
    own_words_wants = models.TextField(_("wat wil de jongere (eigen woorden)"), blank=True)
    own_words_needs = models.TextField(_("wat heeft de jongere nodig (eigen woorden)"), blank=True)

    to_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_handovers",
        verbose_name=_("aan organisatie"),
    )
    to_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incoming_handovers",
        verbose_name=_("aan coach"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offered_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reden van afwijzen"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    edit_version = VERSION_FIELD()  # optimistic locking (kwint.lib.locking)

    class Meta:
        verbose_name = _("warme overdracht")
        verbose_name_plural = _("warme overdrachten")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["to_organisation", "status"], name="handover_to_org_status_idx"),
            models.Index(fields=["to_coach", "status"], name="handover_to_coach_status_idx"),
            models.Index(fields=["student", "status"], name="handover_student_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.student} → {self.to_organisation or self.to_coach or '-'}"


class ImportMapping(models.Model):
    """Which column of the school's export feeds which student field: remembered per school so
    next year's upload is pre-filled."""

    school = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="import_mapping")
    mapping = models.JSONField(default=dict)  # {field name: column header}
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)


class ImportBatch(models.Model):
    """One uploaded file, read once (by a Celery task) and kept server-side between upload,
    mapping, preview and confirm, so a 5,000-row file is never re-uploaded or re-read. Holds
    personal data: the uploaded bytes are dropped once read, the rows are trimmed to the
    invalid ones after confirm, and the batch is purged a day after upload
    (`students.tasks.import_batches_purge`)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        READING = "reading", _("Wordt gelezen")
        UPLOADED = "uploaded", _("Gelezen")
        PREVIEWED = "previewed", _("Voorbeeld gemaakt")
        IMPORTING = "importing", _("Bezig met importeren")
        DONE = "done", _("Geïmporteerd")
        FAILED = "failed", _("Mislukt")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="import_batches")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.UPLOADED)
    # The file as uploaded, until the worker has read it (then None).
    upload = models.BinaryField(null=True, editable=False)
    parse_started_at = models.DateTimeField(null=True, blank=True)
    parse_attempts = models.PositiveSmallIntegerField(default=0)
    progress = models.PositiveIntegerField(default=0)  # rows read so far
    error = models.TextField(blank=True)  # why reading failed, for the user (Dutch)
    headers = models.JSONField(default=list)
    rows = models.JSONField(default=list)  # raw cell strings, one list per data row
    row_lines = models.JSONField(default=list)  # per row, its line number in the file
    mapping = models.JSONField(default=dict)
    preview = models.JSONField(default=list)  # one dict per row: status, errors, values, student
    result = models.JSONField(default=dict)  # counts after confirm
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="importbatch_created_idx")]

    @property
    def is_reading(self) -> bool:
        return self.state in {self.State.QUEUED, self.State.READING}
