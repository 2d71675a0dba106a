"""Typed environment parsing for settings.py: django-environ, but a bad value is an error.

django-environ reads any unknown word as False (``DEBUG=ja`` would silently mean off), so a
typo in a security switch could go unnoticed. Here a boolean must be clearly true or false.
"""

from __future__ import annotations

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on", "y", "t"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", "n", "f"})


class Env(environ.Env):
    def bool(self, var, default=environ.Env.NOTSET):
        value = self.get_value(var, cast=str, default=default)
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ImproperlyConfigured(f"{var} must be true or false, not {value!r}.")

    def int(self, var, default=environ.Env.NOTSET):
        return self._number(var, int, default)

    def float(self, var, default=environ.Env.NOTSET):
        return self._number(var, float, default)

    def _number(self, var, cast, default):
        value = self.get_value(var, cast=str, default=default)
        if isinstance(value, cast):
            return value
        try:
            return cast(str(value).strip())
        except ValueError:
            raise ImproperlyConfigured(f"{var} must be a {cast.__name__} number, not {value!r}.") from None
