"""Matching on amount: pouring a payment into named bills, exact bills and combinations.

Everything works on numpy arrays (payments and bills by position) so the
orchestration in :mod:`creditkit.collections.reconcile` stays vectorised:

* :func:`pour` pays each payment's named bills oldest first; payments naming
  the same bills take turns by (paid_date, payment_id); a bill never takes more
  than its open amount (the excess stays with the payment: an overpayment).
* :func:`match_single` pairs payments with one open bill of exactly their
  amount: within a customer, currency and amount the k-th payment takes the
  k-th oldest bill (equal instalments are paid oldest first).
* :func:`match_combination` finds an exact combination of the customer's
  oldest open bills (a bounded search: at most ``max_size`` bills among the
  ``window`` oldest), preferring fewer bills, then the oldest.
* :func:`tolerance_minor` is the short payment a bill may take and still clear,
  the difference booked as its own ``tolerance_writeoff`` line.

Method scores (multiplied by the payer's score to give a confidence):
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from creditkit.aging.cumsums import overlap
from creditkit.collections.rules import ReconcileRules

__all__ = ["METHOD_SCORES", "match_combination", "match_single", "pour", "tolerance_minor"]

#: Score of each amount rule before the payer's score is applied.
METHOD_SCORES: dict[str, float] = {
    "amount_exact": 0.97,         # the only open bill of that amount, the only payment of it
    "amount_exact_oldest": 0.93,  # equal amounts: the k-th payment pays the k-th oldest bill
    "amount_combination": 0.93,   # the only combination of that amount in the window
    "amount_combination_oldest": 0.85,  # several combinations: the oldest is taken
    "reference_combination": 0.95,  # "… 等N笔": the named bill plus N-1 more of exactly the rest
    "tolerance": 0.92,            # one bill within tolerance of the payment
}
__doc__ += "\n" + "\n".join(f"- ``{k}``: {v}" for k, v in METHOD_SCORES.items()) + "\n"


def tolerance_minor(open_minor: np.ndarray, rules: ReconcileRules) -> np.ndarray:
    """Largest shortfall a bill may take: the smaller of the absolute and percent limits.

    Integer arithmetic (the percent is read in millionths), so no money passes a float.

    Examples
    --------
    >>> tolerance_minor(np.array([10_000, 1_000_000]), ReconcileRules()).tolist()
    [50, 100]
    """
    ppm = round(rules.tolerance_pct * 1_000_000)
    return np.minimum(np.asarray(open_minor, np.int64) * ppm // 1_000_000,
                      rules.tolerance_abs_minor)


def pour(
    rows: np.ndarray, bills: np.ndarray, cash: np.ndarray, p_order: np.ndarray,
    open_minor: np.ndarray, b_order: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pour each payment's cash into its named bills (pairs ``rows``, ``bills``).

    Payments naming the same set of bills form a group: within it payments in
    ``p_order`` fill bills in ``b_order``. A bill named by two different sets
    is capped at its open amount, earlier payments first.

    Returns
    -------
    (row, bill, amount) of every non-empty piece.

    Examples
    --------
    >>> r, b, a = pour(np.array([0, 0, 1]), np.array([0, 1, 1]), np.array([150, 80]),
    ...                np.array([0, 1]), np.array([100, 100]), np.array([0, 1]))
    >>> list(zip(r.tolist(), b.tolist(), a.tolist()))
    [(0, 0, 100), (0, 1, 50), (1, 1, 50)]
    """
    empty = (np.zeros(0, np.int64),) * 3
    if len(rows) == 0:
        return empty
    o = np.lexsort((b_order[bills], rows))
    rows, bills = rows[o], bills[o]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    counts = np.diff(np.r_[starts, len(rows)])
    b = bills.astype(np.int64)
    # a signature of each payment's bill set (count, min, max, sums): equal sets, equal group
    sig = np.stack([counts, b[starts], np.maximum.reduceat(b, starts),
                    np.add.reduceat(b, starts), np.add.reduceat(b * b % 1_000_003, starts)], 1)
    # groups numbered in the signatures' lexicographic order, ``first`` the earliest member
    # (what np.unique(axis=0) gives, by one lexsort of the columns instead of a sort of rows)
    so = np.lexsort(sig.T[::-1])
    s = sig[so]
    new_group = np.r_[True, (s[1:] != s[:-1]).any(axis=1)]
    first = so[new_group]
    group = np.empty(len(sig), np.int64)
    group[so] = np.cumsum(new_group) - 1
    prow = rows[starts]
    # sources: payments by (group, order); sinks: the bills of each group's first payment
    so = np.lexsort((p_order[prow], group))
    g_rep = starts[first]
    g_cnt = counts[first]
    k_group = np.repeat(np.arange(len(first)), g_cnt)
    k_bill = bills[np.repeat(g_rep, g_cnt) + np.arange(g_cnt.sum()) - np.repeat(
        np.cumsum(g_cnt) - g_cnt, g_cnt)]
    src, snk, amt = overlap(group[so], cash[prow[so]], k_group, open_minor[k_bill])
    if len(src) == 0:
        return empty
    row, bill = prow[so][src], k_bill[snk]
    # a bill in two different sets: cap by its open amount, earlier payments first
    o = np.lexsort((p_order[row], bill))
    row, bill, amt = row[o], bill[o], amt[o]
    cum = np.cumsum(amt)
    bstart = np.flatnonzero(np.r_[True, bill[1:] != bill[:-1]])
    before = cum - amt - np.repeat(cum[bstart] - amt[bstart], np.diff(np.r_[bstart, len(bill)]))
    amt = np.clip(open_minor[bill] - before, 0, amt)
    keep = amt > 0
    o = np.lexsort((b_order[bill[keep]], p_order[row[keep]]))
    return row[keep][o], bill[keep][o], amt[keep][o]


def match_single(
    rows: np.ndarray, key: np.ndarray, p_amount: np.ndarray, p_order: np.ndarray,
    bills: np.ndarray, b_key: np.ndarray, b_open: np.ndarray, b_order: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair payments with open bills of exactly their amount (same ``key``: customer+currency).

    Returns
    -------
    (row, bill, unique) where ``unique`` says the amount matched one payment and one bill.

    Examples
    --------
    >>> r, b, u = match_single(np.array([0, 1]), np.array([7, 7]), np.array([50, 50]),
    ...     np.array([0, 1]), np.array([0, 1, 2]), np.array([7, 7, 7]),
    ...     np.array([50, 50, 80]), np.array([1, 0, 2]))
    >>> r.tolist(), b.tolist(), u.tolist()
    ([0, 1], [1, 0], [False, False])
    """
    def ranked(k, amount, order):
        o = np.lexsort((order, amount, k))
        same = np.r_[False, (k[o][1:] == k[o][:-1]) & (amount[o][1:] == amount[o][:-1])]
        start = np.maximum.accumulate(np.where(~same, np.arange(len(o)), 0))
        rank = np.arange(len(o)) - start
        size = np.diff(np.r_[np.flatnonzero(~same), len(o)])[np.cumsum(~same) - 1]
        return o, rank, size

    po, prank, psize = ranked(key, p_amount[rows], p_order[rows])
    bo, brank, bsize = ranked(b_key, b_open[bills], b_order[bills])
    pk = np.stack([key[po], p_amount[rows][po], prank])
    bk = np.stack([b_key[bo], b_open[bills][bo], brank])
    # join on (key, amount, rank) through a sort of both sides
    both = np.concatenate([pk, bk], axis=1)
    _, code = np.unique(both, axis=1, return_inverse=True)
    code = code.ravel()
    pc, bc = code[:len(po)], code[len(po):]
    pos = np.full(int(code.max(initial=-1)) + 1, -1, np.int64)
    pos[bc] = np.arange(len(bc))
    hit = pos[pc]
    ok = hit >= 0
    unique = (psize[ok] == 1) & (bsize[hit[ok]] == 1)
    return rows[po[ok]], bills[bo[hit[ok]]], unique


def match_combination(
    cash: np.ndarray, window_open: np.ndarray, *, max_size: int, min_size: int = 2,
    exact_size: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """First exact combination of window bills per payment, and how many there are.

    ``window_open`` is (payments × window) open amounts, oldest first, 0 where
    there is no bill. Combinations run from ``min_size`` to ``max_size`` bills,
    fewer first, then oldest first. ``exact_size`` (per payment, 0 for any)
    asks for combinations of exactly that many bills.

    Returns
    -------
    (members, count): a (payments × window) bool matrix of the chosen bills
    (all False when none) and the number of exact combinations found.

    Examples
    --------
    >>> m, n = match_combination(np.array([30, 7]), np.array([[10, 20, 30], [1, 2, 3]]),
    ...                          max_size=3)
    >>> m.astype(int).tolist(), n.tolist()
    ([[1, 1, 0], [0, 0, 0]], [1, 0])
    """
    n, k = window_open.shape
    combos = [c for r in range(min_size, min(max_size, k) + 1) for c in combinations(range(k), r)]
    members = np.zeros((n, k), dtype=bool)
    count = np.zeros(n, dtype=np.int64)
    if not combos or n == 0:
        return members, count
    mask = np.zeros((len(combos), k), dtype=np.int64)
    for i, c in enumerate(combos):
        mask[i, list(c)] = 1
    sizes = mask.sum(axis=1)
    present = (window_open > 0).astype(np.int64)
    chunk = 20_000
    for lo in range(0, n, chunk):
        w = window_open[lo:lo + chunk]
        sums = w @ mask.T
        full = (present[lo:lo + chunk] @ mask.T) == sizes
        hit = full & (sums == cash[lo:lo + chunk, None])
        if exact_size is not None:
            want = exact_size[lo:lo + chunk, None]
            hit &= (want == 0) | (sizes[None, :] == want)
        count[lo:lo + chunk] = hit.sum(axis=1)
        first = hit.argmax(axis=1)
        any_hit = hit.any(axis=1)
        members[lo:lo + chunk] = (mask[first] > 0) & any_hit[:, None]
    return members, count
