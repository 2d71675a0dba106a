"""docker-compose.yml and the Dockerfile cannot run here (no Docker daemon), so read them.

Checks that the services exist, that every command they run exists in this code base, that
the healthchecks are real, and that every variable compose uses is one the settings read.
One test boots the production web command (gunicorn + production settings) for real.
"""

from __future__ import annotations

import http.client
import importlib
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
import yaml
from celery import Celery
from django.core.management import get_commands
from django.urls import resolve

from tests.settings_env import SETTINGS_ENV_NAMES

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text()
DOCKERFILE = (ROOT / "Dockerfile").read_text()
SERVICES = COMPOSE["services"]
APP_SERVICES = ("migrate", "web", "worker", "beat")
# Read by the official postgres image, not by Django.
COMPOSE_ONLY_VARIABLES = {"POSTGRES_PASSWORD"}

sys.path.insert(0, str(ROOT / "deploy"))
import healthcheck  # noqa: E402


def _argv(service: str) -> list[str]:
    command = SERVICES[service].get("command")
    return shlex.split(command) if isinstance(command, str) else list(command)


def test_compose_file_follows_the_compose_specification():
    """What `docker compose config` would reject (a misspelt key, a wrong type) fails here.

    tests/vendor/compose_spec.json is the Compose Specification schema shipped with
    docker-compose 1.29.2 (Apache-2.0).
    """
    schema = json.loads((ROOT / "tests" / "vendor" / "compose_spec.json").read_text())
    errors = [f"{list(e.path)}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(COMPOSE)]
    assert not errors


def test_it_defines_the_five_services_and_a_migrate_step():
    assert {"postgres", "redis", "web", "worker", "beat", "migrate"} <= set(SERVICES)
    assert SERVICES["postgres"]["image"].startswith("postgres:16")
    assert SERVICES["redis"]["image"].startswith("redis:7")


def test_app_services_use_the_image_the_env_file_and_production_settings():
    for name in APP_SERVICES:
        service = SERVICES[name]
        assert service["build"] == "."
        assert service["env_file"] == ".env"
        assert service["environment"]["KWINT_ENV"] == "production"


def test_data_lives_in_named_volumes():
    declared = set(COMPOSE["volumes"])
    assert {"postgres-data", "redis-data", "beat-data"} <= declared
    used = {v.split(":")[0] for s in SERVICES.values() for v in s.get("volumes", [])}
    assert used == declared
    assert "postgres-data:/var/lib/postgresql/data" in SERVICES["postgres"]["volumes"]
    # Beat's schedule file is CELERY_BEAT_SCHEDULE_FILENAME under /app/.run.
    assert "beat-data:/app/.run" in SERVICES["beat"]["volumes"]


def test_every_long_running_service_has_a_healthcheck():
    for name in ("postgres", "redis", "web", "worker", "beat"):
        check = SERVICES[name]["healthcheck"]
        assert check["test"][0] in {"CMD", "CMD-SHELL"}
        assert check["interval"] and check["retries"] >= 1
    assert SERVICES["web"]["healthcheck"]["test"] == ["CMD", "python", "deploy/healthcheck.py"]
    assert "inspect ping" in SERVICES["worker"]["healthcheck"]["test"][1]


def test_web_healthcheck_url_is_a_public_view():
    assert resolve("/healthz").url_name == "healthz"
    assert "/healthz" in (ROOT / "deploy" / "healthcheck.py").read_text()


def test_services_wait_for_their_dependencies():
    assert SERVICES["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        depends = SERVICES[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["redis"]["condition"] == "service_healthy"
    assert SERVICES["migrate"]["restart"] == "no"


def test_migrate_runs_a_real_management_command():
    argv = _argv("migrate")
    assert argv[:2] == ["python", "manage.py"]
    assert (ROOT / "manage.py").exists()
    assert argv[2] in get_commands()


def test_web_runs_gunicorn_on_the_real_wsgi_application():
    argv = _argv("web")
    assert argv[0] == "gunicorn"
    assert "gunicorn" in (ROOT / "requirements.txt").read_text()
    module, attribute = argv[1].split(":")
    application = getattr(importlib.import_module(module), attribute)
    assert callable(application)
    assert "--bind=0.0.0.0:8000" in argv


@pytest.mark.parametrize("service,subcommand", [("worker", "worker"), ("beat", "beat")])
def test_worker_and_beat_run_the_kwint_celery_app(service, subcommand):
    argv = _argv(service)
    assert argv[:4] == ["celery", "-A", "kwint", subcommand]
    # `celery -A kwint` finds `kwint.celery_app` (or `kwint.celery.app`).
    app = importlib.import_module("kwint").celery_app
    assert isinstance(app, Celery)
    assert app.main == "kwint"
    assert "celery" in (ROOT / "requirements.txt").read_text()


def test_there_is_exactly_one_beat():
    beat_like = [name for name, s in SERVICES.items() if s.get("command") and "beat" in _argv(name)]
    assert beat_like == ["beat"]
    assert SERVICES["beat"].get("deploy", {}).get("replicas", 1) == 1
    # A worker with an embedded beat (-B) would be a second scheduler once scaled.
    assert "-B" not in _argv("worker") and "--beat" not in _argv("worker")


def test_variables_used_in_compose_are_read_by_settings_or_documented_as_compose_only():
    interpolated = set(re.findall(r"\$\{([A-Z0-9_]+)", COMPOSE_TEXT))
    environment_keys = {key for name in APP_SERVICES for key in SERVICES[name].get("environment", {})}
    for name in environment_keys | (interpolated - COMPOSE_ONLY_VARIABLES):
        assert name in SETTINGS_ENV_NAMES, f"{name} is set in docker-compose.yml but never read in settings.py"
    example = (ROOT / ".env.example").read_text()
    for name in interpolated:
        assert re.search(rf"^#? ?{name}=", example, re.M), f"{name} missing from .env.example"


def test_dockerfile_builds_a_non_root_image_from_requirements():
    assert re.search(r"^FROM python:3\.11-slim", DOCKERFILE, re.M)
    assert "pip install -r requirements.txt" in DOCKERFILE
    assert "COPY requirements.txt" in DOCKERFILE
    users = re.findall(r"^USER (\S+)", DOCKERFILE, re.M)
    assert users and users[-1] not in {"root", "0"}
    assert "collectstatic --noinput" in DOCKERFILE
    # collectstatic loads production settings, which refuse to start without these.
    for name in ("KWINT_ENV=production", "SECRET_KEY=", "DATABASE_URL=", "REDIS_URL="):
        assert name in DOCKERFILE
    assert "deploy/healthcheck.py" not in (ROOT / ".dockerignore").read_text()
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


@pytest.mark.parametrize(
    "allowed,expected",
    [
        ("kwint.example.nl,www.kwint.example.nl", "kwint.example.nl"),
        (" .kwint.example.nl", "www.kwint.example.nl"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_healthcheck_picks_a_host_django_accepts(allowed, expected):
    assert healthcheck.host_from_allowed_hosts(allowed) == expected


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_production_web_command_boots_and_passes_its_healthcheck(tmp_path):
    """gunicorn + KWINT_ENV=production, as the web container runs it, answers the healthcheck."""
    port = _free_port()
    env = {
        "PATH": os.environ["PATH"],
        "KWINT_ENV": "production",
        "SECRET_KEY": "x" * 64,
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
        "ALLOWED_HOSTS": "kwint.example.nl",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    argv = [str(gunicorn) if arg == "gunicorn" else arg for arg in _argv("web")]
    argv = [f"--bind=127.0.0.1:{port}" if a.startswith("--bind") else a for a in argv] + ["--workers=1"]
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/healthz"
        deadline = time.monotonic() + 20
        healthy = False
        while time.monotonic() < deadline and not healthy:
            assert process.poll() is None, log.read_text()
            healthy = healthcheck.check(url, "kwint.example.nl", timeout=2)
            if not healthy:
                time.sleep(0.2)
        assert healthy, log.read_text()
        # Production redirects plain http to https and rejects unknown hosts: why the check
        # sends the proxy header and a host from ALLOWED_HOSTS.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/healthz", headers={"Host": "kwint.example.nl"})
        assert connection.getresponse().status == 301
        connection.close()
        assert not healthcheck.check(url, "unknown.example.nl", timeout=2)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_make_run_starts_web_worker_and_one_beat():
    """Procfile.dev is what `make run` hands to honcho: the same three processes as compose."""
    processes = dict(line.split(":", 1) for line in (ROOT / "Procfile.dev").read_text().splitlines() if line.strip())
    assert set(processes) == {"web", "worker", "beat"}
    web, worker, beat = (shlex.split(processes[name]) for name in ("web", "worker", "beat"))
    assert web[1:3] == ["manage.py", "runserver"] and "runserver" in get_commands()
    # A worker that dies is started again (scripts/keep_running.py; honcho alone would stop all).
    assert worker[1:3] == ["scripts/keep_running.py", "--"]
    worker = worker[3:]
    assert worker[1:4] == ["-A", "kwint", "worker"]
    assert beat[1:4] == ["-A", "kwint", "beat"]
    # The file-system broker has no fanout: gossip, mingle and heartbeat would only log errors.
    assert {"--without-gossip", "--without-mingle", "--without-heartbeat"} <= set(worker)
    makefile = (ROOT / "Makefile").read_text()
    assert "honcho -f Procfile.dev start" in makefile
    assert "manage.py migrate" in makefile and "manage.py seed_demo" in makefile


def test_redis_keeps_queued_tasks_across_a_restart_and_dead_workers_come_back():
    """Redis with AOF (append-only file) on a volume: a restart keeps the queue. Every
    long-running container is restarted by Docker when it dies."""
    command = SERVICES["redis"]["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert any(volume.endswith(":/data") for volume in SERVICES["redis"]["volumes"])
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert SERVICES[name]["restart"] == "unless-stopped", name


def test_make_test_never_runs_the_benchmarks():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'^testpaths = \["tests"\]$', pyproject, re.M)


def test_the_dockerfile_collectstatic_step_runs_with_its_build_time_values():
    """The build runs production settings with dummy values: if settings start to require
    another variable, the image build would break. Run that exact step (as a dry run)."""
    run = re.search(r"^RUN (KWINT_ENV=production.*?manage\.py collectstatic[^\n]*)", DOCKERFILE, re.M | re.S).group(1)
    words = shlex.split(run.replace("\\\n", " "))
    assignments = dict(word.split("=", 1) for word in words if re.match(r"^[A-Z_]+=", word))
    command = [word for word in words if not re.match(r"^[A-Z_]+=", word)]
    assert command[:3] == ["python", "manage.py", "collectstatic"]
    result = subprocess.run(
        [sys.executable, *command[1:], "--dry-run"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **assignments},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    # "1 static file copied" when an earlier collectstatic (make run, make lighthouse) left staticfiles/.
    assert re.search(r"static files? copied", result.stdout)
