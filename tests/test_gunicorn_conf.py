"""gunicorn.conf.py is the one place the web workers are chosen (measured: docs/operations.md,
"Web workers"); the image and compose must not override it."""

from __future__ import annotations

import runpy
from pathlib import Path

import yaml
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "gunicorn.conf.py"


def _load(monkeypatch, **env: str) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return {k: v for k, v in runpy.run_path(str(CONF)).items() if not k.startswith("_")}


def test_three_threaded_workers_of_four_threads_by_default(monkeypatch):
    conf = _load(monkeypatch)
    assert (conf["worker_class"], conf["workers"], conf["threads"]) == ("gthread", 3, 4)
    assert conf["timeout"] == 60  # the proxy's read timeout in docs/operations.md
    assert conf["bind"] == "0.0.0.0:8000"
    assert conf["control_socket_disable"] is True  # the image's user has no writable $HOME


def test_the_counts_follow_the_environment(monkeypatch):
    conf = _load(monkeypatch, WEB_CONCURRENCY="5", GUNICORN_THREADS="2")
    assert (conf["workers"], conf["threads"]) == (5, 2)


def test_every_name_is_a_gunicorn_setting(monkeypatch):
    # A misspelt name in the file would be ignored by gunicorn without a word.
    known = set(Config().settings)
    conf = _load(monkeypatch)
    assert set(conf) - {"os"} <= known


def test_neither_the_image_nor_compose_overrides_the_worker_choice():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web = compose["services"]["web"]["command"]
    dockerfile_cmd = next(line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD"))
    for command in (" ".join(web), dockerfile_cmd):
        assert "gunicorn" in command
        tokens = command.replace('"', " ").replace(",", " ").split()
        for option in ("--workers", "-w", "--threads", "--worker-class", "-k", "--timeout"):
            assert not [t for t in tokens if t == option or t.startswith(option + "=")], (option, command)
