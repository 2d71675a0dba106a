"""What `make test` needs before pytest starts: PostgreSQL and Redis answering, and a Chromium
for the Playwright tests. Called by the Makefile after the virtualenv is in place.

Standard library only. Every decision goes through a program found on PATH (`shutil.which`),
so tests/test_prepare_test_env.py drives it with a PATH of fake programs.

- PostgreSQL / Redis: when the URL points at this machine and nothing answers on its port,
  start the local server (`pg_ctlcluster`, `redis-server`), then wait for the port. A server
  on another host is never touched. Exit status 1, with the command to run, when it stays down.
- Chromium: a system `chromium` (or KWINT_CHROMIUM) is used as it is; otherwise Debian's
  package through apt-get when we may (root, or password-less sudo); otherwise Playwright's own
  download. When none of that works, one line says the one command to run and the browser tests
  are skipped with that reason (tests/browser/conftest.py makes the same check). Never fatal.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}
CHROMIUM_NAMES = ("chromium", "chromium-browser")


def say(message: str) -> None:
    print(f"prepare-test-env: {message}", file=sys.stderr, flush=True)


def run(command: list[str], timeout: float = 600) -> bool:
    """Run a command, its output shown only when it fails. True when it exited 0."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired) as error:
        say(f"{command[0]}: {error}")
        return False
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        say(f"{' '.join(command[:3])} failed: {' / '.join(tail)}")
    return result.returncode == 0


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host or "127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def wait_for(host: str, port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        if answers(host, port):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.5)


def as_root(command: list[str]) -> list[str] | None:
    """The command as root, or None when we cannot become root without a password."""
    if os.geteuid() == 0:
        return command
    sudo = shutil.which("sudo")
    if sudo and subprocess.run([sudo, "-n", "true"], capture_output=True).returncode == 0:  # noqa: S603
        return [sudo, "-n", *command]
    return None


# --- PostgreSQL and Redis -------------------------------------------------------------------


def postgres_start_commands(etc: Path) -> list[list[str]]:
    """One `pg_ctlcluster <version> main start` per installed version (Debian's layout)."""
    tool = shutil.which("pg_ctlcluster")
    if not tool or not etc.is_dir():
        return []
    versions = sorted((p.name for p in etc.iterdir() if (p / "main").is_dir()), reverse=True)
    return [[tool, "--skip-systemctl-redirect", version, "main", "start"] for version in versions]


def ensure_postgres(url: str, etc: Path, wait: float) -> bool:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 5432
    if answers(host, port):
        return True
    hint = f"pg_ctlcluster --skip-systemctl-redirect $(ls {etc}) main start"
    if host not in LOCAL_HOSTS:
        say(f"PostgreSQL at {host}:{port} does not answer (not this machine: start it there).")
        return False
    commands = postgres_start_commands(etc)
    if not commands:
        say(f"PostgreSQL does not answer on {host}:{port} and no local cluster was found. Start it with: {hint}")
        return False
    say(f"PostgreSQL does not answer on {host}:{port}: starting it ({' '.join(commands[0][1:])}).")
    for command in commands:
        if run(command, timeout=120) and wait_for(host, port, wait):
            return True
    say(f"PostgreSQL did not come up on {host}:{port}. Start it with: {hint}")
    return False


def ensure_redis(url: str, wait: float) -> bool:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 6379
    if answers(host, port):
        return True
    hint = f'redis-server --daemonize yes --bind 127.0.0.1 --port {port} --save "" --appendonly no'
    if host not in LOCAL_HOSTS:
        say(f"Redis at {host}:{port} does not answer (not this machine: start it there).")
        return False
    tool = shutil.which("redis-server")
    if not tool:
        say(f"Redis does not answer on {host}:{port} and redis-server is not installed (apt-get install redis-server).")
        return False
    say(f"Redis does not answer on {host}:{port}: starting it.")
    # Test data only: no snapshot, no append-only file.
    command = [
        tool,
        "--daemonize",
        "yes",
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    if run(command, timeout=60) and wait_for(host, port, wait):
        return True
    say(f"Redis did not come up on {host}:{port}. Start it with: {hint}")
    return False


# --- Chromium --------------------------------------------------------------------------------


def system_chromium() -> str | None:
    explicit = os.environ.get("KWINT_CHROMIUM", "")
    if explicit and os.access(explicit, os.X_OK):
        return explicit
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def apt_install_chromium() -> bool:
    apt = shutil.which("apt-get")
    if not apt:
        return False
    update, install = as_root([apt, "update", "-qq"]), as_root([apt, "install", "-y", "-qq", "chromium"])
    if update is None or install is None:
        return False
    say("Chromium is missing: installing Debian's package (apt-get install chromium).")
    os.environ["DEBIAN_FRONTEND"] = "noninteractive"
    return run(update) and run(install) and system_chromium() is not None


_HAS_PLAYWRIGHT_CHROMIUM = (
    "import os, sys; from playwright.sync_api import sync_playwright; p = sync_playwright().start(); "
    "found = os.path.exists(p.chromium.executable_path); p.stop(); sys.exit(0 if found else 1)"
)


def has_playwright_chromium(python: str) -> bool:
    """Playwright's own build, downloaded earlier into its cache."""
    try:
        return subprocess.run([python, "-c", _HAS_PLAYWRIGHT_CHROMIUM], capture_output=True, timeout=60).returncode == 0  # noqa: S603
    except (OSError, subprocess.TimeoutExpired):
        return False


def playwright_download_chromium(python: str) -> bool:
    """Playwright's own build, downloaded now (needs the internet)."""
    say("Trying Playwright's own Chromium download (playwright install chromium).")
    return run([python, "-m", "playwright", "install", "chromium"], timeout=900)


def missing_browser_hint() -> str:
    if shutil.which("apt-get"):
        return "apt-get install chromium" if os.geteuid() == 0 else "sudo apt-get install chromium"
    return f"{ROOT / '.venv' / 'bin' / 'playwright'} install --with-deps chromium"


def ensure_chromium(python: str) -> bool:
    if system_chromium():
        return True
    if os.environ.get("KWINT_CHROMIUM"):
        say(f"KWINT_CHROMIUM={os.environ['KWINT_CHROMIUM']} is not an executable.")
    if has_playwright_chromium(python):
        return True
    if apt_install_chromium() or playwright_download_chromium(python):
        return True
    say(f"No Chromium: the browser tests will be skipped. Install it with: {missing_browser_hint()}")
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", action="append", default=[], help="may be given more than once")
    parser.add_argument("--python", default=sys.executable, help="the virtualenv's python (for playwright)")
    parser.add_argument("--postgres-etc", default=os.environ.get("KWINT_POSTGRES_ETC", "/etc/postgresql"))
    parser.add_argument("--wait", type=float, default=30.0, help="seconds to wait for a started server")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium check")
    args = parser.parse_args(argv)

    ok = ensure_postgres(args.database_url, Path(args.postgres_etc), args.wait)
    for url in dict.fromkeys(args.redis_url):
        ok = ensure_redis(url, args.wait) and ok
    if not args.no_browser:
        ensure_chromium(args.python)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
