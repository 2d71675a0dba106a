"""The client's address, the one rule for every part of Kwint that needs it: the login lockout
(django-axes, AXES_CLIENT_IP_CALLABLE), the access log (NEN 7513: where a view came from) and
every rate limit.

Behind a reverse proxy every request comes from the proxy, so the socket address says nothing.
`X-Forwarded-For`, on the other hand, is whatever the client sent plus what each proxy appended:
only the entries the trusted proxies added can be believed. With KWINT_TRUSTED_PROXIES = N the
client is the N-th entry from the right (each trusted proxy appends the address it was reached
from; the outermost one must overwrite the header instead, see docs/operations.md). With 0 (the
default: no proxy) the header is ignored and the socket address is used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

UNKNOWN = "0.0.0.0"  # noqa: S104 (never bound: a stand-in key when the socket address is missing)


def _valid(value: str) -> str | None:
    candidate = value.strip()
    if candidate.startswith("[") and "]" in candidate:  # "[2001:db8::1]:443"
        candidate = candidate[1 : candidate.index("]")]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def client_address(request) -> str:
    """The client's IP address as a string; the socket address when the forwarded chain is
    shorter than the number of trusted proxies (the request did not come through them)."""
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "") or UNKNOWN
    trusted = getattr(settings, "KWINT_TRUSTED_PROXIES", 0)
    if trusted <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < trusted:
        return remote
    return _valid(hops[-trusted]) or remote
