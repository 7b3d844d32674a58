"""Small-cell suppression resists recomputation: from what is published (cells and totals), no hidden cell
can be narrowed to a single value, checked by a brute-force search over every table consistent with it and
by a linear programme written here, apart from the module's own."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from matching.reports.suppression import THRESHOLD, extend, suppress, suppress_list


def interval(published: list[list[int | None]], n_rows: int, n_cols: int, target: tuple[int, int]):
    """Least and most the hidden `target` can be, from the published grid's row and column sums (LP)."""
    hidden = [(i, j) for i, row in enumerate(published) for j, v in enumerate(row) if v is None]
    index = {c: k for k, c in enumerate(hidden)}
    equations, rhs = [], []

    def equation(parts, total):
        row, constant = np.zeros(len(hidden)), 0.0
        for cell, sign in [*((p, 1) for p in parts), (total, -1)]:
            value = published[cell[0]][cell[1]]
            if value is None:
                row[index[cell]] += sign
            else:
                constant -= sign * value
        equations.append(row)
        rhs.append(constant)

    if n_cols > 1:
        for i in range(len(published)):
            equation([(i, j) for j in range(n_cols)], (i, n_cols))
    if n_rows > 1:
        for j in range(len(published[0])):
            equation([(i, j) for i in range(n_rows)], (n_rows, j))
    if not equations:  # a single cell: no sum to recompute it from
        return 0.0, float("inf")
    c = np.zeros(len(hidden))
    c[index[target]] = 1
    low = linprog(c, A_eq=np.array(equations), b_eq=rhs, bounds=(0, None), method="highs")
    high = linprog(-c, A_eq=np.array(equations), b_eq=rhs, bounds=(0, None), method="highs")
    assert low.status == 0, "the published table must be consistent"
    return low.fun, (float("inf") if high.status == 3 else -high.fun)


def consistent_values(published, cells, target):
    """Brute force: every value the target takes over all non-negative integer interiors (up to a bound)
    that reproduce each published cell and total."""
    n_rows, n_cols = len(cells), len(cells[0])
    hidden = [(i, j) for i in range(n_rows) for j in range(n_cols) if published[i][j] is None]
    bound = max(max(r) for r in cells) + 2  # enough to see a second value: the true one plus or minus one
    seen = set()
    for values in itertools.product(range(bound + 1), repeat=len(hidden)):
        trial = [list(r) for r in cells]
        for (i, j), v in zip(hidden, values, strict=True):
            trial[i][j] = v
        grid = extend(trial)
        if all(p is None or p == g for prow, grow in zip(published, grid, strict=True)
               for p, g in zip(prow, grow, strict=True)):
            seen.add(grid[target[0]][target[1]])
    return seen


tables = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda cols: st.lists(
            st.lists(st.one_of(st.integers(0, 6), st.integers(0, 40)), min_size=cols, max_size=cols),
            min_size=rows, max_size=rows,
        )
    )
)


@settings(max_examples=80, deadline=None)
@given(tables)
def test_no_hidden_cell_is_pinned_by_what_is_published(cells):
    table = suppress(cells)
    published = table.published()
    grid = table.extended
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if 0 < value < THRESHOLD:
                assert published[i][j] is None, f"small count {value} at {(i, j)} shown"
            if published[i][j] is None:
                low, high = interval(published, len(cells), len(cells[0]), (i, j))
                assert low - 1e-6 <= value <= high + 1e-6
                assert np.floor(high + 1e-7) - np.ceil(low - 1e-7) >= 1, f"{(i, j)} pinned in {published}"
            else:
                assert published[i][j] == value


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.integers(0, 9), min_size=2, max_size=2), min_size=2, max_size=2)
       | st.lists(st.lists(st.integers(0, 9), min_size=3, max_size=3), min_size=1, max_size=1))
def test_brute_force_finds_two_values_or_more_for_every_hidden_interior_cell(cells):
    table = suppress(cells)
    published = table.published()
    for i in range(len(cells)):
        for j in range(len(cells[0])):
            if published[i][j] is None:
                values = consistent_values(published, cells, (i, j))
                assert cells[i][j] in values and len(values) >= 2, (published, (i, j), values)


def test_a_lone_small_cell_takes_a_complement_in_its_row_and_column_and_zeros_show():
    table = suppress([[3, 10, 12], [20, 7, 9], [15, 0, 30]])
    shown = table.published()
    assert shown[0][0] is None
    assert shown[2][1] == 0  # nobody there names nobody
    # Its row and column each hide a second cell, so neither total gives it away.
    assert sum(v is None for v in shown[0]) >= 2
    assert sum(row[0] is None for row in shown) >= 2


def test_a_table_with_nothing_small_is_published_whole():
    assert suppress([[5, 6], [7, 8]]).published() == [[5, 6, 11], [7, 8, 15], [12, 14, 26]]


def test_a_single_row_hides_its_total_or_another_cell_with_a_small_one():
    shown = suppress([[2, 30, 40]]).published()[0]
    assert shown[0] is None and sum(v is None for v in shown) == 2


def test_a_list_without_totals_hides_only_the_small_counts():
    assert suppress_list([0, 1, 4, 5, 12]) == [0, None, None, 5, 12]
