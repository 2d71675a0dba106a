"""Helpers for the students tests (factories live in tests/factories.py)."""

from __future__ import annotations

from students import importing

HEADER = "Studentnummer;Voornaam;Tussenvoegsel;Achternaam;Geb.datum;Mobiel;Postcode;Gemeente;Opleiding;Crebo;Niveau;Klas;Cohort"


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


def upload_and_preview(school, user, data: bytes, filename: str = "export.csv"):
    batch = importing.import_upload(school=school, user=user, filename=filename, data=data)
    return importing.import_preview(batch=batch, mapping=batch.mapping, user=user)


def statuses(batch) -> list[str]:
    return [r["status"] for r in sorted(batch.preview, key=lambda r: r["row"])]
