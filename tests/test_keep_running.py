"""scripts/keep_running.py: the demo's worker is started again when it dies, and stops when asked."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "keep_running.py"


def _wait(predicate, timeout=15):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_command_that_dies_is_started_again(tmp_path):
    starts = tmp_path / "starts"
    child = f"open({str(starts)!r}, 'a').write('x'); raise SystemExit(3)"
    process = subprocess.Popen([sys.executable, SCRIPT, "--delay", "0.1", "--", sys.executable, "-c", child])
    try:
        _wait(lambda: starts.exists() and len(starts.read_text()) >= 3)
        assert process.poll() is None  # it keeps going
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_sigterm_stops_the_command_and_the_keeper(tmp_path):
    pid_file = tmp_path / "pid"
    child = f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    process = subprocess.Popen(
        [sys.executable, SCRIPT, "--delay", "0.1", "--", sys.executable, "-c", child], stdout=subprocess.PIPE, text=True
    )
    _wait(lambda: pid_file.exists() and pid_file.read_text())
    child_pid = int(pid_file.read_text())
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)
    assert "starting it again" not in process.stdout.read()
    # The command got the signal too: its process is gone.
    _wait(lambda: not Path(f"/proc/{child_pid}").exists() or "Z" in _state(child_pid))


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0]
    except FileNotFoundError:
        return "Z"
