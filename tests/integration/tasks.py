"""Tasks only the integration tests' worker loads (`celery worker --include tests.integration.tasks`).

They let a test prove that the worker subprocess reads the same test database pytest writes to.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="tests.integration.user_exists")
def user_exists(email: str) -> bool:
    from accounts.models import User

    return User.objects.filter(email=email).exists()


@shared_task(name="tests.integration.database_name")
def database_name() -> str:
    from django.db import connection

    return connection.settings_dict["NAME"]
