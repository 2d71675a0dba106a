"""The access log is append-only in the database, not only in Python (NEN 7513).

The one update allowed is Django's own when a user account is deleted: `actor_id` set to NULL
with every other column unchanged (the entry keeps the copied e-mail address, and `actor` is
not part of the hash chain). See `kwint.lib.append_only`.
"""

from django.db import migrations

from kwint.lib.append_only import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        append_only_trigger("audit_accesslogentry", "audit_accesslog_append_only", nullable=["actor_id"]),
    ]
