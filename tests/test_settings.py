"""Settings come only from the environment, fail safe in production and fail loudly on bad values.

Each case loads kwint.settings in a fresh Python process with a clean environment, the way a
container or `make run` starts.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kwint.lib.env import Env
from tests.settings_env import SETTINGS_ENV_NAMES

ROOT = Path(__file__).resolve().parent.parent
GOOD_SECRET = "k" * 64
PRODUCTION = {
    "KWINT_ENV": "production",
    "SECRET_KEY": GOOD_SECRET,
    "DATABASE_URL": "postgres://kwint:pw@db.example.nl:5432/kwint",
    "REDIS_URL": "redis://redis.example.nl:6379/0",
    "ALLOWED_HOSTS": "kwint.example.nl",
}
# Printed by the child process once settings loaded.
PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "DEMO_MODE": settings.DEMO_MODE,
    "ENGINE": db["ENGINE"],
    "DB_NAME": str(db["NAME"]),
    "BROKER": settings.CELERY_BROKER_URL,
    "RESULTS": settings.CELERY_RESULT_BACKEND,
    "BROKER_OPTIONS": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "REQUIRE_2FA": settings.KWINT_REQUIRE_2FA,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "HSTS": settings.SECURE_HSTS_SECONDS,
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
    "BEAT_FILE": settings.CELERY_BEAT_SCHEDULE_FILENAME,
}))
"""


def load_settings(**variables: str) -> subprocess.CompletedProcess:
    """Load the settings in a new process that sees only PATH and the given variables.

    (A local .env file would add to these: settings read it with setdefault. CI has none.)
    """
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "kwint.settings", **variables}
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def loaded(**variables: str) -> dict:
    result = load_settings(**variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def refused(**variables: str) -> str:
    result = load_settings(**variables)
    assert result.returncode != 0, "settings loaded but should have refused"
    assert "ImproperlyConfigured" in result.stderr
    return result.stderr


def test_production_starts_with_everything_set_and_is_locked_down():
    values = loaded(**PRODUCTION)
    assert values["DEBUG"] is False
    assert values["DEMO_MODE"] is False
    assert values["REQUIRE_2FA"] is True
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["BROKER"] == values["RESULTS"] == PRODUCTION["REDIS_URL"]
    assert values["CACHE"].endswith("RedisCache")
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["HSTS"] >= 31536000
    assert values["EMAIL_BACKEND"].endswith("smtp.EmailBackend")


def test_production_is_the_default_mode():
    production = {k: v for k, v in PRODUCTION.items() if k != "KWINT_ENV"}
    assert "Refusing to start: SECRET_KEY" in refused(**{**production, "SECRET_KEY": ""})
    assert loaded(**production)["DEBUG"] is False


def test_production_refuses_debug():
    assert "DEBUG is on in production" in refused(**PRODUCTION, DEBUG="true")


@pytest.mark.parametrize("secret", ["", "too-short-0123456789"])
def test_production_refuses_a_missing_or_short_secret_key(secret):
    assert "SECRET_KEY is missing or shorter than 50" in refused(**{**PRODUCTION, "SECRET_KEY": secret})


@pytest.mark.parametrize("name", ["DATABASE_URL", "REDIS_URL"])
def test_production_refuses_to_start_without_postgres_or_redis(name):
    assert f"{name} must be set in production" in refused(**{**PRODUCTION, name: ""})


@pytest.mark.parametrize("value", ["false", "0", "off"])
def test_production_refuses_to_run_without_a_second_factor(value):
    assert "KWINT_REQUIRE_2FA cannot be off in production" in refused(**PRODUCTION, KWINT_REQUIRE_2FA=value)
    assert loaded(**PRODUCTION, KWINT_REQUIRE_2FA="true")["REQUIRE_2FA"] is True


@pytest.mark.parametrize(
    "variables",
    [
        {"EMAIL_TIMEOUT": "61"},  # one SMTP step may outlast a tenth of the default 600 s claim
        {"EMAIL_TIMEOUT": "30", "KWINT_REMINDER_CLAIM_SECONDS": "120"},
        {"EMAIL_TIMEOUT": "0"},
    ],
)
def test_an_smtp_timeout_that_could_outlast_a_reminder_claim_is_refused(variables):
    assert "EMAIL_TIMEOUT" in refused(**PRODUCTION, **variables)


def test_the_smtp_timeout_is_set_and_well_under_the_claim_time():
    probe = "import django; from django.conf import settings as s; django.setup(); "
    probe += "print(s.EMAIL_TIMEOUT, s.KWINT_REMINDER_CLAIM_SECONDS)"
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "kwint.settings", **PRODUCTION}
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["30.0", "600"], result.stderr
    env["EMAIL_TIMEOUT"] = "60"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["60.0", "600"], result.stderr


def test_production_refuses_demo_mode():
    assert "KWINT_DEMO_MODE cannot be on in production" in refused(**PRODUCTION, KWINT_DEMO_MODE="true")


def test_demo_mode_needs_no_server():
    values = loaded(KWINT_ENV="demo")
    # DEBUG stays off unless a developer sets DEBUG=true: the demo is reachable by visitors.
    assert values["DEBUG"] is False
    assert values["DEMO_MODE"] is True
    assert values["REQUIRE_2FA"] is False
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DB_NAME"] == str(ROOT / "db.sqlite3")
    assert values["BROKER"] == "filesystem://"
    assert values["RESULTS"] is None
    assert values["CACHE"].endswith("LocMemCache")
    assert values["EMAIL_BACKEND"].endswith("console.EmailBackend")
    # kombu's file-system transport needs its folders to exist before web, worker or beat run.
    for folder in ("data_folder_in", "data_folder_out", "processed_folder"):
        assert Path(values["BROKER_OPTIONS"][folder]).is_dir()
    assert Path(values["BEAT_FILE"]).parent == ROOT / ".run"


@pytest.mark.parametrize("mode", ["demo", "development", "test"])
def test_debug_is_off_in_every_mode_unless_asked_for(mode):
    assert loaded(KWINT_ENV=mode)["DEBUG"] is False
    assert loaded(KWINT_ENV=mode, DEBUG="true")["DEBUG"] is True


def test_demo_mode_uses_postgres_and_redis_when_given():
    values = loaded(
        KWINT_ENV="demo",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/kwint_demo",
        REDIS_URL="redis://127.0.0.1:6379/2",
    )
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["DB_NAME"] == "kwint_demo"
    assert values["BROKER"] == "redis://127.0.0.1:6379/2"


@pytest.mark.parametrize(
    "variables,message",
    [
        ({"KWINT_ENV": "staging"}, "KWINT_ENV must be production, demo, development or test"),
        ({"KWINT_ENV": "demo", "DEBUG": "ja"}, "DEBUG must be true or false"),
        ({"KWINT_ENV": "demo", "KWINT_REQUIRE_2FA": "maybe"}, "KWINT_REQUIRE_2FA must be true or false"),
        ({"KWINT_ENV": "demo", "AXES_FAILURE_LIMIT": "five"}, "AXES_FAILURE_LIMIT must be a int number"),
        ({"KWINT_ENV": "demo", "SESSION_IDLE_TIMEOUT_MINUTES": "30m"}, "SESSION_IDLE_TIMEOUT_MINUTES must be a int"),
        ({"KWINT_ENV": "demo", "DATABASE_URL": "mysqlx://nope"}, ""),
    ],
)
def test_bad_values_fail_loudly(variables, message):
    result = load_settings(**variables)
    assert result.returncode != 0
    assert message in result.stderr


class TestStrictEnv:
    """The parser itself, without a subprocess."""

    def make(self, **values):
        env = Env()
        env.ENVIRON = values
        return env

    @pytest.mark.parametrize("word", ["1", "true", "True", "yes", "on", " y "])
    def test_true_words(self, word):
        assert self.make(X=word).bool("X") is True

    @pytest.mark.parametrize("word", ["0", "false", "FALSE", "no", "off", "n"])
    def test_false_words(self, word):
        assert self.make(X=word).bool("X") is False

    def test_defaults_pass_through_unparsed(self):
        env = self.make()
        assert env.bool("X", default=True) is True
        assert env.int("X", default=7) == 7
        assert env.float("X", default=0.5) == 0.5

    def test_numbers(self):
        assert self.make(X=" 12 ").int("X") == 12
        assert self.make(X="1.5").float("X") == 1.5
        with pytest.raises(ImproperlyConfigured, match="X must be a float"):
            self.make(X="anderhalf").float("X")

    @pytest.mark.parametrize("word", ["", "ja", "2x", "enabled"])
    def test_anything_else_is_an_error(self, word):
        with pytest.raises(ImproperlyConfigured, match="X must be true or false"):
            self.make(X=word).bool("X")


def test_env_example_documents_every_variable_settings_read():
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example, re.M))
    assert SETTINGS_ENV_NAMES, "found no env reads in settings.py: the pattern is broken"
    missing = sorted(SETTINGS_ENV_NAMES - documented)
    assert not missing, f"add these to .env.example with a comment: {missing}"


def test_every_env_example_variable_has_a_comment_above_it():
    lines = (ROOT / ".env.example").read_text().splitlines()
    for index, line in enumerate(lines):
        if re.match(r"^#? ?[A-Z][A-Z0-9_]*=", line):
            above = lines[index - 1]
            assert above.startswith("#"), f"{line!r} has no comment"


def test_readme_configuration_table_lists_every_variable():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    missing = sorted(name for name in SETTINGS_ENV_NAMES if f"`{name}`" not in section)
    assert not missing, f"add these to the README's configuration table: {missing}"
