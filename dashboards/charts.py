"""Server-rendered SVG charts, drawn from the same suppressed tables as the page's tables.

No JavaScript and no inline style (the CSP stays strict): geometry computed here, drawn by the
template with SVG attributes. Colours from the Okabe-Ito palette, readable for colour-blind
readers; every chart has its table beside it. A hidden cell is never drawn to its size: the
hidden cells of a bar are drawn as one "hidden" segment, whose size (total minus what shows) the
reader can already work out from the table.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kwint.lib.stats import SuppressedTable

WIDTH = 600
BAR = 28
GAP = 14
LABEL = 150
PALETTE = ["#009E73", "#56B4E9", "#0072B2", "#F0E442", "#E69F00", "#CC79A7", "#D55E00", "#BBBBBB"]
HIDDEN_FILL = "#FFFFFF"
TEXT_DARK = {"#009E73", "#56B4E9", "#F0E442", "#E69F00", "#CC79A7", "#BBBBBB", "#FFFFFF"}


def stacked_bars(tables: dict[int, SuppressedTable], label: str) -> dict:
    """One horizontal bar per table (its total row), segments per column, as percentages."""
    bars = []
    legend = None
    for i, (key, table) in enumerate(tables.items()):
        total_row = len(table.rows)
        total = table.grid()[total_row][len(table.columns)]
        y = i * (BAR + GAP)
        segments, x = [], LABEL
        legend = [{"label": c, "fill": PALETTE[j % len(PALETTE)]} for j, c in enumerate(table.columns)]
        shown_total = table.shown_value(total_row, len(table.columns))
        # A hidden total draws nothing: proportions of a hidden total would give it away.
        for c in range(len(table.columns)) if shown_total else ():
            value = table.shown_value(total_row, c)
            if value is None:
                continue
            width = (WIDTH - LABEL) * value / total
            if width:
                segments.append({"x": round(x, 1), "width": round(width, 1), "fill": PALETTE[c % len(PALETTE)]})
            x += width
        if shown_total and x < WIDTH - 0.5:
            segments.append({"x": round(x, 1), "width": round(WIDTH - x, 1), "fill": HIDDEN_FILL, "hidden": True})
        bars.append({"label": _("%(months)s maanden") % {"months": key}, "y": y, "segments": segments, "n": total})
    return {
        "title": label,
        "bars": bars,
        "legend": legend or [],
        "height": max(1, len(bars)) * (BAR + GAP),
        "width": WIDTH,
        "label_width": LABEL - 8,
    }


def funnel(table: SuppressedTable) -> dict:
    """Diploma, in view, work, duurzaam work: each stage the sum of the categories from its own
    onwards. A stage is drawn only when every category it sums is shown."""
    stages = [_("Diploma"), _("In beeld"), _("Werk"), _("Duurzaam werk")]
    n = len(table.columns)
    total = table.shown_value(0, n) if table.rows else None
    bars = []
    for i, name in enumerate(stages):
        parts = [table.shown_value(0, c) for c in range(i, n)] if table.rows else [None]
        value = None if any(p is None for p in parts) else sum(parts)
        width = (WIDTH - LABEL) * value / total if value is not None and total else 0
        bars.append(
            {
                "label": name,
                "value": value,
                "y": i * (BAR + GAP),
                "x": LABEL,
                "width": round(width, 1),
                "fill": PALETTE[i],
            }
        )
    return {"bars": bars, "height": len(stages) * (BAR + GAP), "width": WIDTH, "label_width": LABEL - 8}


def trend_bars(rows: list[dict]) -> dict:
    """Per cohort two bars: share in view and share in duurzaam work at 12 months."""
    height = 160
    step = 70
    groups = []
    for i, row in enumerate(rows):
        x = 40 + i * step
        bars = []
        for j, key in enumerate(("in_view", "duurzaam_12")):
            value = row.get(key)
            h = height * value / 100 if value is not None else 0
            bars.append({"x": x + j * 24, "y": round(height - h, 1), "height": round(h, 1), "fill": PALETTE[j * 2]})
        groups.append({"label": row["cohort"], "x": x + 22, "bars": bars})
    return {
        "groups": groups,
        "width": max(WIDTH, 60 + len(rows) * step),
        "height": height,
        "legend": [
            {"label": _("In beeld (%)"), "fill": PALETTE[0]},
            {"label": _("Duurzaam werk na 12 maanden (%)"), "fill": PALETTE[2]},
        ],
    }
