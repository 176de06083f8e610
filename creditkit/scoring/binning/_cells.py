"""Fine statistics of one variable: the cells that binning and bin edits work on.

At fit, every variable is reduced once to *cells* (goods and bads per cell):

- numerical: the distinct values when there are at most ``max_n_grid`` of
  them (``exact`` grid: any later split is exact), otherwise up to
  ``max_n_grid`` quantile edges (a later split
  between two edges snaps to the nearest edge, with a warning);
- categorical: one cell per category, ordered by bad rate.

Prebins are runs of consecutive cells of about equal size; final bins are runs
of prebins (numerical) or groups of cells (categorical). Since edits only
regroup cells, they never need the data again, and the cells round-trip
through JSON.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "categorical_cells",
    "format_interval",
    "numeric_cells",
    "prebin_starts",
    "split_positions",
]



def _counts(idx: np.ndarray, y: np.ndarray, n_cells: int) -> tuple[np.ndarray, np.ndarray]:
    both = np.bincount(idx * 2 + y, minlength=2 * n_cells).reshape(n_cells, 2)
    return both[:, 0].astype(np.int64), both[:, 1].astype(np.int64)


def numeric_cells(
    x: np.ndarray, y: np.ndarray, *, max_n_grid: int, user_splits: np.ndarray | None = None
) -> dict:
    """Cells of clean (non-missing, non-special) float values ``x`` with 0/1 target ``y``.

    Returns a dict with ``edges`` (cell ``t`` holds values in
    ``[edges[t-1], edges[t])``), ``exact``, ``xmin``, ``goods``, ``bads``.
    Sorting goods and bads once (SIMD sorts make that cheaper than a binary
    search per row) gives every count by ``searchsorted`` of the few edges.
    """
    if len(x) == 0:
        return {"edges": np.empty(0), "exact": True, "xmin": 0.0,
                "goods": np.zeros(1, np.int64), "bads": np.zeros(1, np.int64)}
    xs = np.sort(x)
    new = np.empty(len(xs), dtype=bool)
    new[0] = True
    np.not_equal(xs[1:], xs[:-1], out=new[1:])
    n_unique = int(np.count_nonzero(new))
    if n_unique <= max_n_grid:
        edges, exact = xs[new][1:], True
    else:
        pos = (np.arange(1, max_n_grid) * len(xs)) // max_n_grid
        edges, exact = np.unique(xs[pos]), False
        edges = edges[edges > xs[0]]
        if user_splits is not None and len(user_splits):
            edges = np.unique(np.concatenate([edges, np.asarray(user_splits, float)]))
    bounds = np.concatenate([[0], np.searchsorted(xs, edges, side="left"), [len(xs)]])
    count = np.diff(bounds)
    xb = np.sort(x[y == 1])
    bb = np.concatenate([[0], np.searchsorted(xb, edges, side="left"), [len(xb)]])
    bads = np.diff(bb).astype(np.int64)
    return {"edges": edges, "exact": exact, "xmin": float(xs[0]),
            "goods": (count - bads).astype(np.int64), "bads": bads}


def categorical_cells(
    codes: np.ndarray, uniques: list[str], y: np.ndarray, *, smoothing: float,
    cat_cutoff: float | None, n_total: int,
) -> dict:
    """Cells of categories (``codes`` index ``uniques``; -1 rows are not passed).

    Categories are ordered by smoothed bad rate; those with a share of
    records below ``cat_cutoff`` are kept together at their pooled bad rate
    so that the DP puts them in one bin ("other").
    """
    goods, bads = _counts(codes, y, len(uniques))
    n = goods + bads
    rate = (bads + smoothing) / (n + 2 * smoothing + 1e-300)
    small = np.zeros(len(uniques), dtype=bool)
    if cat_cutoff is not None and n_total > 0:
        small = n < cat_cutoff * n_total
        if small.sum() > 1:
            pooled = (bads[small].sum() + smoothing) / (n[small].sum() + 2 * smoothing)
            rate = np.where(small, pooled, rate)
    order = np.lexsort((np.asarray(uniques, dtype=object).astype(str), rate))
    return {"categories": [uniques[i] for i in order], "goods": goods[order],
            "bads": bads[order], "small": small[order]}


def prebin_starts(n_cells: np.ndarray, max_n_prebins: int,
                  pinned: np.ndarray | None = None) -> np.ndarray:
    """Cell indices where prebins 1.. start: about equal counts, no empty prebin.

    ``pinned`` (boolean per cell) marks cells that must stay in one prebin
    together with their pinned neighbours (pooled small categories).
    """
    n_cells = np.asarray(n_cells)
    cum = np.cumsum(n_cells)
    total = cum[-1] if len(cum) else 0
    if len(n_cells) <= 1 or total == 0:
        return np.empty(0, dtype=np.int64)
    targets = total * np.arange(1, max_n_prebins) / max_n_prebins
    starts = np.searchsorted(cum, targets, side="left") + 1
    # every boundary between two non-empty cells is a candidate; keep at most
    # one per quantile target, and never leave an empty prebin
    starts = np.unique(np.clip(starts, 1, len(n_cells) - 1))
    if len(n_cells) <= max_n_prebins:
        starts = np.arange(1, len(n_cells))
    before = cum[starts - 1]
    keep = (before > 0) & (before < total)
    starts = starts[keep]
    if len(starts):
        # drop a start whose prebin would be empty
        seg = np.diff(np.concatenate([[0], cum[starts - 1], [total]]))
        starts = starts[seg[1:] > 0]
    if pinned is not None and pinned.any():
        inner = pinned[starts] & pinned[starts - 1]
        starts = starts[~inner]
    return starts.astype(np.int64)


def split_positions(cells: dict, splits: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """Cell boundaries for split values; returns (boundaries, snapped splits, all exact).

    A split at ``s`` puts every value ``< s`` to its left. On an exact grid
    that is always expressible; on a quantile grid a split between two edges
    moves to the nearest edge.
    """
    edges = cells["edges"]
    splits = np.unique(np.asarray(splits, dtype=float))
    if cells["exact"]:
        values = np.concatenate([[cells["xmin"]], edges])
        return np.searchsorted(values, splits, side="left"), splits, True
    pos = np.searchsorted(edges, splits, side="left")
    hit = (pos < len(edges)) & (edges[np.minimum(pos, len(edges) - 1)] == splits)
    if hit.all() or len(edges) == 0:
        return pos + 1, splits, bool(hit.all())
    lo = edges[np.clip(pos - 1, 0, len(edges) - 1)]
    hi = edges[np.clip(pos, 0, len(edges) - 1)]
    snapped = np.where(hit, splits, np.where(np.abs(splits - lo) <= np.abs(hi - splits), lo, hi))
    snapped = np.unique(snapped)
    return np.searchsorted(edges, snapped, side="left") + 1, snapped, False


def _fmt(v: float) -> str:
    return f"{v:.6g}"


def format_interval(splits: np.ndarray) -> list[str]:
    """Labels of the intervals that ``splits`` cut the real line into."""
    bounds = ["-inf", *(_fmt(s) for s in splits), "inf"]
    out = []
    for i in range(len(bounds) - 1):
        left = "(" if i == 0 else "["
        out.append(f"{left}{bounds[i]}, {bounds[i + 1]})")
    return out


def as_float_column(col: pd.Series | np.ndarray) -> np.ndarray:
    """A numeric column as float64 with NaN for missing (pd.NA, None)."""
    if isinstance(col, pd.Series):
        return col.to_numpy(dtype=np.float64, na_value=np.nan)
    return np.asarray(col, dtype=np.float64)


def _best_cut(g: np.ndarray, b: np.ndarray, lo: int, hi: int, min_n: float):
    """Best Gini cut of cells lo..hi-1: (gain, cut) or None; cut = first cell of the right part."""
    if hi - lo < 2:
        return None
    cg = np.cumsum(g[lo:hi])[:-1]
    cb = np.cumsum(b[lo:hi])[:-1]
    tg, tb = cg[-1] + g[hi - 1], cb[-1] + b[hi - 1]
    nl = cg + cb
    nr = (tg + tb) - nl
    ok = (nl >= min_n) & (nr >= min_n) & (nl > 0) & (nr > 0)
    if not ok.any():
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        # n * Gini of each side = 2 g b / n
        impurity = 2 * cg * cb / nl + 2 * (tg - cg) * (tb - cb) / nr
    parent = 2 * tg * tb / (tg + tb)
    gain = np.where(ok, parent - impurity, -np.inf)
    j = int(np.argmax(gain))
    if not np.isfinite(gain[j]) or gain[j] <= 1e-12:
        return None
    return float(gain[j]), lo + j + 1


def cart_prebin_starts(goods: np.ndarray, bads: np.ndarray, max_n_prebins: int,
                       min_n: float) -> np.ndarray:
    """Prebins by best-first Gini splits of the cells (what a CART with
    ``max_leaf_nodes=max_n_prebins`` and ``min_samples_leaf=min_n`` would cut),
    computed on cell counts so it costs nothing per row."""
    goods = np.asarray(goods, dtype=float)
    bads = np.asarray(bads, dtype=float)
    min_n = max(min_n, 1.0)
    leaves = [(0, len(goods), _best_cut(goods, bads, 0, len(goods), min_n))]
    cuts = []
    while len(leaves) < max_n_prebins:
        cand = [(leaf[2][0], i) for i, leaf in enumerate(leaves) if leaf[2] is not None]
        if not cand:
            break
        _, i = max(cand)
        lo, hi, (_, cut) = leaves.pop(i)
        cuts.append(cut)
        leaves.append((lo, cut, _best_cut(goods, bads, lo, cut, min_n)))
        leaves.append((cut, hi, _best_cut(goods, bads, cut, hi, min_n)))
    return np.array(sorted(cuts), dtype=np.int64)
