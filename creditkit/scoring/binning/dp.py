"""WoE/IV arithmetic and the exact dynamic programme behind optimal binning.

Everything here works on per-prebin counts (goods, bads) only, never on rows,
so it is tiny and fast whatever the number of records.

Sign convention (the one optbinning uses)::

    WoE_j = ln( (g_j + s) / G  /  ((b_j + s) / B) )      # ln(good share / bad share)
    IV_j  = ((g_j + s) / G - (b_j + s) / B) * WoE_j      # >= 0, like every term

with ``g_j, b_j`` the goods (target 0) and bads (target 1) of bin ``j``, ``G, B``
the totals of the whole sample (missing and special bins included) and ``s``
the smoothing added to both counts of every bin, so that a bin with no goods
or no bads still has a finite WoE. A higher WoE means a safer bin. IV stays a
sum over bins (the totals do not depend on the binning), which is what makes
the dynamic programme exact. An empty bin has WoE 0 and IV 0; with ``s = 0`` a
pure bin also gets WoE 0 (as optbinning does).
"""

from __future__ import annotations

import numpy as np

__all__ = ["TRENDS", "optimal_partition", "smoothed_bad_rate", "woe_iv"]

# direction of the bad rate, phase by phase: +1 rising, -1 falling, 0 free
TRENDS: dict[str | None, tuple[int, ...]] = {
    "ascending": (1,),
    "descending": (-1,),
    "peak": (1, -1),
    "valley": (-1, 1),
    None: (0,),
}
_EPS = 1e-12


def woe_iv(
    goods: np.ndarray,
    bads: np.ndarray,
    total_goods: float,
    total_bads: float,
    smoothing: float,
) -> tuple[np.ndarray, np.ndarray]:
    """WoE and IV of each bin: ``ln((g+s)/G / ((b+s)/B))`` and ``((g+s)/G - (b+s)/B) * WoE``.

    Parameters
    ----------
    goods, bads : array-like
        Counts per bin (target 0 and target 1).
    total_goods, total_bads : float
        Totals of the whole sample (``G``, ``B``).
    smoothing : float
        ``s``, added to the goods and the bads of every bin.

    Returns
    -------
    woe, iv : ndarray
        Per bin; an empty bin has WoE 0 and IV 0.

    Examples
    --------
    >>> woe, iv = woe_iv([30, 10], [5, 15], 40, 20, smoothing=0.5)
    >>> [round(float(v), 3) for v in woe], round(float(iv.sum()), 3)
    ([1.02, -1.083], 1.052)
    """
    goods = np.asarray(goods, dtype=float)
    bads = np.asarray(bads, dtype=float)
    tg = max(float(total_goods), 1.0)
    tb = max(float(total_bads), 1.0)
    ok = (goods + bads) > 0
    if smoothing <= 0:
        ok &= (goods > 0) & (bads > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        woe = np.log(((goods + smoothing) / tg) / ((bads + smoothing) / tb))
    woe = np.where(ok, woe, 0.0)
    iv = np.where(ok, ((goods + smoothing) / tg - (bads + smoothing) / tb) * woe, 0.0)
    return woe, iv


def smoothed_bad_rate(goods: np.ndarray, bads: np.ndarray, smoothing: float) -> np.ndarray:
    """Smoothed bad rate ``(b + s) / (g + b + 2 s)``: monotone in -WoE, defined for pure bins.

    Parameters
    ----------
    goods, bads : numpy.ndarray
        Counts per bin.
    smoothing : float
        ``s``, added to both counts (negative is taken as 0).

    Returns
    -------
    numpy.ndarray
        One rate per bin; 0.5 for an empty bin without smoothing.

    Examples
    --------
    >>> smoothed_bad_rate(np.array([9.0, 0.0]), np.array([1.0, 0.0]), 0.0).tolist()
    [0.1, 0.5]
    """
    s = smoothing if smoothing > 0 else 0.0
    den = goods + bads + 2 * s
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, (bads + s) / den, 0.5)


def optimal_partition(
    goods: np.ndarray,
    bads: np.ndarray,
    *,
    total_goods: float,
    total_bads: float,
    trend: str | None = "ascending",
    max_n_bins: int | None = None,
    min_count: float = 0.0,
    smoothing: float = 0.5,
    min_bads: float = 0.0,
    min_goods: float = 0.0,
) -> tuple[np.ndarray, float]:
    """Partition of consecutive prebins that maximises IV under a trend constraint.

    Exact: a dynamic programme over (phase, number of bins, last bin) that
    looks at every predecessor of every bin, O(phases · bins · k³) numpy work
    for k prebins (k ≤ 50 keeps this to a few milliseconds).

    Parameters
    ----------
    goods, bads : array of length k
        Counts per prebin, in prebin order.
    total_goods, total_bads : float
        Totals of the whole sample (they fix the WoE of every bin).
    trend : {"ascending", "descending", "peak", "valley", None}
        Shape of the bad rate over the bins; strict between neighbours.
    max_n_bins : int or None
        Most bins allowed.
    min_count : float
        Fewest records a bin may hold (a single bin is always allowed).
    smoothing : float
        See :func:`woe_iv`.
    min_bads, min_goods : float
        Fewest bads and goods a bin may hold (a single bin is always allowed):
        a bin's WoE rests on its bads, and one with two of them is noise.

    Returns
    -------
    boundaries : ndarray of int
        Interior prebin boundaries: bin edges sit before these prebin indices.
    iv : float
        IV of the clean bins of the partition.

    Examples
    --------
    >>> cuts, iv = optimal_partition(np.array([40.0, 30, 20, 10]), np.array([5.0, 10, 15, 20]),
    ...                              total_goods=100, total_bads=50, max_n_bins=2)
    >>> cuts.tolist()
    [2]
    """
    goods = np.asarray(goods, dtype=float)
    bads = np.asarray(bads, dtype=float)
    k = len(goods)
    if k <= 1:
        iv = woe_iv(goods.sum(keepdims=True), bads.sum(keepdims=True),
                    total_goods, total_bads, smoothing)[1].sum()
        return np.empty(0, dtype=np.int64), float(iv)
    dirs = TRENDS[trend]
    n_phase = len(dirs)
    cg = np.concatenate([[0.0], np.cumsum(goods)])
    cb = np.concatenate([[0.0], np.cumsum(bads)])
    g = cg[None, :] - cg[:, None]  # g[i, j]: goods of prebins i..j-1
    b = cb[None, :] - cb[:, None]
    upper = np.triu(np.ones((k + 1, k + 1), dtype=bool), 1)
    feasible = upper & ((g + b) >= min_count - 1e-9)
    if min_bads > 0:
        feasible &= b >= min_bads - 1e-9
    if min_goods > 0:
        feasible &= g >= min_goods - 1e-9
    _, iv = woe_iv(np.where(upper, g, 0), np.where(upper, b, 0),
                   total_goods, total_bads, smoothing)
    risk = smoothed_bad_rate(g, b, smoothing)
    n_bins = k if max_n_bins is None else max(1, min(int(max_n_bins), k))
    if min_count > 0:
        n_bins = max(1, min(n_bins, int((cg[-1] + cb[-1]) // min_count)))
    if min_bads > 0:
        n_bins = max(1, min(n_bins, int(cb[-1] // min_bads)))
    if min_goods > 0:
        n_bins = max(1, min(n_bins, int(cg[-1] // min_goods)))

    neg = -np.inf
    dp = np.full((n_phase, n_bins, k + 1, k + 1), neg)
    back_h = np.zeros(dp.shape, dtype=np.int64)
    back_p = np.zeros(dp.shape, dtype=np.int64)
    dp[0, 0, 0, :] = np.where(feasible[0], iv[0], neg)
    for i in range(1, k):
        if n_bins == 1:
            break
        prev = dp[:, :-1, :i, i]  # (phase, m, h): best with last bin [h, i)
        diff = risk[i][None, :] - risk[:i, i][:, None]  # (h, j)
        for q, d in enumerate(dirs):
            if d > 0:
                ok = diff > _EPS
            elif d < 0:
                ok = diff < -_EPS
            else:
                ok = np.ones_like(diff, dtype=bool)
            if q > 0:
                from_prev = prev[q - 1] > prev[q]
                src = np.where(from_prev, prev[q - 1], prev[q])
            else:
                from_prev = np.zeros(prev[0].shape, dtype=bool)
                src = prev[0]
            cand = np.where(ok[None, :, :], src[:, :, None], neg)  # (m, h, j)
            h_best = cand.argmax(axis=1)  # (m, j)
            best = np.take_along_axis(cand, h_best[:, None, :], axis=1)[:, 0, :]
            val = np.where(feasible[i][None, :], best + iv[i][None, :], neg)
            dp[q, 1:, i, :] = val
            back_h[q, 1:, i, :] = h_best
            back_p[q, 1:, i, :] = np.where(
                np.take_along_axis(from_prev, h_best, axis=1), q - 1, q)

    final = dp[:, :, :, k]
    if not np.isfinite(final).any():
        iv_one = woe_iv(goods.sum(keepdims=True), bads.sum(keepdims=True),
                        total_goods, total_bads, smoothing)[1].sum()
        return np.empty(0, dtype=np.int64), float(iv_one)
    q, m, i = np.unravel_index(np.argmax(final), final.shape)
    best_iv = float(final[q, m, i])
    cuts = []
    j = k
    while m > 0:
        cuts.append(int(i))
        h = back_h[q, m, i, j]
        q = back_p[q, m, i, j]
        j, i, m = i, h, m - 1
    return np.array(sorted(cuts), dtype=np.int64), best_iv
