# The current-consent projection, moved here from `consent` (see consent 0004). State only:
# the table `consent_currentconsent`, its index and its constraint already exist.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("students", "0002_import_batch"),
        ("consent", "0004_currentconsent_moves_to_students"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CurrentConsent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "purpose",
                            models.CharField(
                                choices=[
                                    ("contact", "Contact door een coach na het diploma"),
                                    ("sharing", "Delen met RMC / Doorstroompunt en gemeente"),
                                    ("matchtafel", "Bespreken aan de Matchtafel (UWV, Werkgeversservicepunt)"),
                                    ("research", "Gebruik in gepseudonimiseerd onderzoek"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("given", "Gegeven"), ("refused", "Geweigerd"), ("withdrawn", "Ingetrokken")],
                                max_length=10,
                            ),
                        ),
                        ("changed_at", models.DateTimeField()),
                        (
                            "record",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="consent.consentrecord"
                            ),
                        ),
                        (
                            "student",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="current_consents",
                                to="students.student",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "consent_currentconsent",
                        "indexes": [
                            models.Index(fields=["purpose", "status", "student"], name="currentconsent_access_idx")
                        ],
                        "constraints": [
                            models.UniqueConstraint(fields=("student", "purpose"), name="currentconsent_unique")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
