"""Small-cell suppression for published tables of counts, with margins: no hidden cell can be worked out.

A count from 1 to 4 (below THRESHOLD) is hidden (primary suppression): so few people can be recognised.
A zero is shown: it says nobody is in the cell, which names nobody, and hiding every zero would blank
most small tables. A table whose totals are published leaks a hidden cell that is alone in its row or
column (total minus the others), so complementary cells are hidden too (secondary suppression): in any
row or column (totals included) holding exactly one hidden cell, the smallest other cell that is not
zero is hidden as well (a zero only if nothing else is left), again until no line has a lone hidden cell.

That rule alone can still leave a value pinned, for counts are never negative (two hidden cells in a row
and a column whose other hidden cell is zero, for instance). So the result is then checked the way someone
recomputing it would: for every hidden cell, a linear programme finds the least and the most it can be
given every published cell and total; while one is pinned (its interval holds a single integer), the
smallest published cell in its row or column is hidden and the check runs again.

Pure functions over lists of ints: matching/reports/ calls them, tests check them against the same
recomputation written independently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

THRESHOLD = 5  # counts 1..THRESHOLD-1 are hidden


@dataclass(frozen=True)
class Table:
    """A table of counts with its margins, and which of its cells are hidden.

    `cells` is the interior (rows x columns). Row totals exist when there are two columns or more, column
    totals when there are two rows or more, and the grand total with either (a single row's total is the
    grand total). `hidden` covers the extended grid: rows x columns, then the totals column and row.
    """

    cells: tuple[tuple[int, ...], ...]
    hidden: tuple[tuple[bool, ...], ...]

    @property
    def extended(self) -> list[list[int]]:
        return extend(self.cells)

    def published(self) -> list[list[int | None]]:
        """The extended grid as it may be shown: None where hidden."""
        return [[None if h else v for v, h in zip(row, hid, strict=True)]
                for row, hid in zip(self.extended, self.hidden, strict=True)]


def extend(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    """The interior with its margins: a totals column when >1 column, a totals row when >1 row.

    A one-row table gets a total column (its grand total), a one-column table a total row, a one-cell
    table nothing (its total is itself).
    """
    rows = [list(r) for r in cells]
    n_rows, n_cols = len(rows), len(rows[0]) if rows else 0
    if n_cols > 1:
        rows = [[*r, sum(r)] for r in rows]
    if n_rows > 1:
        rows.append([sum(r[j] for r in rows) for j in range(len(rows[0]))])
    return rows


def lines(n_rows: int, n_cols: int) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """Each published sum of the extended grid: (the cells it adds up, the cell holding the sum)."""
    out = []
    width = n_cols + (1 if n_cols > 1 else 0)
    height = n_rows + (1 if n_rows > 1 else 0)
    if n_cols > 1:
        for i in range(height):
            out.append(([(i, j) for j in range(n_cols)], (i, n_cols)))
    if n_rows > 1:
        for j in range(width):
            out.append(([(i, j) for i in range(n_rows)], (n_rows, j)))
    return out


def suppress(cells: Sequence[Sequence[int]], *, threshold: int = THRESHOLD) -> Table:
    """Hide every count in 1..threshold-1 and enough other cells that none of them can be worked out."""
    interior = tuple(tuple(int(v) for v in row) for row in cells)
    if not interior or not interior[0] or any(len(r) != len(interior[0]) for r in interior):
        raise ValueError("a table needs at least one cell and rows of equal length")
    if any(v < 0 for row in interior for v in row):
        raise ValueError("counts are never negative")
    grid = extend(interior)
    n_rows, n_cols = len(interior), len(interior[0])
    sums = lines(n_rows, n_cols)
    hidden = {(i, j) for i, row in enumerate(grid) for j, v in enumerate(row) if 0 < v < threshold}
    while True:
        _complete_lines(grid, sums, hidden)
        pinned = next(iter(pinned_cells(grid, sums, hidden)), None)
        if pinned is None:
            break
        neighbours = [c for members, total in sums if pinned in members or pinned == total
                      for c in (*members, total) if c not in hidden]
        if not neighbours:  # cannot happen: a pinned cell always has a published neighbour
            raise AssertionError(f"cell {pinned} is pinned with nothing left to hide")
        hidden.add(_smallest(grid, neighbours))
    return Table(interior, tuple(tuple((i, j) in hidden for j in range(len(grid[0]))) for i in range(len(grid))))


def _complete_lines(grid: list[list[int]], sums: list, hidden: set[tuple[int, int]]) -> None:
    """Secondary suppression: until no line (row or column, totals included) has exactly one hidden cell."""
    changed = True
    while changed:
        changed = False
        for members, total in sums:
            line = [*members, total]
            if sum(c in hidden for c in line) == 1:
                hidden.add(_smallest(grid, [c for c in line if c not in hidden]))
                changed = True


def _smallest(grid: list[list[int]], candidates: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The smallest non-zero candidate (hiding a zero protects little), else the first; ties by position."""
    return min(candidates, key=lambda c: (grid[c[0]][c[1]] == 0, grid[c[0]][c[1]], c))


def bounds(grid: Sequence[Sequence[int]], sums: list, hidden: set[tuple[int, int]]) -> dict:
    """For each hidden cell, (least, most) it can be given the published cells and sums; most may be inf."""
    order = sorted(hidden)
    position = {c: k for k, c in enumerate(order)}
    rows, rhs = [], []
    for members, total in sums:
        # sum(members) - total = 0, with published cells moved to the right-hand side.
        row, constant = np.zeros(len(order)), 0.0
        for cell, sign in [*((m, 1.0) for m in members), (total, -1.0)]:
            if cell in position:
                row[position[cell]] += sign
            else:
                constant -= sign * grid[cell[0]][cell[1]]
        if row.any():
            rows.append(row)
            rhs.append(constant)
    out = {}
    for k, cell in enumerate(order):
        if not rows:
            out[cell] = (0.0, float("inf"))
            continue
        objective = np.zeros(len(order))
        objective[k] = 1.0
        low = linprog(objective, A_eq=np.array(rows), b_eq=np.array(rhs), bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=np.array(rows), b_eq=np.array(rhs), bounds=(0, None), method="highs")
        most = float("inf") if high.status == 3 else -high.fun  # status 3: unbounded
        out[cell] = (low.fun, most)
    return out


def pinned_cells(grid: Sequence[Sequence[int]], sums: list, hidden: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """Hidden cells whose interval holds one integer only: published figures give them away."""
    return [cell for cell, (low, high) in sorted(bounds(grid, sums, hidden).items())
            if np.floor(high + 1e-7) - np.ceil(low - 1e-7) < 1]


def suppress_list(counts: Sequence[int], *, threshold: int = THRESHOLD) -> list[int | None]:
    """Counts published with no total beside them (nothing adds them up): only the small ones are hidden."""
    return [None if 0 < c < threshold else c for c in counts]
