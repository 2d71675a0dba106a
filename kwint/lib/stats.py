"""Small-number suppression for aggregates: a cell small enough to identify someone is hidden,
and so is every cell that would let someone work a hidden one out by subtraction.

Primary suppression hides a count of 1 up to the threshold ("<5"). That alone is not enough: a
school row shows its total and every other category, so the hidden cell is the total minus the
rest. `suppress_table` therefore also hides complementary ("secondary") cells, shown as "x",
until no hidden cell can be derived from the row totals, the column totals and the grand total.

Whether a hidden cell can be derived is decided the way an attacker would: every row and column
is an equation (members sum to the total), a primary cell lies between 1 and threshold-1, a
secondary cell is at least the threshold (the rule never hides a zero, and anything smaller is
primary). The bounds are narrowed through all equations until nothing changes; a hidden cell
whose bounds meet is derivable, and the smallest visible non-zero cell on one of its lines is
hidden too. The test suite checks the result by brute force on top of this.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

SUPPRESSED = "<{}"
SECONDARY = "x"
PRIMARY_KIND = "primary"
SECONDARY_KIND = "secondary"
# Hidden only because nothing else was left on the line: may be zero.
FALLBACK_KIND = "fallback"
_SECONDARY_FLOOR = {FALLBACK_KIND: 0}
_UNBOUNDED = 10**12


def threshold() -> int:
    return getattr(settings, "KWINT_SUPPRESS_BELOW", 5)


def suppress(count: int, threshold: int | None = None) -> str:
    """Show counts of 0 and of `threshold` or more; hide 1..threshold-1 as "<threshold"."""
    limit = threshold if threshold is not None else globals()["threshold"]()
    if 0 < count < limit:
        return SUPPRESSED.format(limit)
    return str(count)


Cell = tuple[int, int]


@dataclass
class SuppressedTable:
    """A table of counts with its totals, as it may be shown.

    `values` holds the categories per row; the totals are computed here so they always add up.
    `hidden` maps (row, column) to "primary" or "secondary"; column index `len(columns)` is the
    row total, row index `len(rows)` the total row.
    """

    rows: list[str]
    columns: list[str]
    values: list[list[int]]
    limit: int
    hidden: dict[Cell, str] = field(default_factory=dict)
    # False where a column total means nothing (rows that overlap, such as consent purposes):
    # the total row is then neither shown nor an equation.
    total_row: bool = True

    @property
    def row_totals(self) -> list[int]:
        return [sum(r) for r in self.values]

    @property
    def column_totals(self) -> list[int]:
        return [sum(r[c] for r in self.values) for c in range(len(self.columns))]

    def grid(self) -> list[list[int]]:
        """The values with the total column and the total row: (rows+1) x (columns+1)."""
        body = [[*r, sum(r)] for r in self.values]
        totals = [*self.column_totals, sum(self.row_totals)]
        return [*body, totals]

    def shown(self, row: int, column: int) -> str:
        kind = self.hidden.get((row, column))
        if kind == PRIMARY_KIND:
            return SUPPRESSED.format(self.limit)
        if kind in (SECONDARY_KIND, FALLBACK_KIND):
            return SECONDARY
        return str(self.grid()[row][column])

    def shown_value(self, row: int, column: int) -> int | None:
        """The number, or None when hidden: what a chart may draw."""
        return None if (row, column) in self.hidden else self.grid()[row][column]

    def display_rows(self) -> list[tuple[str, list[str]]]:
        """Every row (the total row last) as its label and its shown cells, the total last."""
        labels = [*self.rows, "__total__"] if self.total_row else list(self.rows)
        width = len(self.columns) + 1
        return [(labels[r], [self.shown(r, c) for c in range(width)]) for r in range(len(labels))]


def _lines(n_rows: int, n_cols: int, total_row: bool = True) -> list[tuple[list[Cell], Cell]]:
    """Every equation of the grid: the members of a line and the line's total cell."""
    if not total_row:
        return [([(r, c) for c in range(n_cols)], (r, n_cols)) for r in range(n_rows)]
    lines = [([(r, c) for c in range(n_cols)], (r, n_cols)) for r in range(n_rows + 1)]
    lines += [([(r, c) for r in range(n_rows)], (n_rows, c)) for c in range(n_cols + 1)]
    return lines


def derivable_cells(
    grid: list[list[int]], hidden: dict[Cell, str], limit: int, total_row: bool = True
) -> dict[Cell, tuple[int, int]]:
    """The bounds an attacker gets for each hidden cell, narrowed through every equation.
    A cell whose two bounds meet is derivable."""
    n_rows, n_cols = len(grid) - 1, len(grid[0]) - 1
    bounds = {
        cell: (1, limit - 1) if kind == PRIMARY_KIND else (_SECONDARY_FLOOR.get(kind, limit), _UNBOUNDED)
        for cell, kind in hidden.items()
    }
    lines = _lines(n_rows, n_cols, total_row)
    for _ in range(200):
        changed = False
        for members, total in lines:
            # members - total = 0, with signs: +1 for members, -1 for the total.
            terms = [(cell, 1) for cell in members] + [(total, -1)]
            known = sum(sign * grid[cell[0]][cell[1]] for cell, sign in terms if cell not in bounds)
            unknown = [(cell, sign) for cell, sign in terms if cell in bounds]
            if not unknown:
                continue
            for cell, sign in unknown:
                # sign * x = -known - sum(other signed terms)
                lo_rest = sum(bounds[o][0] if s > 0 else -bounds[o][1] for o, s in unknown if o != cell)
                hi_rest = sum(bounds[o][1] if s > 0 else -bounds[o][0] for o, s in unknown if o != cell)
                lo, hi = -known - hi_rest, -known - lo_rest
                if sign < 0:
                    lo, hi = -hi, -lo
                old_lo, old_hi = bounds[cell]
                new = (max(old_lo, lo), min(old_hi, hi))
                if new != bounds[cell]:
                    bounds[cell] = new
                    changed = True
        if not changed:
            break
    return bounds


def suppress_table(
    rows: list[str], columns: list[str], values: list[list[int]], limit: int | None = None, *, total_row: bool = True
) -> SuppressedTable:
    """Counts per row and column with row totals, column totals and a grand total, hidden so
    that no count of 1..limit-1 shows and none can be worked out from what does show."""
    limit = limit if limit is not None else threshold()
    table = SuppressedTable(
        rows=list(rows), columns=list(columns), values=[list(r) for r in values], limit=limit, total_row=total_row
    )
    grid = table.grid()
    n_rows, n_cols = len(grid) - 1, len(grid[0]) - 1
    for r, line in enumerate(grid if total_row else grid[:-1]):
        for c, value in enumerate(line):
            if 0 < value < limit:
                table.hidden[(r, c)] = PRIMARY_KIND
    lines = [[*members, total] for members, total in _lines(n_rows, n_cols, total_row)]

    def hide_one_on(line: list[Cell]) -> bool:
        """Hide the smallest visible non-zero cell of `line` (a category before a total);
        if there is none, its visible zeros. False when nothing was left to hide."""
        total = line[-1]
        candidates = [
            (cell == total, grid[cell[0]][cell[1]], cell)
            for cell in line
            if cell not in table.hidden and grid[cell[0]][cell[1]] > 0
        ]
        if candidates:
            table.hidden[min(candidates)[2]] = SECONDARY_KIND
            return True
        zeros = [cell for cell in line if cell not in table.hidden]
        for cell in zeros:
            table.hidden[cell] = FALLBACK_KIND
        return bool(zeros)

    for _ in range(len(grid) * len(grid[0]) + 1):
        # First the classic rule: no line with exactly one hidden cell (row or column total
        # minus the rest). Then the subtler cases (1 + 1 = 2) the narrowed bounds reveal.
        single = [line for line in lines if sum(cell in table.hidden for cell in line) == 1]
        if single:
            hide_one_on(single[0])
            continue
        bounds = derivable_cells(grid, table.hidden, limit, total_row)
        exposed = sorted(cell for cell, (lo, hi) in bounds.items() if lo >= hi)
        if not exposed:
            break
        if not any(hide_one_on(line) for cell in exposed for line in lines if cell in line):
            break
    return table
