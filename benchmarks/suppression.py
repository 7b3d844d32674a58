"""Small-cell suppression on random report tables: the line rule alone against the line rule checked by LP.

The peer in the same run is the common rule alone (hide 1-4, then the smallest other cell of any row or
column, totals included, with exactly one hidden cell): for every table it leaves, a linear programme over
the published cells and totals finds hidden cells pinned to a single value (recomputable). The service's
`matching.reports.suppression.suppress` adds that check and hides more until none is pinned.

Tables: outcome x follow-up (5x2), 4x4, and phase x three columns (9x3), counts drawn like a small
programme's (many zeros and small counts, a few large ones).

    python benchmarks/suppression.py [--tables 200] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from matching.reports.suppression import THRESHOLD, _complete_lines, extend, lines, pinned_cells, suppress


def rule_only(cells: list[list[int]]) -> tuple[list[list[int]], list, set[tuple[int, int]]]:
    grid = extend(cells)
    sums = lines(len(cells), len(cells[0]))
    hidden = {(i, j) for i, row in enumerate(grid) for j, v in enumerate(row) if 0 < v < THRESHOLD}
    _complete_lines(grid, sums, hidden)
    return grid, sums, hidden


def table(rng: random.Random, rows: int, cols: int) -> list[list[int]]:
    return [[rng.choice([0, 0, 0, 1, 2, 3, 7, 9, 15]) for _ in range(cols)] for _ in range(rows)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(f"{'shape':>6} {'method':<18} {'tables':>6} {'cells':>6} {'primary':>8} {'hidden':>7} "
          f"{'tables w/ pinned':>16} {'pinned cells':>12} {'ms/table (median)':>18}")
    for rows, cols in ((5, 2), (4, 4), (9, 3)):
        tables = [table(rng, rows, cols) for _ in range(args.tables)]
        cells = sum(len(extend(t)) * len(extend(t)[0]) for t in tables)
        primary = sum(1 for t in tables for row in extend(t) for v in row if 0 < v < THRESHOLD)
        for method in ("line rule (peer)", "line rule + LP"):
            hidden_total, pinned_tables, pinned_total, times = 0, 0, 0, []
            for t in tables:
                start = time.perf_counter()
                if method.startswith("line rule (peer)"):
                    grid, sums, hidden = rule_only(t)
                else:
                    result = suppress(t)
                    grid, sums = extend(t), lines(rows, cols)
                    hidden = {(i, j) for i, row in enumerate(result.hidden) for j, h in enumerate(row) if h}
                times.append((time.perf_counter() - start) * 1000)
                pinned = pinned_cells(grid, sums, hidden)
                hidden_total += len(hidden)
                pinned_tables += bool(pinned)
                pinned_total += len(pinned)
            print(f"{rows}x{cols:<4} {method:<18} {len(tables):>6} {cells:>6} {primary:>8} {hidden_total:>7} "
                  f"{pinned_tables:>16} {pinned_total:>12} {statistics.median(times):>18.2f}")


if __name__ == "__main__":
    main()
