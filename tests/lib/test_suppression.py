"""Small-number suppression: no count of 1..4 shows, and none can be worked out by subtraction
from the totals that do show. Checked by brute force: every table of non-negative counts that
agrees with what is shown must leave each hidden cell at least two possible values."""

from __future__ import annotations

import random

import pytest

from kwint.lib.stats import PRIMARY_KIND, SECONDARY, suppress_table


def _consistent_values(table, cap: int):
    """Every assignment of the hidden cells (0..cap) that satisfies every row and column
    equation with the shown cells: what an attacker could enumerate, knowing only the page.
    Backtracking, checking each equation as soon as its cells are all filled in."""
    grid = table.grid()
    n_rows, n_cols = len(grid) - 1, len(grid[0]) - 1
    lines = [([(r, c) for c in range(n_cols)], (r, n_cols)) for r in range(n_rows + 1)]
    lines += [([(r, c) for r in range(n_rows)], (n_rows, c)) for c in range(n_cols + 1)]
    hidden = sorted(table.hidden)
    position = {cell: i for i, cell in enumerate(hidden)}
    # Per hidden cell, the equations that are complete once it is filled in.
    closing: dict[int, list] = {i: [] for i in range(len(hidden))}
    for members, total in lines:
        involved = [position[c] for c in [*members, total] if c in position]
        if involved:
            closing[max(involved)].append((members, total))
    trial = [row[:] for row in grid]

    def holds(members, total) -> bool:
        return sum(trial[r][c] for r, c in members) == trial[total[0]][total[1]]

    def search(i: int):
        if i == len(hidden):
            yield {cell: trial[cell[0]][cell[1]] for cell in hidden}
            return
        cell = hidden[i]
        domain = range(1, table.limit) if table.hidden[cell] == PRIMARY_KIND else range(cap + 1)
        for value in domain:
            trial[cell[0]][cell[1]] = value
            if all(holds(m, t) for m, t in closing[i]):
                yield from search(i + 1)

    yield from search(0)


def assert_not_derivable(table, cap: int | None = None):
    cap = cap if cap is not None else max(max(r) for r in table.grid())
    seen: dict = {cell: set() for cell in table.hidden}
    for solution in _consistent_values(table, cap):
        for cell, value in solution.items():
            seen[cell].add(value)
    for cell, values in seen.items():
        assert len(values) >= 2, f"hidden cell {cell} can only be {values}"


def test_one_small_cell_in_a_row_hides_a_second_one():
    # A school: 12 students, 7 given, 2 refused (hidden), 3 not asked (hidden).
    table = suppress_table(["ROC"], ["given", "refused", "not asked"], [[7, 2, 3]])
    cells = dict(table.display_rows())["ROC"]
    assert cells[1] == "<5" and cells[2] == "<5"


def test_a_single_hidden_cell_cannot_be_recovered_from_the_row_total():
    table = suppress_table(["A", "B"], ["werk", "opleiding", "niets"], [[20, 9, 2], [15, 30, 11]])
    shown = dict(table.display_rows())
    assert shown["A"][2] == "<5"
    # The next smallest of row A is hidden too, and column "niets" is protected as well.
    assert SECONDARY in shown["A"]
    assert_not_derivable(table, cap=60)


def test_zeros_stay_visible_and_are_never_chosen_as_the_second_cell():
    table = suppress_table(["A", "B"], ["x", "y", "z"], [[0, 3, 9], [6, 7, 8]])
    shown = dict(table.display_rows())
    assert shown["A"][0] == "0"
    assert_not_derivable(table, cap=40)


def test_two_small_cells_that_pin_each_other_down_are_protected():
    # 1 + 1 = 2 with both at least 1 says both are 1: hide more.
    table = suppress_table(["A", "B"], ["x", "y", "z"], [[1, 1, 10], [8, 9, 10]])
    assert_not_derivable(table, cap=40)


@pytest.mark.parametrize("seed", range(25))
def test_random_small_tables_leave_nothing_derivable(seed):
    rng = random.Random(seed)
    values = [[rng.choice([0, 1, 2, 3, 4, 5, 6, 9]) for _ in range(3)] for _ in range(2)]
    table = suppress_table(["A", "B"], ["x", "y", "z"], values, limit=5)
    for (r, c), kind in table.hidden.items():
        if kind == PRIMARY_KIND:
            assert 0 < table.grid()[r][c] < 5
    for r, row in enumerate(table.grid()):
        for c, value in enumerate(row):
            if 0 < value < 5:
                assert (r, c) in table.hidden
    assert_not_derivable(table, cap=max(max(r) for r in table.grid()))


def test_no_small_numbers_nothing_hidden():
    table = suppress_table(["A"], ["x", "y"], [[10, 20]])
    assert table.hidden == {}
    assert dict(table.display_rows())["__total__"] == ["10", "20", "30"]
