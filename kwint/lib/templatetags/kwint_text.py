"""`{{ note|long_text }}`: a long free text in a list shows its first lines and a "meer"
disclosure (a native <details>, so it works by keyboard and screen reader without script, and
needs no inline style). A 10,000-character note no longer fills the student page."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

PREVIEW_LINES = 3
PREVIEW_CHARS = 240


def preview_of(text: str) -> str | None:
    """The first lines of `text`, cut at a word, or None when the whole text is short enough."""
    text = text.strip()
    lines = text.splitlines()
    start = "\n".join(lines[:PREVIEW_LINES])
    if len(lines) <= PREVIEW_LINES and len(text) <= PREVIEW_CHARS:
        return None
    if len(start) > PREVIEW_CHARS:
        cut = start[:PREVIEW_CHARS]
        start = cut.rsplit(" ", 1)[0] if " " in cut[PREVIEW_CHARS // 2 :] else cut
    return start.rstrip(" ,.;:") + "…"


@register.filter(is_safe=True)
def long_text(value, label: str = "") -> str:
    """The text with line breaks; past a few lines, its start and a "meer" disclosure with the
    whole text (the start is hidden by CSS once the disclosure is open)."""
    text = str(value or "")
    start = preview_of(text)
    if start is None:
        return linebreaksbr(text, autoescape=True)
    hidden = format_html('<span class="visually-hidden"> {}</span>', label) if label else ""
    return format_html(
        '<span class="long-text"><span class="long-text-start">{}</span>'
        '<details class="long-text-rest"><summary><span class="long-text-more">{}</span>'
        '<span class="long-text-less">{}</span>{}</summary><span class="long-text-all">{}</span></details></span>',
        linebreaksbr(start, autoescape=True),
        _("meer"),
        _("minder"),
        hidden,
        linebreaksbr(text.strip(), autoescape=True),
    )
