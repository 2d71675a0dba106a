"""`{{ day|short_date }}`, `{{ day|long_date }}`, `{{ at|short_datetime }}`, `{{ at|long_datetime }}`:
Kwint's two date styles (see kwint.lib.dates). Built into every template (settings.TEMPLATES)."""

from django import template

from kwint.lib import dates

register = template.Library()

for _name in ("short_date", "long_date", "short_datetime", "long_datetime"):
    register.filter(_name, getattr(dates, _name), expects_localtime=False, is_safe=False)
