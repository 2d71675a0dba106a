"""Helpers for the students tests (factories live in tests/factories.py)."""

from __future__ import annotations

from students import importing
from students.models import ImportBatch

HEADER = "Studentnummer;Voornaam;Tussenvoegsel;Achternaam;Geb.datum;Mobiel;Postcode;Gemeente;Opleiding;Crebo;Niveau;Klas;Cohort"


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


def upload(school, user, data: bytes, filename: str = "export.csv") -> ImportBatch:
    """Receive the file and read it as the worker would (the task's body, called directly)."""
    batch = importing.import_receive(school=school, user=user, filename=filename, data=data)
    importing.import_parse(batch_id=batch.pk)
    batch.refresh_from_db()
    return batch


def upload_and_preview(school, user, data: bytes, filename: str = "export.csv") -> ImportBatch:
    batch = upload(school, user, data, filename)
    assert batch.state == ImportBatch.State.UPLOADED, batch.error
    return importing.import_preview(batch=batch, mapping=batch.mapping, user=user)


def statuses(batch) -> list[str]:
    return [r["status"] for r in sorted(batch.preview, key=lambda r: r["row"])]
