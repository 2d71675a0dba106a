"""Run a command and start it again whenever it dies (the demo's worker under honcho).

honcho, which `make run` uses, stops everything when one process exits. A Celery worker that
dies (killed, out of memory, a broker error it does not survive) would then take the whole demo
down, or, run on its own, leave reminders unsent until someone notices. Production has
`restart: unless-stopped` in docker-compose.yml for the same reason.

    python scripts/keep_running.py [--delay SECONDS] -- command args...

SIGTERM / SIGINT are passed on to the command, and then this script exits too: a stop asked
for is a stop, not a crash to recover from.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=2.0, help="seconds between a death and the restart")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")

    stopping = False
    child: subprocess.Popen | None = None

    def stop(signum, _frame):
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while True:
        child = subprocess.Popen(command)  # noqa: S603  (the operator's own command line)
        code = child.wait()
        if stopping:
            return code
        print(f"keep_running: {command[0]} exited with {code}; starting it again in {args.delay:g} s", flush=True)
        deadline = time.monotonic() + args.delay
        while time.monotonic() < deadline and not stopping:
            time.sleep(0.1)
        if stopping:
            return code


if __name__ == "__main__":
    sys.exit(main())
