"""Reconciliation (对账): payments from every channel matched to the bills they pay.

``reconcile`` runs, in order, each step taking only what the earlier ones left:

1. **Manual decisions** (:mod:`~creditkit.collections.manual`): confirmations
   are allocated first; rejections forbid a pair for every rule below.
2. **Payer** (:mod:`~creditkit.collections.payers`): customer id, payer
   account, id in the reference, exact or fuzzy payer name. A payment whose
   payer stays unknown takes the customer of the bill its reference names.
3. **Named bills**: the payment's ``bill_id`` / ``invoice_id`` (method
   ``explicit``) or bill and invoice numbers in its reference
   (:mod:`~creditkit.collections.references`: ``reference_match``, or
   ``reference_fuzzy`` for truncated or mistyped numbers, which the amount
   must confirm). Cash is poured into the named bills oldest first; a short
   payment within tolerance clears its bill and the difference is booked in
   ``.writeoffs``; an overpayment keeps its rest.
4. **Amounts** (:mod:`~creditkit.collections.amounts`): what is left of a
   payment with a known payer is matched to one open bill of exactly its
   amount, then to an exact combination of its oldest open bills (a reference
   "… 等N笔" asks for N bills), then to one bill within tolerance.
5. Everything not applied becomes an **exception** row with its reason and
   best candidates.

Steps 3 and 4 run in time order, :data:`WINDOW_DAYS` of payments at a time, so
a payment naming an invoice never takes the instalment an earlier payment
without a reference paid. Within one window: certain claims first (a bill named
by its own id, or an invoice of one bill), whatever their dates; then payments
without a reference dated before their customer's first claim on an invoice of
several instalments, by amount; then those claims (oldest open instalments
first); then amounts; then truncated or mistyped numbers.

Every allocation carries a confidence = payer score × rule score; only those
at or above ``auto_apply_level`` are applied, the others are offered as
candidates in ``.exceptions``. Only bills issued by ``as_of`` exist; a
payment dated after ``as_of`` is an exception (``after_as_of``). Currencies
never mix. Nothing is lost: per payment and per currency, applied +
exceptions = amount paid, to the minor unit (:meth:`Reconciliation.invariants`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from creditkit.aging import keys
from creditkit.aging.inputs import check_unique_ids, repeated_ids
from creditkit.checks import date_to_day
from creditkit.collections._steps import Book, amount_rounds, exceptions_frame
from creditkit.collections.manual import check_decisions
from creditkit.collections.payers import identify_payers
from creditkit.collections.references import LEVELS, match_references
from creditkit.collections.rules import ReconcileRules, load_rules
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.schema import validate

__all__ = ["REASONS", "WINDOW_DAYS", "Reconciliation", "reconcile", "reconciliation_parts"]

#: Payments are matched in time order, this many days of payments at a time.
WINDOW_DAYS = 31

#: Reason codes of ``Reconciliation.exceptions`` (labels in ``creditkit.labels``).
REASONS = ("after_as_of", "unknown_payer", "shared_name", "ambiguous_name",
           "ambiguous_reference", "manual_remainder", "low_confidence", "overpayment",
           "bill_already_paid", "currency_mismatch", "no_open_bill", "no_amount_match")


@dataclass(frozen=True)
class Reconciliation:
    """Result of :func:`reconcile`.

    Attributes
    ----------
    allocations : DataFrame
        The canonical ``allocations`` table (payment_id, bill_id, customer_id,
        amount_minor, method, confidence) plus ``currency``: cash applied, one
        row per (payment, bill).
    writeoffs : DataFrame
        Differences cleared by tolerance, one row per bill, same columns,
        ``method="tolerance_writeoff"``: not cash, booked explicitly.
    exceptions : DataFrame
        One row per payment with an amount not applied: ``payment_id``,
        ``customer_id`` (the payer if known), ``currency``, ``channel``,
        ``paid_date``, ``amount_minor`` (the part not applied), ``reason``,
        ``best_bill_id``, ``best_score``, ``candidates`` (bill ids with
        scores), ``payer_candidates``.
    by_payment : DataFrame
        Every payment: ``payment_id``, ``customer_id`` (identified),
        ``payer_method``, ``payer_score``, ``currency``, ``channel``,
        ``amount_minor``, ``applied_minor``, ``exception_minor``.
    summary : DataFrame
        Per currency and channel: payments, amount, applied, write-offs,
        exceptions and the share of the amount applied.
    stats : dict
        Candidate pairs compared by each blocked search (``reference_pairs``,
        ``name_pairs``, ``amount_pairs``).
    """

    allocations: pd.DataFrame
    writeoffs: pd.DataFrame
    exceptions: pd.DataFrame
    by_payment: pd.DataFrame
    summary: pd.DataFrame
    stats: dict = field(default_factory=dict)

    def invariants(self) -> pd.DataFrame:
        """The checks every reconciliation must pass, one row each: ``check``, ``ok``, ``detail``.

        Money is summed as Python integers (exact at any size).
        """
        bp, al, ex = self.by_payment, self.allocations, self.exceptions
        rows = []

        def total(frame: pd.DataFrame, by: str) -> dict:
            return {k: sum(int(v) for v in g["amount_minor"]) for k, g in frame.groupby(by)}

        paid, applied, left = total(bp, "currency"), total(al, "currency"), total(ex, "currency")
        bad = [c for c in paid if paid[c] != applied.get(c, 0) + left.get(c, 0)]
        rows.append(("applied + exceptions = paid, per currency", not bad, f"off in {bad}"))
        per = (bp["applied_minor"] + bp["exception_minor"] != bp["amount_minor"])
        rows.append(("applied + exception = amount, per payment", not per.any(),
                     f"{int(per.sum())} payment(s) off"))
        cap = al.groupby("payment_id")["amount_minor"].sum().reindex(bp["payment_id"]).fillna(0)
        over = cap.to_numpy() > bp["amount_minor"].to_numpy()
        rows.append(("no payment applied beyond its amount", not over.any(),
                     f"{int(over.sum())} payment(s) over"))
        conf = al["confidence"]
        rows.append(("confidence in [0, 1]", bool(conf.between(0, 1).all()), ""))
        dup = al.duplicated(["payment_id", "bill_id"]).any()
        rows.append(("one allocation per (payment, bill)", not dup, ""))
        rows.append(("every payment counted once", not bp["payment_id"].duplicated().any(), ""))
        return pd.DataFrame(rows, columns=["check", "ok", "detail"])


def _check_inputs(payments, bills, customers):
    validate(payments, "payments")
    validate(bills, "bills")
    missing = [c for c in ("customer_id", "name") if c not in customers.columns]
    if missing:
        raise SchemaError(f"customers is missing column(s) {missing}; reconciliation needs "
                          "customer_id and name")
    check_unique_ids(bills, payments)
    for frame, name in ((payments, "payments"), (bills, "bills")):
        amount = frame["amount_minor"]
        if amount.isna().any() or (amount.to_numpy() < 0).any():
            raise SchemaError(f"{name}.amount_minor has missing or negative amounts; clean them "
                              "first (creditkit.cleaning quarantines them)")


def reconcile(
    payments: pd.DataFrame,
    bills: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    as_of: object,
    rules: object = None,
    accounts: pd.DataFrame | None = None,
    decisions: pd.DataFrame | None = None,
) -> Reconciliation:
    """Match payments to the bills they pay; what cannot be matched surely becomes an exception.

    Parameters
    ----------
    payments, bills, customers : DataFrame
        Canonical tables (``creditkit.schema``); customers need
        ``customer_id`` and ``name``.
    as_of : date-like
        Bills issued after it do not exist; payments after it are exceptions.
    rules : path, mapping, ReconcileRules or None
        See :func:`creditkit.collections.load_rules` (None: shipped default).
    accounts : DataFrame, optional
        ``payer_account`` → ``customer_id`` (bank accounts, wallet ids).
    decisions : DataFrame, optional
        Analysts' decisions (:mod:`creditkit.collections.manual`).

    Returns
    -------
    Reconciliation

    Raises
    ------
    SchemaError
        Tables not in the canonical schema, repeated ids, negative amounts, bad decisions.
    ParameterError
        ``as_of`` not a date, bad rules.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.to_datetime
    >>> bills = pd.DataFrame({"bill_id": ["B1", "B2"], "invoice_id": ["INV-0001", "INV-0002"],
    ...     "customer_id": ["C1", "C1"], "issue_date": d(["2025-01-01", "2025-02-01"]),
    ...     "due_date": d(["2025-01-31", "2025-03-03"]), "amount_minor": [1000, 500],
    ...     "currency": ["CNY", "CNY"]})
    >>> pays = pd.DataFrame({"payment_id": ["P1", "P2"], "customer_id": [None, None],
    ...     "paid_date": d(["2025-02-20", "2025-02-21"]), "amount_minor": [500, 700],
    ...     "currency": ["CNY", "CNY"], "reference": ["货款 ｉｎｖ０００２", "转账"],
    ...     "payer_name": ["某某公司", "李四"]})
    >>> customers = pd.DataFrame({"customer_id": ["C1"], "name": ["某某有限公司"]})
    >>> rec = reconcile(pays, bills, customers, as_of="2025-03-31")
    >>> rec.allocations[["payment_id", "bill_id", "amount_minor", "method"]].values.tolist()
    [['P1', 'B2', 500, 'reference_match']]
    >>> rec.exceptions[["payment_id", "amount_minor", "reason"]].values.tolist()
    [['P2', 700, 'unknown_payer']]
    >>> bool(rec.invariants()["ok"].all())
    True
    """
    _check_inputs(payments, bills, customers)
    rules = load_rules(rules)
    day = date_to_day(as_of)
    P = payments.reset_index(drop=True)
    issue = bills["issue_date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    issued = issue <= day
    B = (bills if issued.all() else bills[issued]).reset_index(drop=True)
    payers, name_pairs = identify_payers(P, customers, accounts=accounts, rules=rules)
    bk = Book.build(P, B, payers, day)
    if decisions is not None:
        bk.apply_decisions(check_decisions(decisions, P, B))
    ref_pairs, cand = _named(bk, P, B, rules)
    amount_pairs = 0
    # in time order, a window at a time, so a later payment never takes the bill an earlier one
    # paid (steps 3 and 4 within each window)
    window = (bk.p_day - bk.p_day.min(initial=0)) // WINDOW_DAYS
    fuzzy = cand["method"].to_numpy() == "reference_fuzzy"
    for w in np.unique(window[bk.active]):
        in_w = window == w
        here = in_w[cand["row"].to_numpy(np.int64)]
        last = int(bk.p_day[in_w].max())
        # certain claims first, whatever the dates: a bill named by its own id, or the one bill
        # of a named invoice
        sure = cand[here & ~fuzzy]
        rows = sure["row"].to_numpy(np.int64)
        certain = (np.isin(rows, rows[sure["via"].to_numpy() == 0])
                   | (np.bincount(rows, minlength=len(in_w))[rows] == 1))
        bk.pour_named(sure[certain], rules)
        # an invoice of several instalments names them all: payments without a reference dated
        # before the customer's first such claim in the window take theirs by amount first
        inv = sure[~certain]
        if len(inv):
            early = _before_invoice_claims(bk, inv, in_w)
            if early.any():
                amount_pairs += amount_rounds(bk, P, rules, rows=early, issued_by=last)
            bk.pour_named(inv, rules)
        amount_pairs += amount_rounds(bk, P, rules, rows=in_w, issued_by=last)
        # a truncated or mistyped number is weaker than an exact amount: it comes after
        late = cand[here & fuzzy]
        late = late[bk.cash[late["row"].to_numpy(np.int64)] > 0]
        if len(late):
            bk.pour_named(_narrow_fuzzy(bk, late), rules)
            again = np.zeros(len(in_w), bool)
            again[late["row"].to_numpy(np.int64)] = True
            amount_pairs += amount_rounds(bk, P, rules, rows=again, issued_by=last)
    return _result(bk, P, B, payers, rules, {"reference_pairs": ref_pairs,
                                              "name_pairs": name_pairs,
                                              "amount_pairs": amount_pairs})


def _named(bk: Book, P: pd.DataFrame, B: pd.DataFrame,
           rules: ReconcileRules) -> tuple[int, pd.DataFrame]:
    """Step 3: candidate bills named by id columns or references (and pairs compared)."""
    parts = []
    if "bill_id" in P.columns:
        pos = keys.positions(keys.text(B["bill_id"]), keys.text(P["bill_id"]))
        if pos is None:
            raise repeated_ids("bills", "bill_id", B["bill_id"])
        ok = pos >= 0
        parts.append(pd.DataFrame({"row": np.flatnonzero(ok), "bill": pos[ok],
                                   "score": 1.0, "method": "explicit", "via": 0}))
    if "invoice_id" in P.columns:
        inv = pd.DataFrame({"invoice_id": P["invoice_id"].to_numpy(dtype=object),
                            "row": np.arange(len(P))}).dropna()
        # only the bills of invoices some payment names (a hash set, not a merge of every bill)
        b_inv = keys.text(B["invoice_id"])
        at = np.flatnonzero(np.asarray(pc.fill_null(pc.is_in(b_inv, value_set=keys.text(
            inv["invoice_id"]).combine_chunks()), False).to_numpy(), bool))
        m = inv.merge(pd.DataFrame({"invoice_id": B["invoice_id"].take(at).to_numpy(
            dtype=object), "bill": at}), on="invoice_id")
        parts.append(m[["row", "bill"]].assign(score=1.0, method="explicit", via=1))
    compared = 0
    if "reference" in P.columns:
        refs, compared = match_references(P["reference"], B, payer=bk.payer,
                                          bill_payer=bk.b_cust, max_block=rules.max_block)
        fuzzy = refs["level"].to_numpy() >= list(LEVELS).index("truncated")
        parts.append(refs[["row", "bill", "score", "via"]].assign(
            method=np.where(fuzzy, "reference_fuzzy", "reference_match")))
    cand = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        {"row": [], "bill": [], "score": [], "method": [], "via": []})
    row, bill = cand["row"].to_numpy(np.int64), cand["bill"].to_numpy(np.int64)
    keep = (bk.active[row] & (bk.p_cur[row] == bk.b_cur[bill]) & ~bk.rejected(row, bill)
            & ((bk.payer[row] < 0) | (bk.payer[row] == bk.b_cust[bill])))
    cand = cand[keep]
    # explicit beats reference at the same score: order by score, then method
    cand = cand.assign(rank=cand["method"].map({"explicit": 0, "reference_match": 1,
                                                "reference_fuzzy": 2}))
    best = cand.groupby("row")["rank"].transform("min")
    cand = cand[cand["rank"] == best].sort_values(["row", "bill", "via"]).drop_duplicates(
        ["row", "bill"])
    return compared, cand.reset_index(drop=True)


def _before_invoice_claims(bk: Book, inv: pd.DataFrame, in_w: np.ndarray) -> np.ndarray:
    """Payments of the window, naming nothing, dated before their customer's first claim on
    several instalments in it (all of them for a customer with no such claim)."""
    rows, bills = inv["row"].to_numpy(np.int64), inv["bill"].to_numpy(np.int64)
    first = np.full(len(bk.cust_ids) + 1, np.iinfo(np.int64).max)
    np.minimum.at(first, bk.b_cust[bills], bk.p_order[rows])
    claims = np.zeros(len(in_w), bool)
    claims[rows] = True
    known = bk.payer >= 0
    early = in_w & known & ~claims & (bk.cash > 0) & bk.active
    early[known] &= bk.p_order[known] < first[bk.payer[known]]
    return early


def _narrow_fuzzy(bk: Book, cand: pd.DataFrame) -> pd.DataFrame:
    """A fuzzy reference is kept when the amount picks exactly one of its candidates."""
    fz = cand["method"].to_numpy() == "reference_fuzzy"
    if not fz.any():
        return cand
    f = cand[fz]
    hit = bk.open[f["bill"].to_numpy()] == bk.cash[f["row"].to_numpy()]
    n_hit = pd.Series(hit).groupby(f["row"].to_numpy()).transform("sum").to_numpy()
    sure = f[hit & (n_hit == 1)].assign(score=0.95)
    unsure = f[n_hit != 1]
    return pd.concat([cand[~fz], sure, unsure], ignore_index=True)


def _result(bk: Book, P, B, payers, rules, stats) -> Reconciliation:
    al = bk.allocation_frame(P, B, cash=True)
    wo = bk.allocation_frame(P, B, cash=False)
    applied = P["amount_minor"].to_numpy(np.int64) - bk.cash
    channel = P["channel"] if "channel" in P.columns else pd.Series([None] * len(P))
    channel = channel.astype(object).where(channel.notna(), P.get("kind", pd.Series(
        ["payment"] * len(P))).astype(object))
    payer_id = payers["payer_id"].to_numpy(dtype=object).copy()
    payer_id[bk.payer >= 0] = bk.cust_ids[bk.payer[bk.payer >= 0]]
    by_payment = pd.DataFrame({
        "payment_id": P["payment_id"].to_numpy(), "customer_id": payer_id,
        "payer_method": bk.payer_method, "payer_score": bk.payer_score,
        "currency": P["currency"].to_numpy(), "channel": channel.to_numpy(),
        "amount_minor": P["amount_minor"].to_numpy(np.int64),
        "applied_minor": applied.astype(np.int64),
    })
    by_payment["exception_minor"] = by_payment["amount_minor"] - by_payment["applied_minor"]
    ex = exceptions_frame(bk, P, B, payers, by_payment)
    summary = _summary(by_payment, wo)
    order = np.lexsort((by_payment["payment_id"].to_numpy(),))
    return Reconciliation(al, wo, ex, by_payment.iloc[order].reset_index(drop=True), summary,
                          stats)


def _summary(bp: pd.DataFrame, wo: pd.DataFrame) -> pd.DataFrame:
    w = wo.merge(bp[["payment_id", "channel"]], on="payment_id").groupby(
        ["currency", "channel"])["amount_minor"].sum()
    g = bp.groupby(["currency", "channel"])
    out = pd.DataFrame({
        "n_payments": g.size(),
        "amount_minor": g["amount_minor"].sum(),
        "applied_minor": g["applied_minor"].sum(),
        "exception_minor": g["exception_minor"].sum(),
        "n_exceptions": g["exception_minor"].apply(lambda s: int((s > 0).sum())),
    })
    out["writeoff_minor"] = w.reindex(out.index).fillna(0).astype(np.int64)
    out["applied_share"] = (out["applied_minor"] / out["amount_minor"].where(
        out["amount_minor"] > 0)).astype(float)
    return out.reset_index()


def reconciliation_parts(reconciliation: object, *,
                         exception_columns: Sequence[str] = ("payment_id", "reason")
                         ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """``(allocations, exceptions, by_payment)`` of a reconciliation, checked.

    What reads a reconciliation (channel performance, its charts) takes a
    :class:`Reconciliation` or a mapping of its frames; this is the one place
    that tells them apart and checks the columns they read.

    Parameters
    ----------
    reconciliation : Reconciliation or mapping
        ``allocations`` and ``exceptions`` frames (``by_payment`` optional), as
        attributes or keys.
    exception_columns : sequence of str
        Columns the caller needs in ``exceptions``.

    Returns
    -------
    tuple
        The allocations, the exceptions and ``by_payment`` (``None`` when absent).

    Raises
    ------
    ParameterError
        Not a reconciliation.
    SchemaError
        A frame lacks a column the caller needs.

    Examples
    --------
    >>> r = {"allocations": pd.DataFrame({"payment_id": ["P1"], "amount_minor": [5]}),
    ...      "exceptions": pd.DataFrame({"payment_id": ["P2"], "reason": ["unknown_payer"]})}
    >>> al, ex, bp = reconciliation_parts(r)
    >>> len(al), len(ex), bp is None
    (1, 1, True)
    """
    def part(name: str) -> object:
        if isinstance(reconciliation, Mapping):
            return reconciliation.get(name)
        return getattr(reconciliation, name, None)

    al, ex, bp = part("allocations"), part("exceptions"), part("by_payment")
    if not isinstance(al, pd.DataFrame) or not isinstance(ex, pd.DataFrame):
        raise ParameterError("reconciliation must have .allocations and .exceptions frames (a "
                             "Reconciliation from creditkit.collections.reconcile, or a dict of "
                             "the two)")
    for name, frame, need in (("allocations", al, ["payment_id", "amount_minor"]),
                              ("exceptions", ex, list(exception_columns))):
        missing = [c for c in need if c not in frame.columns]
        if missing:
            raise SchemaError(f"reconciliation.{name} lacks {missing}; pass reconcile()'s result")
    return al, ex, bp if isinstance(bp, pd.DataFrame) else None
