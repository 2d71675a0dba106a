# The current-consent projection moves down to `students` (the access door reads it and
# `students` must not import `consent`). State only: the table stays where it is.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0003_consentrecord_append_only_trigger"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CurrentConsent")],
            database_operations=[],
        ),
    ]
