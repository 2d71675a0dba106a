"""Fixed-window counters in the cache (Redis in production, shared by every web process): the
one rate limiter behind the login, password reset and personal-link limits.

Keys are hashed: the cache never holds a client's address or a typed e-mail address in clear.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    scope: str  # what is counted, e.g. "login-failures-per-address"
    limit: int  # events allowed per window
    window: int  # seconds

    def _key(self, who: str) -> str:
        return f"rl:{self.scope}:{hashlib.sha256(who.encode()).hexdigest()[:32]}"

    def count(self, who: str) -> int:
        return int(cache.get(self._key(who)) or 0)

    def exceeded(self, who: str) -> bool:
        """True when `who` has used up the window (without counting this look)."""
        return self.count(who) >= self.limit

    def hit(self, who: str) -> bool:
        """Count one event; True while it stays within the limit."""
        key = self._key(who)
        # add() starts the window only once; incr() is atomic in Redis, so concurrent web
        # processes never lose a count.
        cache.add(key, 0, self.window)
        try:
            used = cache.incr(key)
        except ValueError:  # the window ended between add() and incr()
            cache.set(key, 1, self.window)
            used = 1
        return used <= self.limit

    def reset(self, who: str) -> None:
        cache.delete(self._key(who))
