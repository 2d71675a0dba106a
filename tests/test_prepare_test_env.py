"""`make test` prepares its own machine (scripts/prepare_test_env.py): the decisions, driven with
a PATH of fake programs that only write down how they were called."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "prepare_test_env.py"


class FakeMachine:
    """A folder of fake programs on PATH and a log of their calls."""

    def __init__(self, folder: Path):
        self.bin = folder / "bin"
        self.bin.mkdir()
        self.log = folder / "calls.log"
        self.log.touch()
        self.etc = folder / "etc-postgresql"
        (self.etc / "15" / "main").mkdir(parents=True)

    def program(self, name: str, body: str = "exit 0") -> Path:
        path = self.bin / name
        path.write_text(f'#!/bin/sh\necho "{name} $*" >> "{self.log}"\n{body}\n')
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
        return path

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines()

    def run(self, *args: str, database: str, redis: str, browser: bool = True) -> subprocess.CompletedProcess:
        python = self.bin / "venv-python"
        if not python.exists():
            # Playwright's cache holds no browser and the download fails, unless a test says otherwise.
            self.program("venv-python", "exit 1")
        command = [
            sys.executable,
            str(SCRIPT),
            "--database-url",
            database,
            "--redis-url",
            redis,
            "--python",
            str(python),
            "--postgres-etc",
            str(self.etc),
            "--wait",
            "0.3",
            *([] if browser else ["--no-browser"]),
            *args,
        ]
        env = {"PATH": str(self.bin), "HOME": str(self.bin.parent)}
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def machine(tmp_path) -> FakeMachine:
    return FakeMachine(tmp_path)


@pytest.fixture
def open_port() -> Iterator[int]:
    """A port something listens on (a server that is up)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on (a server that is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pg(port: int, host: str = "127.0.0.1") -> str:
    return f"postgres://postgres@{host}:{port}/kwint"


def redis(port: int, host: str = "127.0.0.1") -> str:
    return f"redis://{host}:{port}/1"


def test_servers_that_answer_are_left_alone(machine, open_port):
    machine.program("pg_ctlcluster")
    machine.program("redis-server")
    result = machine.run(database=pg(open_port), redis=redis(open_port), browser=False)
    assert result.returncode == 0, result.stderr
    assert machine.calls() == []


def test_a_local_postgres_that_is_down_is_started_with_pg_ctlcluster(machine, open_port, closed_port):
    machine.program("pg_ctlcluster")
    result = machine.run(database=pg(closed_port), redis=redis(open_port), browser=False)
    assert machine.calls() == ["pg_ctlcluster --skip-systemctl-redirect 15 main start"]
    # The fake starts nothing: the script waits, then says the one command to run, and fails.
    assert result.returncode == 1
    assert "pg_ctlcluster --skip-systemctl-redirect $(ls" in result.stderr


def test_a_local_redis_that_is_down_is_started_without_persistence(machine, open_port, closed_port):
    machine.program("redis-server")
    result = machine.run(database=pg(open_port), redis=redis(closed_port), browser=False)
    assert machine.calls() == [
        f"redis-server --daemonize yes --bind 127.0.0.1 --port {closed_port} --save  --appendonly no"
    ]
    assert result.returncode == 1
    assert "Redis did not come up" in result.stderr


def test_a_server_on_another_host_is_never_started(machine, open_port, closed_port):
    machine.program("pg_ctlcluster")
    machine.program("redis-server")
    result = machine.run(database=pg(closed_port, host="192.0.2.1"), redis=redis(open_port), browser=False)
    assert machine.calls() == []
    assert result.returncode == 1
    assert "not this machine" in result.stderr


def test_without_pg_ctlcluster_it_says_what_to_run(machine, open_port, closed_port):
    result = machine.run(database=pg(closed_port), redis=redis(open_port), browser=False)
    assert result.returncode == 1
    assert "Start it with: pg_ctlcluster --skip-systemctl-redirect" in result.stderr


def test_a_system_chromium_is_used_as_it_is(machine, open_port):
    machine.program("chromium")
    machine.program("apt-get")
    result = machine.run(database=pg(open_port), redis=redis(open_port))
    assert result.returncode == 0, result.stderr
    assert machine.calls() == []


def test_a_missing_chromium_comes_from_apt_when_apt_works(machine, open_port):
    # Fake apt-get "installs" chromium by creating it; a fake sudo lets a non-root run pass too.
    fake_chromium = machine.bin / "chromium"
    machine.program(
        "apt-get",
        f'case "$1" in install) printf "#!/bin/sh\\n" > "{fake_chromium}"; /bin/chmod +x "{fake_chromium}";; esac',
    )
    machine.program("sudo", 'shift; exec "$@"')
    result = machine.run(database=pg(open_port), redis=redis(open_port))
    assert result.returncode == 0, result.stderr
    assert [c for c in machine.calls() if c.startswith("apt-get")] == [
        "apt-get update -qq",
        "apt-get install -y -qq chromium",
    ]
    assert not any("playwright install" in c for c in machine.calls())


def test_without_apt_playwright_downloads_its_own_chromium(machine, open_port):
    # The first call (is a downloaded browser there?) says no, the download succeeds.
    machine.program("venv-python", 'case "$2" in playwright) exit 0;; *) exit 1;; esac')
    result = machine.run(database=pg(open_port), redis=redis(open_port))
    assert result.returncode == 0, result.stderr
    assert "venv-python -m playwright install chromium" in machine.calls()
    assert "No Chromium" not in result.stderr


def test_an_earlier_playwright_download_is_used_without_downloading_again(machine, open_port):
    machine.program("venv-python", "exit 0")
    machine.program("apt-get")
    result = machine.run(database=pg(open_port), redis=redis(open_port))
    assert result.returncode == 0, result.stderr
    assert [c.split(" ", 2)[:2] for c in machine.calls()] == [["venv-python", "-c"]]


def test_no_browser_anywhere_gives_one_line_and_does_not_fail(machine, open_port):
    machine.program("apt-get", "exit 100")  # e.g. no network
    machine.program("sudo", 'shift; exec "$@"')
    result = machine.run(database=pg(open_port), redis=redis(open_port))
    assert result.returncode == 0
    lines = [line for line in result.stderr.splitlines() if "No Chromium" in line]
    assert lines == [
        "prepare-test-env: No Chromium: the browser tests will be skipped. Install it with: "
        + ("apt-get install chromium" if os.geteuid() == 0 else "sudo apt-get install chromium")
    ]


def test_browser_tests_are_skipped_with_the_reason_when_there_is_no_chromium(tmp_path):
    """The conftest's own check: no browser means skipped browser tests, never errors."""
    env = {
        **os.environ,
        "PATH": str(Path(sys.executable).parent) + os.pathsep + str(tmp_path),
        "KWINT_CHROMIUM": "",
        "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "no-browsers"),
        "KWINT_REQUIRE_BROWSER": "",
    }
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/browser/test_login.py", "-q", "-p", "no:cacheprovider", "-rs"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = collected.stdout
    assert collected.returncode == 0, out + collected.stderr
    assert " error" not in out and "failed" not in out
    assert "skipped" in out
    assert "no Chromium for the browser tests; install it with:" in out
