"""Container health check for the web service: GET /healthz on the local gunicorn.

Uses only the standard library (the slim image has no curl). In production Django redirects
plain http to https and checks the Host header, so the request says it came through the TLS
proxy (X-Forwarded-Proto: https) and uses a host from ALLOWED_HOSTS.
Exit status 0 = healthy, 1 = unhealthy (what docker expects).
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def host_from_allowed_hosts(value: str) -> str:
    """The first concrete host in ALLOWED_HOSTS ('.example.nl' means any subdomain)."""
    for raw in value.split(","):
        host = raw.strip()
        if not host or host == "*":
            continue
        return "www" + host if host.startswith(".") else host
    return "localhost"


def check(url: str, host: str, timeout: float = 5.0) -> bool:
    request = urllib.request.Request(url, headers={"Host": host, "X-Forwarded-Proto": "https"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


def main() -> int:
    host = host_from_allowed_hosts(os.environ.get("ALLOWED_HOSTS", ""))
    return 0 if check("http://127.0.0.1:8000/healthz", host) else 1


if __name__ == "__main__":
    sys.exit(main())
