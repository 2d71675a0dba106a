"""The student fields an import can fill, how each cell is cleaned, and which column of the
school's export is guessed to feed it. The cleaners are the ones the student form uses
(`students.parsing`, `students.validators`), so a file and the form refuse the same values."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from accounts.models import Organisation
from kwint.lib.text import fold
from students import parsing
from students.models import ImportMapping


@dataclass(frozen=True)
class ImportField:
    name: str
    label: str
    clean: Callable | None  # None: handled by the preview itself (gemeente)
    guesses: tuple[str, ...]
    required: bool = False


FIELDS: tuple[ImportField, ...] = (
    ImportField(
        "student_number",
        gettext_lazy("Studentnummer"),
        parsing.clean_text,
        ("studentnummer", "studnr", "leerlingnummer", "deelnemernummer", "studentnr", "nummer"),
        # Kwint recognises a student by number on re-import: a row without one cannot be matched.
        required=True,
    ),
    ImportField(
        "first_name",
        gettext_lazy("Voornaam"),
        parsing.clean_text,
        ("voornaam", "voornamen", "firstname"),
        required=True,
    ),
    ImportField("roepnaam", gettext_lazy("Roepnaam"), parsing.clean_text, ("roepnaam",)),
    ImportField(
        "tussenvoegsel",
        gettext_lazy("Tussenvoegsel"),
        parsing.clean_text,
        ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "tv"),
    ),
    ImportField(
        "last_name",
        gettext_lazy("Achternaam"),
        parsing.clean_text,
        ("achternaam", "naam", "familienaam", "lastname"),
        required=True,
    ),
    ImportField(
        "date_of_birth",
        gettext_lazy("Geboortedatum"),
        parsing.clean_birth_date,
        ("geboortedatum", "gebdatum", "geboortedat", "gebdat", "dateofbirth"),
    ),
    ImportField(
        "phone",
        gettext_lazy("Mobiel nummer"),
        parsing.clean_phone,
        ("mobiel", "mobielnummer", "telefoon", "telefoonnummer", "tel", "gsm", "mobiel06"),
    ),
    ImportField(
        "email",
        gettext_lazy("E-mailadres"),
        parsing.clean_email,
        ("email", "emailadres", "emailprive", "mail", "priveemail"),
    ),
    ImportField("postcode", gettext_lazy("Postcode"), parsing.clean_postcode, ("postcode", "pc")),
    ImportField("woonplaats", gettext_lazy("Woonplaats"), parsing.clean_text, ("woonplaats", "plaats", "stad")),
    ImportField("municipality", gettext_lazy("Gemeente"), None, ("gemeente", "woongemeente")),
    ImportField("location", gettext_lazy("Locatie"), parsing.clean_text, ("locatie", "vestiging", "schoollocatie")),
    ImportField(
        "programme_name",
        gettext_lazy("Opleiding"),
        parsing.clean_text,
        ("opleiding", "opleidingsnaam", "kwalificatie", "opleidingnaam"),
    ),
    ImportField("crebo", gettext_lazy("Crebocode"), parsing.clean_crebo, ("crebo", "crebocode", "crebonummer")),
    ImportField("level", gettext_lazy("Niveau"), parsing.clean_level, ("niveau", "niv", "mboniveau")),
    ImportField("leerweg", gettext_lazy("Leerweg"), parsing.clean_leerweg, ("leerweg",)),
    ImportField("sector", gettext_lazy("Sector"), parsing.clean_text, ("sector", "domein", "branche")),
    ImportField("class_name", gettext_lazy("Klas"), parsing.clean_text, ("klas", "groep", "klasgroep")),
    ImportField(
        "cohort", gettext_lazy("Cohort (diplomajaar)"), parsing.clean_cohort, ("cohort", "diplomajaar", "examenjaar")
    ),
    ImportField(
        "expected_diploma_date",
        gettext_lazy("Verwachte diplomadatum"),
        parsing.clean_diploma_date,
        ("verwachtediplomadatum", "diplomadatum", "einddatum", "verwachteeinddatum", "datumdiploma"),
    ),
    ImportField(
        "is_vulnerable", gettext_lazy("Kwetsbaar (ja/nee)"), parsing.clean_yes_no, ("kwetsbaar", "zorgleerling", "zorg")
    ),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(header))


def mapping_guess(*, school: Organisation, headers: list[str]) -> dict[str, str]:
    """Pre-fill the mapping: the school's saved mapping where its headers still exist, then
    guesses from common Dutch headers."""
    saved = ImportMapping.objects.filter(school=school).values_list("mapping", flat=True).first() or {}
    mapping = {field: header for field, header in saved.items() if header in headers and field in FIELDS_BY_NAME}
    used = set(mapping.values())
    keys = {header: _key(header) for header in headers}
    for field in FIELDS:
        if field.name in mapping:
            continue
        for header, key in keys.items():
            if header not in used and key in field.guesses:
                mapping[field.name] = header
                used.add(header)
                break
    return mapping
