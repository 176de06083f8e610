"""The state a reconciliation run works on, and its amount and exception steps.

:class:`Book` holds one array per payment and per bill (cash left, open amount
left, customer and currency codes, order) and the pieces allocated so far; the
steps of :func:`creditkit.collections.reconcile` read and update it. Nothing
loops per payment: each step is a handful of vectorised passes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from creditkit.aging import keys
from creditkit.collections import amounts as A
from creditkit.collections.references import declared_count
from creditkit.collections.rules import ReconcileRules

__all__ = ["Book", "amount_rounds", "exceptions_frame"]


def _order(frame: pd.DataFrame, cols: list[str]) -> np.ndarray:
    """Rank of each row when sorted by ``cols`` (ids last, so ties are impossible).

    One Arrow multi-key sort: the id strings are compared only where the dates tie.
    """
    table = pa.table({c: pa.array(frame[c], from_pandas=True) for c in cols})
    o = pc.sort_indices(table, sort_keys=[(c, "ascending") for c in cols]).to_numpy()
    rank = np.empty(len(frame), np.int64)
    rank[o] = np.arange(len(frame))
    return rank


def _take(col: pd.Series, at: np.ndarray) -> np.ndarray:
    """Values of ``col`` at positions ``at`` as objects (only those converted, not the column)."""
    return col.take(np.asarray(at, np.int64)).to_numpy(dtype=object)


def _id_rank(ids: pd.Series, at: np.ndarray) -> np.ndarray:
    """Rank of ``ids[at]`` among the distinct ids at ``at``, in the ids' sort order (code
    points, as pandas sorts strings); equal ids, equal rank."""
    u, inv = np.unique(np.asarray(at, np.int64), return_inverse=True)
    if len(u) == 0:
        return np.zeros(0, np.int64)
    values = pa.array(ids.take(u), from_pandas=True)
    o = pc.sort_indices(values).to_numpy()
    rank = np.empty(len(u), np.int64)
    rank[o] = np.arange(len(u))
    return rank[inv.ravel()]


def _days(s: pd.Series) -> np.ndarray:
    return s.to_numpy().astype("datetime64[D]").astype(np.int64)


@dataclass
class Book:
    """Payments and bills as arrays, what is left of each, and the pieces booked."""

    p_cur: np.ndarray
    p_day: np.ndarray
    p_order: np.ndarray
    payer: np.ndarray
    payer_score: np.ndarray
    payer_method: np.ndarray
    cash: np.ndarray
    active: np.ndarray
    future: np.ndarray
    multi: np.ndarray
    b_cust: np.ndarray
    b_cur: np.ndarray
    b_issue: np.ndarray
    b_order: np.ndarray
    b_amount: np.ndarray
    open: np.ndarray
    cust_ids: np.ndarray
    n_cur: int
    manual: np.ndarray
    named: np.ndarray
    ambiguous_ref: np.ndarray
    by_key: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    by_key_key: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    rej: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    pieces: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)

    @classmethod
    def build(cls, P: pd.DataFrame, B: pd.DataFrame, payers: pd.DataFrame, day: int) -> Book:
        """The state before any step: every payment's cash, every bill's amount open."""
        n = len(P)
        # customer and currency codes by Arrow hashing (no Python object per bill)
        (b_cust, payer), cust = keys.codes_sorted(keys.text(B["customer_id"]),
                                                  keys.text(payers["payer_id"]))
        payer = np.where(payers["payer_id"].notna().to_numpy(), payer, -1)
        (p_cur, b_cur), curs = keys.codes_sorted(keys.text(P["currency"]),
                                                 keys.text(B["currency"]))
        p_day = _days(P["paid_date"])
        multi = np.zeros(n, np.int64)
        if "reference" in P.columns:
            multi = declared_count(P["reference"])
        future = p_day > day
        bk = cls(
            p_cur=p_cur, p_day=p_day,
            p_order=_order(P, ["paid_date", "payment_id"]), payer=payer.astype(np.int64),
            payer_score=payers["payer_score"].to_numpy(float).copy(),
            payer_method=payers["payer_method"].to_numpy(dtype=object).copy(),
            cash=P["amount_minor"].to_numpy(np.int64).copy(), active=~future, future=future,
            multi=multi, b_cust=b_cust, b_cur=b_cur, b_issue=_days(B["issue_date"]),
            b_order=_order(B, ["due_date", "issue_date", "bill_id"]),
            b_amount=B["amount_minor"].to_numpy(np.int64),
            open=B["amount_minor"].to_numpy(np.int64).copy(),
            cust_ids=cust.to_numpy(dtype=object), n_cur=max(len(curs), 1),
            manual=np.zeros(n, bool), named=np.zeros(n, bool), ambiguous_ref=np.zeros(n, bool))
        # the bills of each customer and currency, oldest first: each window's amount steps
        # look up their payers' bills here instead of scanning every bill
        b_key = bk.b_key()
        bk.by_key = np.argsort(b_key * len(b_key) + bk.b_order)  # one int64 sort, no ties
        bk.by_key_key = b_key[bk.by_key]
        return bk

    # --- lookups ---------------------------------------------------------------------------
    def b_key(self) -> np.ndarray:
        """Key of each bill: customer code × currencies + currency code."""
        return self.b_cust.astype(np.int64) * self.n_cur + self.b_cur

    def p_key(self, rows: np.ndarray) -> np.ndarray:
        """Key of each payment in ``rows`` (its payer and currency; negative when no payer)."""
        return np.where(self.payer[rows] >= 0, self.payer[rows] * self.n_cur + self.p_cur[rows],
                        -1)

    def bills_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row, bill) pairs: every bill of each row's payer and currency, rows in the given
        order, each row's bills oldest first."""
        rows = np.asarray(rows, np.int64)
        key = self.p_key(rows)
        lo = np.searchsorted(self.by_key_key, key, side="left")
        size = np.where(key >= 0, np.searchsorted(self.by_key_key, key, side="right") - lo, 0)
        start = np.cumsum(size) - size
        offset = np.arange(int(size.sum())) - np.repeat(start, size)
        return np.repeat(rows, size), self.by_key[np.repeat(lo, size) + offset]

    def open_bills(self, rows: np.ndarray, issued_by: int) -> np.ndarray:
        """Open bills issued by ``issued_by`` of the payers (and currencies) of ``rows``."""
        keys = np.unique(self.p_key(rows))
        keys = keys[keys >= 0]
        lo = np.searchsorted(self.by_key_key, keys, side="left")
        size = np.searchsorted(self.by_key_key, keys, side="right") - lo
        offset = np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size)
        bills = np.sort(self.by_key[np.repeat(lo, size) + offset])
        return bills[(self.open[bills] > 0) & (self.b_issue[bills] <= issued_by)]

    # --- bookkeeping --------------------------------------------------------------------
    def book(self, row, bill, amount, method, conf, cash: bool = True) -> None:
        """Record pieces and take them off the payments' cash and the bills' open amounts."""
        row, bill = np.asarray(row, np.int64), np.asarray(bill, np.int64)
        amount = np.asarray(amount, np.int64)
        if len(row) == 0:
            return
        self.pieces.append((row, bill, amount, np.broadcast_to(np.asarray(method, object),
                            row.shape).copy(), np.broadcast_to(np.asarray(conf, float),
                            row.shape).copy(), cash))
        if cash:
            np.subtract.at(self.cash, row, amount)
        np.subtract.at(self.open, bill, amount)

    def suggest(self, row, bill, score) -> None:
        """Remember candidates below the auto-apply level for the exceptions."""
        row = np.asarray(row, np.int64)
        if len(row):
            self.suggestions.append((row, np.asarray(bill, np.int64),
                                     np.broadcast_to(np.asarray(score, float), row.shape)))

    def rejected(self, row: np.ndarray, bill: np.ndarray) -> np.ndarray:
        """Pairs an analyst rejected."""
        if len(self.rej) == 0:
            return np.zeros(len(row), bool)
        return np.isin(row * len(self.open) + bill, self.rej)

    def apply_decisions(self, d: pd.DataFrame) -> None:
        """Manual confirmations first (method ``manual``); rejections kept for every rule."""
        rej = d[d["decision"] == "reject"]
        self.rej = np.unique(rej["row"].to_numpy(np.int64) * len(self.open)
                             + rej["bill"].to_numpy(np.int64))
        conf = d[(d["decision"] == "confirm") & ~self.future[d["row"].to_numpy()]]
        row, bill = conf["row"].to_numpy(np.int64), conf["bill"].to_numpy(np.int64)
        self.book(row, bill, conf["amount_minor"].to_numpy(np.int64), "manual", 1.0)
        unknown = row[self.payer[row] < 0]
        self.payer[unknown] = self.b_cust[bill[self.payer[row] < 0]]
        self.payer_method[unknown] = "manual"
        self.payer_score[unknown] = 1.0
        self.manual[row] = True
        self.active[row] = False

    def pieces_frame(self) -> pd.DataFrame:
        """All pieces booked so far (row, bill, amount, method, confidence, cash)."""
        if not self.pieces:
            return pd.DataFrame({"row": np.zeros(0, np.int64), "bill": np.zeros(0, np.int64),
                                 "amount": np.zeros(0, np.int64), "method": [],
                                 "confidence": np.zeros(0), "cash": np.zeros(0, bool)})
        cols = list(zip(*self.pieces, strict=True))
        return pd.DataFrame({"row": np.concatenate(cols[0]), "bill": np.concatenate(cols[1]),
                             "amount": np.concatenate(cols[2]),
                             "method": np.concatenate(cols[3]),
                             "confidence": np.concatenate(cols[4]),
                             "cash": np.concatenate([np.full(len(r), c) for r, c in
                                                     zip(cols[0], cols[5], strict=True)])})

    def allocation_frame(self, P: pd.DataFrame, B: pd.DataFrame, *, cash: bool) -> pd.DataFrame:
        """Cash pieces (``cash=True``) or write-off lines as a canonical allocations table.

        One row per (payment, bill), sorted by ``payment_id`` then ``bill_id``: pieces are
        grouped on integer ranks of the ids (only the ids the pieces name are sorted) and
        summed with ``np.add.reduceat``; method and currency are the first piece's.
        """
        f = self.pieces_frame()
        f = f[f["cash"] == cash]
        row, bill = f["row"].to_numpy(np.int64), f["bill"].to_numpy(np.int64)
        r_rank, b_rank = _id_rank(P["payment_id"], row), _id_rank(B["bill_id"], bill)
        o = np.lexsort((b_rank, r_rank))  # stable: a pair's pieces keep their booking order
        key_r, key_b = r_rank[o], b_rank[o]
        start = (np.flatnonzero(np.r_[True, (key_r[1:] != key_r[:-1]) | (key_b[1:] != key_b[:-1])])
                 if len(o) else np.zeros(0, np.int64))
        first = o[start]
        amount = f["amount"].to_numpy(np.int64)[o]
        conf = f["confidence"].to_numpy(float)[o]
        out = pd.DataFrame({
            "payment_id": _take(P["payment_id"], row[first]),
            "bill_id": _take(B["bill_id"], bill[first]),
            "customer_id": _take(B["customer_id"], bill[first]),
            "amount_minor": (np.add.reduceat(amount, start) if len(start)
                             else np.zeros(0, np.int64)).astype(np.int64),
            "method": f["method"].to_numpy(dtype=object)[first],
            "confidence": (np.minimum.reduceat(conf, start) if len(start)
                           else np.zeros(0, float)),
            "currency": _take(B["currency"], bill[first]),
        })
        return out

    def _exact_in_set(self, row, bill, among) -> np.ndarray:
        """Pairs where the bill is the only one of the payment's named set open at its amount."""
        hit = among & (self.open[bill] == self.cash[row])
        n_hit = np.bincount(row[hit], minlength=len(self.cash))
        return hit & (n_hit[row] == 1)

    # --- step 3: named bills -------------------------------------------------------------
    def pour_named(self, cand: pd.DataFrame, rules: ReconcileRules) -> int:
        """Pour payments into the bills they name; book tolerance write-offs.

        Per-row figures (the named customers, the lowest confidence, the first method) come
        from one stable sort of the candidates by row and ``ufunc.reduceat`` over its runs.
        """
        row, bill = cand["row"].to_numpy(np.int64), cand["bill"].to_numpy(np.int64)
        score, method = cand["score"].to_numpy(float), cand["method"].to_numpy(dtype=object)
        via = cand["via"].to_numpy()
        self.named[row] = True
        # unknown payer: the named bills' customer, if only one
        unknown = self.payer[row] < 0
        if unknown.any():
            u_row, u_bill = row[unknown], bill[unknown]
            urows, start, o = _runs(u_row)
            cust = self.b_cust[u_bill][o]
            one = np.minimum.reduceat(cust, start) == np.maximum.reduceat(cust, start)
            sure_rows = urows[one]
            total = np.add.reduceat(self.open[u_bill][o], start)[one]
            self.payer[sure_rows] = cust[start][one]
            self.payer_method[sure_rows] = "bill_reference"
            self.payer_score[sure_rows] = np.where(self.cash[sure_rows] == total, 0.97, 0.85)
            self.ambiguous_ref[urows[~one]] = True
        conf = self.payer_score[row] * score * (self.payer[row] >= 0)
        go = conf >= rules.auto_apply_level
        self.suggest(row[~go], bill[~go], conf[~go])
        row, bill, conf, method, via = row[go], bill[go], conf[go], method[go], via[go]
        # per row: the lowest confidence and the first method (in the candidates' order)
        urows, start, o = _runs(row)
        r_conf = np.minimum.reduceat(conf[o], start) if len(o) else np.zeros(0)
        r_meth = method[o][start]

        def per_row(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
            return values[np.searchsorted(urows, rows)]

        # as the ledger: bills named by their own id first, then invoices, then once more for
        # cash a shared bill turned away
        pieces = []
        for stage in (via == 0, self._exact_in_set(row, bill, via == 1), via == 1,
                      np.ones(len(row), bool)):
            if not stage.any():
                continue
            pr, pb, pa = A.pour(row[stage], bill[stage], self.cash, self.p_order, self.open,
                                self.b_order)
            self.book(pr, pb, pa, per_row(r_meth, pr), per_row(r_conf, pr))
            pieces.append((pr, pb))
        if not pieces:
            return 0
        pr = np.concatenate([p[0] for p in pieces])
        pb = np.concatenate([p[1] for p in pieces])
        # a short payment within tolerance clears the bill: the difference is its own line
        if len(pb):
            # the last payment (by p_order) to pour into each bill
            po = self.p_order[pr]
            o = np.lexsort((po, pb))
            last = np.r_[pb[o][1:] != pb[o][:-1], True]
            sel = o[last]
            sel = sel[np.argsort(po[sel], kind="stable")]
            lr, lb = pr[sel], pb[sel]
            ok = ((self.open[lb] > 0) & (self.open[lb] <= A.tolerance_minor(self.b_amount[lb],
                                                                            rules))
                  & (self.cash[lr] == 0))
            self.book(lr[ok], lb[ok], self.open[lb[ok]], "tolerance_writeoff",
                      per_row(r_conf, lr[ok]), cash=False)
        return 0


def _runs(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(distinct rows ascending, start of each row's run, the stable order sorting by row)."""
    o = np.argsort(rows, kind="stable")
    r = rows[o]
    start = np.flatnonzero(np.r_[True, r[1:] != r[:-1]]) if len(r) else np.zeros(0, np.int64)
    return r[start], start, o


def _accept(bk: Book, row, bill, amount, wo, method, conf, rules) -> np.ndarray:
    """Book proposals whose row wins every bill it asks for (earliest payment first)."""
    row, bill = np.asarray(row, np.int64), np.asarray(bill, np.int64)
    o = np.lexsort((bk.p_order[row], bill))
    first = np.r_[True, bill[o][1:] != bill[o][:-1]] if len(o) else np.zeros(0, bool)
    winner = row[o][first][np.cumsum(first) - 1]
    lost = np.unique(row[o][row[o] != winner])
    ok = ~np.isin(row, lost) & (conf >= rules.auto_apply_level)
    low = ~np.isin(row, lost) & ~ok
    bk.suggest(row[low], bill[low], conf[low])
    bk.book(row[ok], bill[ok], amount[ok], method[ok], conf[ok])
    w = ok & (wo > 0)
    bk.book(row[w], bill[w], wo[w], "tolerance_writeoff", conf[w], cash=False)
    return lost


def amount_rounds(bk: Book, P: pd.DataFrame, rules: ReconcileRules, *, rows: np.ndarray,
                  issued_by: int, rounds: int = 2) -> int:
    """Step 4: exact single bill, exact combination, then tolerance; returns pairs compared.

    Only payments in ``rows`` and bills issued by ``issued_by`` take part.
    """
    compared = 0
    k = rules.combination_window
    in_rows = rows
    lost_any = False
    for round_ in range(rounds):
        if round_ and not lost_any:
            break
        lost_any = False
        todo = np.flatnonzero(in_rows & bk.active & (bk.payer >= 0) & (bk.cash > 0))
        # only the bills of this window's payers take part (the same pairs as all bills)
        bills = bk.open_bills(todo, issued_by)
        if len(todo) == 0 or len(bills) == 0:
            break
        # exact single bill
        r, b, unique = A.match_single(todo, bk.p_key(todo), bk.cash, bk.p_order, bills,
                                      bk.b_cust[bills] * bk.n_cur + bk.b_cur[bills], bk.open,
                                      bk.b_order)
        ok = (bk.b_issue[b] <= bk.p_day[r]) & ~bk.rejected(r, b)
        r, b, unique = r[ok], b[ok], unique[ok]
        named_rest = (bk.multi[r] == 2) & bk.named[r]
        meth = np.where(named_rest, "reference_combination",
                        np.where(unique, "amount_exact", "amount_exact_oldest"))
        conf = bk.payer_score[r] * np.array([A.METHOD_SCORES[m] for m in meth])
        lost_any |= len(_accept(bk, r, b, bk.cash[r].copy(), np.zeros(len(r), np.int64), meth,
                                conf, rules)) > 0
        # windows of the oldest open bills for combinations and tolerance
        todo = np.flatnonzero(in_rows & bk.active & (bk.payer >= 0) & (bk.cash > 0))
        pr, pb = bk.bills_of(todo)
        keep = (bk.open[pb] > 0) & (bk.b_issue[pb] <= issued_by)
        pr, pb = pr[keep], pb[keep]
        compared += len(pr)
        keep = (bk.b_issue[pb] <= bk.p_day[pr]) & ~bk.rejected(pr, pb)
        pr, pb = pr[keep], pb[keep]
        o = np.lexsort((bk.b_order[pb], pr))
        pr, pb = pr[o], pb[o]
        start = np.r_[True, pr[1:] != pr[:-1]]
        rank = np.arange(len(pr)) - np.maximum.accumulate(np.where(start, np.arange(len(pr)), 0))
        w = rank < k
        rows, inv = np.unique(pr[w], return_inverse=True)
        if len(rows) == 0:
            continue
        wb = np.full((len(rows), k), -1, np.int64)
        wb[inv, rank[w]] = pb[w]
        wo_ = np.where(wb >= 0, bk.open[np.maximum(wb, 0)], 0)
        exact = np.where(bk.named[rows] & (bk.multi[rows] > 2), bk.multi[rows] - 1, 0)
        size = max(rules.max_combination_bills, int(min(exact.max(initial=0), 4)))
        members, count = A.match_combination(bk.cash[rows], wo_, max_size=size,
                                             exact_size=exact)
        meth = np.where(count == 1, np.where(exact > 0, "reference_combination",
                                             "amount_combination"), "amount_combination_oldest")
        has = count > 0
        # tolerance: one bill a little larger than the payment
        diff = wo_ - bk.cash[rows][:, None]
        tol = (wb >= 0) & (diff > 0) & (diff <= A.tolerance_minor(wo_, rules))
        tol_first = np.where(tol.any(axis=1) & ~has, tol.argmax(axis=1), -1)
        ci, cj = np.nonzero(members & has[:, None])
        ti = np.flatnonzero(tol_first >= 0)
        row = np.r_[rows[ci], rows[ti]]
        bill = np.r_[wb[ci, cj], wb[ti, tol_first[ti]]]
        amount = np.r_[wo_[ci, cj], bk.cash[rows[ti]]]
        wo = np.r_[np.zeros(len(ci), np.int64), diff[ti, tol_first[ti]]]
        method = np.r_[meth[ci], np.full(len(ti), "tolerance", dtype=object)].astype(object)
        method[len(ci):] = "tolerance"
        score = np.array([A.METHOD_SCORES[m] for m in method])
        conf = bk.payer_score[row] * score
        method = np.where(method == "tolerance", "amount_tolerance", method)
        lost_any |= len(_accept(bk, row, bill, amount, wo, method, conf, rules)) > 0
    return compared


def _top3(bk: Book, B: pd.DataFrame, parts: list, rows: np.ndarray) -> pd.DataFrame:
    """Best three candidates of each of ``rows`` (in that order): ``bill`` and ``score`` of the
    best (-1 and NaN when none), ``text`` listing the three (None when none)."""
    parts = [p for p in parts if len(p[0])]
    out = pd.DataFrame({"bill": np.full(len(rows), -1, np.int64),
                        "score": np.full(len(rows), np.nan),
                        "text": np.full(len(rows), None, dtype=object)})
    if not parts:
        return out
    cols = list(zip(*parts, strict=True))
    s = pd.DataFrame({"row": np.concatenate(cols[0]), "bill": np.concatenate(cols[1]),
                      "score": np.concatenate(cols[2])})
    s = s[np.isin(s["row"].to_numpy(), rows)]
    s = s.assign(o=bk.b_order[s["bill"].to_numpy()]).sort_values(
        ["row", "score", "o"], ascending=[True, False, True])
    s = s.drop_duplicates(["row", "bill"])
    s = s[s.groupby("row").cumcount() < 3]
    if s.empty:
        return out
    s["text"] = (_take(B["bill_id"], s["bill"].to_numpy()).astype(str)
                 + " (" + s["score"].round(2).astype(str) + ")")
    g = s.groupby("row", sort=True).agg(bill=("bill", "first"), score=("score", "first"),
                                         text=("text", ", ".join))
    at = np.searchsorted(g.index.to_numpy(), rows)
    at = np.minimum(at, len(g) - 1)
    has = g.index.to_numpy()[at] == rows
    out.loc[has, "bill"] = g["bill"].to_numpy()[at[has]]
    out.loc[has, "score"] = g["score"].to_numpy(float)[at[has]]
    out.loc[has, "text"] = g["text"].to_numpy(dtype=object)[at[has]]
    return out


def _partial_candidates(bk: Book, rows: np.ndarray):
    """The payer's open bills as partial-payment candidates: score payer × 0.6 × amount ratio."""
    rows = rows[bk.active[rows] & (bk.payer[rows] >= 0)]
    r, b = bk.bills_of(rows)
    ok = (bk.open[b] > 0) & (bk.b_issue[b] <= bk.p_day[r])
    r, b = r[ok], b[ok]
    cash, open_ = bk.cash[r].astype(float), bk.open[b].astype(float)
    score = bk.payer_score[r] * 0.6 * np.minimum(cash, open_) / np.maximum(cash, open_)
    return r, b, score


def exceptions_frame(bk: Book, P: pd.DataFrame, B: pd.DataFrame, payers: pd.DataFrame,
                     by_payment: pd.DataFrame) -> pd.DataFrame:
    """One row per payment with cash left: why, and the best candidates (vectorised: the
    first condition that holds, in the order of :data:`creditkit.collections.REASONS`'s
    checks, gives the reason)."""
    rows = np.flatnonzero(bk.cash > 0)
    applied = bk.cash[rows] != P["amount_minor"].to_numpy(np.int64)[rows]
    # open bills per customer (any currency) and per customer and currency
    is_open = bk.open > 0
    any_cur = np.bincount(bk.b_cust[is_open], minlength=len(bk.cust_ids) + 1) > 0
    same_cur = np.bincount(bk.b_key()[is_open],
                           minlength=(len(bk.cust_ids) + 1) * bk.n_cur) > 0
    sug = _top3(bk, B, bk.suggestions, rows)
    has_sug = sug["bill"].to_numpy() >= 0
    payer = bk.payer[rows]
    known = np.maximum(payer, 0)
    issue = payers["payer_issue"].to_numpy(dtype=object)[rows]
    no_payer = np.array([i or "unknown_payer" for i in issue], dtype=object)
    reasons = np.select(
        [bk.future[rows], bk.manual[rows], payer < 0, has_sug, bk.named[rows],
         ~same_cur[known * bk.n_cur + bk.p_cur[rows]]],
        [np.full(len(rows), "after_as_of", object), np.full(len(rows), "manual_remainder", object),
         np.where(bk.ambiguous_ref[rows], "ambiguous_reference", no_payer).astype(object),
         np.full(len(rows), "low_confidence", object),
         np.where(applied, "overpayment", "bill_already_paid").astype(object),
         np.where(any_cur[known], "currency_mismatch", "no_open_bill").astype(object)],
        default="no_amount_match")
    # a payment matching no amount is shown its payer's open bills as partial payments
    partial = _top3(bk, B, [_partial_candidates(bk, rows)], rows)
    use = ~has_sug & (reasons == "no_amount_match")
    g = {c: np.where(use, partial[c].to_numpy(), sug[c].to_numpy()) for c in sug.columns}
    has = g["bill"] >= 0
    best = np.full(len(rows), None, dtype=object)
    best[has] = _take(B["bill_id"], g["bill"][has])
    best_score = np.where(has, g["score"].astype(float), np.nan)
    text = np.where(has, g["text"], None)
    reasons, best, text = reasons.tolist(), best.tolist(), text.tolist()
    bp = by_payment.iloc[rows]
    out = pd.DataFrame({
        "payment_id": bp["payment_id"].to_numpy(), "customer_id": bp["customer_id"].to_numpy(),
        "currency": bp["currency"].to_numpy(), "channel": bp["channel"].to_numpy(),
        "paid_date": P["paid_date"].to_numpy()[rows],
        "amount_minor": bk.cash[rows].astype(np.int64), "reason": reasons,
        "best_bill_id": best, "best_score": best_score, "candidates": text,
        "payer_candidates": payers["payer_candidates"].to_numpy(dtype=object)[rows],
    })
    return out.sort_values("payment_id").reset_index(drop=True)
