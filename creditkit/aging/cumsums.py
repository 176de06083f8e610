"""Cumulative-sum primitives of the ledger engine: pouring amounts in order.

Everything is int64 and exact: sums by index use ``np.bincount`` only when
every partial sum stays below 2**53, where float64 holds integers exactly,
and integer ``np.add.at`` otherwise.
"""

from __future__ import annotations

import numpy as np

_EXACT = 2**53


def sum_at(idx: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Integer sums of ``values`` by ``idx`` (0 ≤ idx < n), exact."""
    values = np.asarray(values, dtype=np.int64)
    if len(values) == 0:
        return np.zeros(n, dtype=np.int64)
    if int(np.abs(values).sum(dtype=np.int64)) < _EXACT and int(np.abs(values).max()) < _EXACT:
        return np.rint(np.bincount(idx, weights=values, minlength=n)).astype(np.int64)
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, idx, values)
    return out


def seg_sum(starts: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Sums of ``values`` over consecutive segments ``[starts[k], starts[k+1])``."""
    cs = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(values, out=cs[1:])
    return cs[starts[1:]] - cs[starts[:-1]]


def sorted_unique(a: np.ndarray) -> np.ndarray:
    """``np.unique`` for a concatenation of sorted runs: timsort merges runs in O(n)."""
    a = np.sort(a, kind="stable")
    if len(a) < 2:
        return a
    keep = np.empty(len(a), dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


def member(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``np.isin(a, b)`` for int64 keys by sorting the (smaller) set and bisecting."""
    u = np.unique(b) if len(b) < len(a) else sorted_unique(np.sort(b))
    if len(u) == 0:
        return np.zeros(len(a), dtype=bool)
    pos = np.minimum(np.searchsorted(u, a), len(u) - 1)
    return u[pos] == a


def overlap(
    sg: np.ndarray, sa: np.ndarray, kg: np.ndarray, ka: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pour sources into sinks in order, within groups.

    ``sg``/``kg`` are group codes (non-decreasing), ``sa``/``ka`` non-negative
    amounts. Within a group, source amounts laid end to end are matched with
    sink amounts laid end to end (interval overlap of cumulative sums).
    Returns (source index, sink index, amount) of each non-empty piece, one
    piece per (source, sink) pair at most.
    """
    empty = (np.zeros(0, np.int64),) * 3
    if len(sg) == 0 or len(kg) == 0:
        return empty
    groups = sorted_unique(np.concatenate([sg, kg]))
    si = np.searchsorted(groups, sg)
    ki = np.searchsorted(groups, kg)
    ng = len(groups)
    s_start = np.searchsorted(si, np.arange(ng + 1))
    k_start = np.searchsorted(ki, np.arange(ng + 1))
    scs = np.zeros(len(sa) + 1, np.int64)
    np.cumsum(sa, out=scs[1:])
    kcs = np.zeros(len(ka) + 1, np.int64)
    np.cumsum(ka, out=kcs[1:])
    ta = scs[s_start[1:]] - scs[s_start[:-1]]
    tb = kcs[k_start[1:]] - kcs[k_start[:-1]]
    cap = np.minimum(ta, tb)
    off = np.zeros(ng, np.int64)
    np.cumsum(np.maximum(ta, tb)[:-1], out=off[1:])
    lim = off + cap
    s_end = off[si] + scs[1:] - scs[s_start[si]]
    k_end = off[ki] + kcs[1:] - kcs[k_start[ki]]
    pts = sorted_unique(np.concatenate([off, np.minimum(s_end, lim[si]),
                                        np.minimum(k_end, lim[ki])]))
    lo, hi = pts[:-1], pts[1:]
    gl = np.searchsorted(off, lo, side="right") - 1
    ok = hi <= lim[gl]
    lo, hi = lo[ok], hi[ok]
    if len(lo) == 0:
        return empty
    return (
        np.searchsorted(s_end, lo, side="right"),
        np.searchsorted(k_end, lo, side="right"),
        hi - lo,
    )


def within(keys_sorted: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Exclusive running sum of ``values`` within runs of equal sorted keys."""
    first = np.r_[True, keys_sorted[1:] != keys_sorted[:-1]] if len(keys_sorted) else \
        np.zeros(0, bool)
    excl = np.cumsum(values) - values
    return excl - excl[np.flatnonzero(first)][np.cumsum(first) - 1]
