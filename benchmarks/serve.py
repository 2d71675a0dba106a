"""Start Kwint under gunicorn for the browser-side benchmarks (lighthouse.py, load.py) and log
in over HTTP as a user does. DEBUG off, collected static files (WhiteNoise's compressed manifest
storage): the demo and production set-up, with gunicorn.conf.py (the worker count and type
docs/operations.md names).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server(NamedTuple):
    url: str
    pid: int

    def workers(self) -> list[int]:
        return [pid for pid in _all_pids() if _stat(pid)[1] == self.pid]

    def memory_mb(self) -> list[float]:
        """Resident memory of each gunicorn worker process (Linux /proc), in MB."""
        sizes = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.pid:  # the parent's pid
                    status = (stat.parent / "status").read_text()
                    sizes.append(int(status.split("VmRSS:")[1].split()[0]) / 1024)
            except (OSError, IndexError, ValueError):
                continue
        return sorted(sizes)


def _all_pids() -> list[int]:
    return [int(path.name) for path in Path("/proc").iterdir() if path.name.isdigit()]


def _stat(pid: int) -> list[int]:
    """[state placeholder, ppid, utime, stime] of a process from /proc (zeros when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return [0, 0, 0, 0]
    return [0, int(fields[1]), int(fields[11]), int(fields[12])]


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU each process has used so far, in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    return {pid: (_stat(pid)[2] + _stat(pid)[3]) / tick for pid in pids}


@contextmanager
def gunicorn(
    env: dict[str, str], *, app: str = "kwint.wsgi:application", args: list[str] | None = None
) -> Iterator[Server]:
    """Run gunicorn (gunicorn.conf.py plus `args`) until the block ends; yields its URL and pid."""
    port = free_port()
    command = [str(Path(PYTHON).parent / "gunicorn"), app, "--bind", f"127.0.0.1:{port}", *(args or [])]
    log = open(ROOT / "benchmarks" / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start: see {log.name}")
            time.sleep(0.3)
        yield Server(base, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def login(client: httpx.Client, base: str, email: str, password: str) -> httpx.Response:
    """Sign in through the login form (CSRF token and all); returns the start page."""
    page = client.get(f"{base}/inloggen/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = client.post(
        f"{base}/inloggen/",
        data={"csrfmiddlewaretoken": token, "username": email, "password": password},
        headers={"Referer": f"{base}/inloggen/"},
        follow_redirects=True,
    )
    if "/inloggen/" in str(response.url):
        raise RuntimeError(f"login as {email} failed")
    return response


def demo_env(database_url: str, redis_url: str = "") -> dict[str, str]:
    env = {**os.environ, "KWINT_ENV": "demo", "DATABASE_URL": database_url, "DEBUG": "false"}
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env
