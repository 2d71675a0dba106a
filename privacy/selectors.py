"""Reads for the privacy pages: the access log as a coordinator may search it, the log about
one student, everything Kwint holds on one young person (inzage), and what is due for erasure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Membership, Role
from audit.models import AccessLogEntry
from coaching.services.trajectories import REOPENED
from kwint.lib.dates import short_date, short_datetime
from privacy.services import HOLD_LIFTED, HOLD_PLACED, related_models_of_student
from students.access import students_in_erasure_care_of, students_visible_to
from students.models import Student, SupportNeed, TimelineEvent
from students.timeline import render as timeline_render

SEARCH_ROLES = (Role.COORDINATOR, Role.ZORGCOORDINATOR)

# Never part of an inzage: secrets that would let someone act as the young person.
_SECRET_MARKERS = ("token", "secret", "hash", "password", "key")


def access_log_visible_to(membership: Membership | None) -> QuerySet[AccessLogEntry]:
    """The coordinator's window on the log: entries about students this membership may see now,
    plus everything done by anyone acting for the coordinator's own organisation (so a
    coordinator can check their own people, also on records that have since left view)."""
    if membership is None or membership.role not in SEARCH_ROLES:
        return AccessLogEntry.objects.none()
    visible_codes = students_visible_to(membership).values("code")
    return AccessLogEntry.objects.filter(
        Q(student_code__in=visible_codes) | Q(organisation_code=membership.organisation.code)
    )


def access_log_search(
    membership: Membership | None,
    *,
    user: str = "",
    student: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    action: str = "",
) -> QuerySet[AccessLogEntry]:
    entries = access_log_visible_to(membership)
    if user:
        entries = entries.filter(actor_email__icontains=user.strip())
    if student:
        term = student.strip()
        students = students_visible_to(membership)
        try:
            import uuid

            matches = students.filter(code=uuid.UUID(term))
        except ValueError:
            matches = students.search(term)
        entries = entries.filter(student_code__in=matches.values("code"))
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    if action:
        entries = entries.filter(action=action)
    return entries.order_by("-at", "-id")


def student_access_entries(student: Student) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(student_code=student.code).order_by("-at", "-id")


PREVIEW_ROLES = (*SEARCH_ROLES, Role.BEHEERDER)


def preview_days() -> int:
    """The preview covers the notice period: every date is in it for as long as it is announced."""
    return settings.KWINT_ERASURE_NOTICE_DAYS


def erasure_due(membership: Membership, *, days: int | None = None) -> QuerySet[Student]:
    """Students whose erasure date falls within `days` from today, and those on a legal hold:
    for coordinators the students they see, for the beheerder the records of the organisations
    they manage (students.access.students_in_erasure_care_of)."""
    until = timezone.localdate() + dt.timedelta(days=preview_days() if days is None else days)
    if membership.role == Role.BEHEERDER:
        students = students_in_erasure_care_of(membership)
    else:
        students = students_visible_to(membership)
    return (
        students.filter(Q(erase_after__isnull=False, erase_after__lte=until) | Q(legal_hold_at__isnull=False))
        .select_related("school", "guiding_organisation")
        .order_by("erase_after", "last_name")
    )


def erasure_due_elsewhere_count(membership: Membership, *, days: int | None = None) -> int:
    """Records of the membership's own organisation (as school or as guide) due for erasure that
    the membership cannot open itself (e.g. consent withdrawn): a count only, no identity."""
    if membership.role == Role.BEHEERDER:
        return 0
    until = timezone.localdate() + dt.timedelta(days=preview_days() if days is None else days)
    org = membership.organisation
    return (
        Student.objects.active()
        .filter(Q(school=org) | Q(guiding_organisation=org), erase_after__isnull=False, erase_after__lte=until)
        .exclude(pk__in=students_visible_to(membership).values("pk"))
        .count()
    )


# What the log stores in `detail` as a code (the permission a view asked for, an internal step):
# readers get words, in their own language. Older rows keep whatever text they hold.
LOG_DETAILS = {
    "view": gettext_lazy("dossier bekeken"),
    "edit": gettext_lazy("gegevens of overdracht"),
    "consent": gettext_lazy("toestemming vastleggen"),
    "log_contact": gettext_lazy("contact, situatie of begeleidingsaanbod"),
    "assign": gettext_lazy("coach toewijzen"),
    "privacy": gettext_lazy("privacy (inzage, correctie, wissen)"),
    "handover_bulk": gettext_lazy("overdracht aangeboden (groep)"),
    "handover_accept": gettext_lazy("overdracht geaccepteerd"),
    "handover_decline": gettext_lazy("overdracht afgewezen"),
    "errors": gettext_lazy("foutenbestand van de import"),
    # Stored as Dutch sentences: the same words, translated for an English reader.
    "antwoord via persoonlijke link": gettext_lazy("antwoord via persoonlijke link"),
    "ingetrokken via persoonlijke link": gettext_lazy("ingetrokken via persoonlijke link"),
    "overzicht wie heeft dit dossier bekeken": gettext_lazy("overzicht wie heeft dit dossier bekeken"),
    "inzage (HTML)": gettext_lazy("inzage (HTML)"),
    "inzage (JSON)": gettext_lazy("inzage (JSON)"),
    "correctieverzoek": gettext_lazy("correctieverzoek"),
    "check-in door de jongere": gettext_lazy("check-in door de jongere"),
    "correctieverzoek vastgelegd": gettext_lazy("correctieverzoek vastgelegd"),
    "wisverzoek": gettext_lazy("wisverzoek"),
    "wislijst": gettext_lazy("lijst van wat binnenkort wordt gewist"),
    "bewaarplicht": gettext_lazy("bewaarplicht bekeken"),
    "wisverzoek geweigerd: wettelijke bewaarplicht": gettext_lazy("wisverzoek geweigerd: wettelijke bewaarplicht"),
    "uitnodiging verstuurd": gettext_lazy("uitnodiging verstuurd"),
    "geactiveerd": gettext_lazy("geactiveerd"),
    "gedeactiveerd": gettext_lazy("gedeactiveerd"),
    "tweede factor ingesteld": gettext_lazy("tweede factor ingesteld"),
    "nieuwe herstelcodes": gettext_lazy("nieuwe herstelcodes"),
    "hersteld": gettext_lazy("hersteld"),
    "beëindigd": gettext_lazy("beëindigd"),
}


# Stored as "<code>: <free text>" (the reason someone typed): the code is translated.
LOG_DETAIL_PREFIXES = {
    HOLD_PLACED: gettext_lazy("bewaarplicht vastgelegd"),
    HOLD_LIFTED: gettext_lazy("bewaarplicht opgeheven"),
    REOPENED: gettext_lazy("traject heropend"),
}


# A form opened (viewed) for a permission that changes things: what the reader opened.
_OPENED = {
    "edit": gettext_lazy("formulier geopend: gegevens of overdracht"),
    "consent": gettext_lazy("formulier geopend: toestemming vastleggen"),
    "log_contact": gettext_lazy("formulier geopend: contact, situatie of begeleidingsaanbod"),
    "assign": gettext_lazy("formulier geopend: coach toewijzen"),
}

# What `object_type` names when an entry is about something else than one young person.
LOG_OBJECT_TYPES = {
    "student": gettext_lazy("jongere"),
    "consent": gettext_lazy("toestemming"),
    "consent_form": gettext_lazy("toestemmingsformulier"),
    "import": gettext_lazy("import"),
    "user": gettext_lazy("gebruiker"),
    "membership": gettext_lazy("lidmaatschap"),
    "organisation": gettext_lazy("organisatie"),
    "region": gettext_lazy("regio"),
    "municipality": gettext_lazy("gemeente"),
    "address": gettext_lazy("adres"),
    "checkin": gettext_lazy("check-in"),
}


def log_detail_label(detail: str, action: str = "") -> str:
    """A stored detail as words in the reader's language; a form that was only opened says so."""
    if action == "view" and detail in _OPENED:
        return str(_OPENED[detail])
    prefix, sep, rest = detail.partition(": ")
    if sep and prefix in LOG_DETAIL_PREFIXES:
        return f"{LOG_DETAIL_PREFIXES[prefix]}: {rest}"
    return str(LOG_DETAILS.get(detail, detail))


def log_object_label(object_type: str) -> str:
    return str(LOG_OBJECT_TYPES.get(object_type, object_type))


# --- inzage -----------------------------------------------------------------------------------


@dataclass
class Section:
    title: str
    key: str
    rows: list[list[tuple[str, str]]] = field(default_factory=list)


# Readable Dutch labels where a model left Django's default (the field name) in place.
_FIELD_LABELS = {
    "created_at": gettext_lazy("aangemaakt op"),
    "updated_at": gettext_lazy("gewijzigd op"),
    "created_by": gettext_lazy("aangemaakt door"),
    "at": gettext_lazy("tijdstip"),
    "kind": gettext_lazy("soort"),
    "summary": gettext_lazy("omschrijving"),
    "actor": gettext_lazy("door"),
    "author": gettext_lazy("auteur"),
    "text": gettext_lazy("tekst"),
    "user": gettext_lazy("gebruiker"),
    "shared_by": gettext_lazy("gedeeld door"),
    "offered_by": gettext_lazy("aangeboden door"),
    "offered_at": gettext_lazy("aangeboden op"),
    "decided_by": gettext_lazy("besloten door"),
    "decided_at": gettext_lazy("besloten op"),
    "recorded_by": gettext_lazy("vastgelegd door"),
    "edited_at": gettext_lazy("gewijzigd op"),
    "edited_by": gettext_lazy("gewijzigd door"),
    "expires_at": gettext_lazy("verloopt op"),
    "used_at": gettext_lazy("gebruikt op"),
    "changed_at": gettext_lazy("gewijzigd op"),
    "purpose": gettext_lazy("doel"),
    "status": gettext_lazy("status"),
    "record": gettext_lazy("antwoord"),
    "contact": gettext_lazy("contact"),
    "trajectory": gettext_lazy("traject"),
    "completed_at": gettext_lazy("afgerond op"),
    "completed_by": gettext_lazy("afgerond met"),
    "event": gettext_lazy("gebeurtenis"),
    "given_by": gettext_lazy("gegeven door"),
}
_MODEL_TITLES = {
    "students.timelineevent": gettext_lazy("tijdlijn"),
    "students.studentshare": gettext_lazy("gedeeld met stagiairs"),
    "students.currentconsent": gettext_lazy("huidige toestemming per doel"),
    "coaching.contactrevision": gettext_lazy("eerdere versies van contactnotities"),
}
# Internal identifiers and machine data: in the JSON file, not on the printed page. The
# timeline's event name is internal too: its row reads as the sentence it stands for.
_TECHNICAL = {"code", "data", "event", "edit_version"}
# Stored codes without choices on the field: printed as their label, never as the code
# ("Wonen, Werk", not "housing, work").
_VALUE_CHOICES = {"support_needs": SupportNeed, "role": Role}


def _label(f: models.Field) -> str:
    label = str(f.verbose_name)
    if label == f.name.replace("_", " "):
        return str(_FIELD_LABELS.get(f.name, label))
    return label


def _title(model) -> str:
    return str(_MODEL_TITLES.get(model._meta.label_lower, model._meta.verbose_name_plural))


def _is_secret(name: str) -> bool:
    return any(marker in name.lower() for marker in _SECRET_MARKERS)


def _display(obj, f: models.Field) -> str:
    if f.is_relation:
        related = getattr(obj, f.name, None)
        return "" if related is None else str(related)
    if f.choices:
        return str(getattr(obj, f"get_{f.name}_display")())
    if isinstance(obj, TimelineEvent) and f.name == "summary":
        return timeline_render(obj)
    if isinstance(obj, AccessLogEntry) and f.name == "detail":
        return log_detail_label(obj.detail, obj.action)
    value = getattr(obj, f.attname)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("ja") if value else _("nee"))
    if isinstance(value, dt.datetime):
        return short_datetime(value)
    if isinstance(value, dt.date):
        return short_date(value)
    choices = dict(_VALUE_CHOICES[f.name].choices) if f.name in _VALUE_CHOICES else {}
    if isinstance(value, list):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if choices:
        return str(choices.get(value, value))
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _fields_of(model, skip: set[str]) -> list[models.Field]:
    return [
        f for f in model._meta.concrete_fields if f.name not in skip and not f.primary_key and not _is_secret(f.name)
    ]


def _rows(objects, fields) -> list[list[tuple[str, str]]]:
    return [[(_label(f), _display(obj, f)) for f in fields] for obj in objects]


def inzage_collect(student: Student) -> list[Section]:
    """Everything Kwint holds on one young person, built from Student's relations so that a
    model added later appears without changing this code. Labels are the models' verbose names."""
    sections = [
        Section(str(Student._meta.verbose_name), "student", _rows([student], _fields_of(Student, {"edit_version"})))
    ]
    for model, lookup in related_models_of_student():
        if model is Student:
            continue
        fk_name = lookup.split("__")[0]
        fields = _fields_of(model, ({fk_name} if "__" not in lookup else set()) | _TECHNICAL)
        related_fks = [f.name for f in fields if f.is_relation and f.many_to_one]
        objects = model._base_manager.filter(**{lookup: student}).select_related(*related_fks)
        rows = _rows(objects, fields)
        if rows:
            sections.append(Section(_title(model), model._meta.label_lower, rows))
    texts = _consent_texts(student)
    if texts:
        sections.append(Section(_("toestemmingsteksten zoals getoond"), "consent.texts", texts))
    log_fields = [
        AccessLogEntry._meta.get_field(n)
        for n in ("at", "actor_email", "organisation_name", "role", "action", "result", "detail")
    ]
    sections.append(
        Section(
            str(AccessLogEntry._meta.verbose_name_plural),
            "audit.accesslog",
            _rows(student_access_entries(student), log_fields),
        )
    )
    return sections


def _consent_texts(student: Student) -> list[list[tuple[str, str]]]:
    """The exact texts the young person agreed to or refused (consent history with texts)."""
    from consent.models import ConsentText

    texts = ConsentText.objects.filter(records__student=student).distinct().order_by("purpose", "version")
    fields = [ConsentText._meta.get_field(n) for n in ("purpose", "version", "title_nl", "body_nl", "effective_from")]
    return _rows(texts, fields)


def inzage_as_data(student: Student, sections: list[Section]) -> dict:
    """The machine-readable form (AVG art. 20): one object per row, labels as keys."""
    return {
        "format": "kwint-inzage/1",
        "student_code": str(student.code),
        "generated_at": timezone.now().isoformat(),
        "sections": [{"key": s.key, "title": s.title, "rows": [dict(row) for row in s.rows]} for s in sections],
    }
