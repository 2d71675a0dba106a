"""The consent history is append-only in the database, not only in Python.

The one update allowed is the AVG erasure's: blanking `representative_name` and `note` (both
set to '') with every other column unchanged. See `kwint.lib.append_only`.
"""

from django.db import migrations

from kwint.lib.append_only import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0002_links_reminders_protect"),
    ]

    operations = [
        append_only_trigger(
            "consent_consentrecord", "consent_record_append_only", blankable=["representative_name", "note"]
        ),
    ]
