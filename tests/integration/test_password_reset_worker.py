"""The password-reset mail goes through a real Celery worker (the web request only enqueues)."""

from __future__ import annotations

import pytest

from accounts.tasks import password_reset_mail
from tests.factories import UserFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_the_worker_sends_for_a_real_account_only(celery_worker_process):
    user = UserFactory(email="reset-via-worker@kwint.test")
    assert password_reset_mail.delay(email=user.email).get(timeout=30) == 1
    assert password_reset_mail.delay(email="niemand-via-worker@kwint.test").get(timeout=30) == 0
    log = celery_worker_process.log()
    # The worker's console mail backend printed the one message.
    assert log.count("To: reset-via-worker@kwint.test") == 1
    assert "To: niemand-via-worker@kwint.test" not in log
