"""The ledger engine behind allocation, aging and aging over time.

Everything here works on numpy arrays in one canonical order, sorted once:

* bills by (customer, currency, due_date, issue_date, bill_id);
* payments by (customer, currency, paid_date, payment_id).

Allocation rule (shared by every public function of ``creditkit.aging``):

1. Only bills issued on or before the date and payments dated on or before
   it exist. A payment on ``as_of`` counts.
2. A payment naming a ``bill_id`` of the same customer and currency pays that
   bill up to its open amount, payments to one bill taking turns by
   (paid_date, payment_id); the excess is unapplied. A payment naming a bill
   issued after the date waits for it: until then it is unapplied cash (step 4
   may use it), never paid to an invoice it also names, so one date and a
   history of dates agree. (A payment with no customer takes the named bill's
   customer, even when the bill is issued later.)
3. A payment naming only an ``invoice_id`` (or a bill that is not in the
   bills table for its customer and currency) pays that invoice's
   instalments oldest due first, after step 2.
4. ``mode="fifo"``: what is still unapplied pays the customer's open bills
   in the same currency by (due_date, issue_date, bill_id), payments taking
   turns by (paid_date, payment_id). FIFO is a statement about the date: a
   payment received before a later bill was issued does pay that bill (case
   E2 of the reference file). ``mode="explicit"`` stops after step 3.

Currencies never mix: a USD payment pays only USD bills. Amounts are int64
minor units throughout; sums by index use ``np.bincount`` only when every
partial sum stays below 2**53, where float64 holds integers exactly, and
integer ``np.add.at`` otherwise.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from creditkit.aging import keys
from creditkit.aging.cumsums import member, overlap, seg_sum, sum_at, within
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.schema import PAYMENT_KINDS, validate

MODES = ("fifo", "explicit")


def sort_order(keys: list[np.ndarray], tie: pd.Series | None, rows: np.ndarray) -> np.ndarray:
    """Permutation sorting by non-negative int ``keys`` (first is primary), ties by ``tie``.

    ``tie`` is the string column (full frame) and ``rows`` the frame positions of
    the elements, so the costly string sort only touches tied elements.
    """
    n = len(rows)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    bits = [max(int(k.max()), 1).bit_length() for k in keys]
    if sum(bits) <= 62:
        key = np.zeros(n, dtype=np.int64)
        for k, b in zip(keys, bits, strict=True):
            key = (key << b) | k
        order = np.argsort(key)
        ks = key[order]
        same = ks[1:] == ks[:-1]
    else:  # pragma: no cover - only for absurd date spans
        order = np.lexsort(keys[::-1])
        same = np.ones(n - 1, dtype=bool)
        for k in keys:
            same &= k[order][1:] == k[order][:-1]
        ks = np.cumsum(np.r_[0, ~same])
        ks = ks.astype(np.int64)
    if tie is not None and same.any():
        in_run = np.zeros(n, dtype=bool)
        in_run[1:] |= same
        in_run[:-1] |= same
        pos = np.flatnonzero(in_run)
        sub = pd.DataFrame({"k": ks[pos], "t": tie.take(rows[order[pos]]).to_numpy()})
        perm = sub.sort_values(["k", "t"], kind="stable").index.to_numpy()
        order[pos] = order[pos][perm]
    return order


# --- validation -----------------------------------------------------------------------------
def to_day(value: object, name: str = "as_of") -> int:
    """Days since 1970-01-01 of a date-like ``value``; ParameterError otherwise."""
    ok = isinstance(value, str | _dt.date | np.datetime64 | pd.Timestamp)
    ts = None
    if ok:
        try:
            ts = pd.Timestamp(value)
        except (TypeError, ValueError):
            ts = None
    if ts is None or ts is pd.NaT or pd.isna(ts):
        raise ParameterError(
            f"{name} must be a date, got {value!r} ({type(value).__name__}); "
            f"pass e.g. {name}='2025-06-30' or a pandas Timestamp"
        )
    if ts.tzinfo is not None:
        raise ParameterError(f"{name} must be timezone-naive, got {ts}; drop the timezone first")
    return int(np.datetime64(ts.normalize().to_datetime64(), "D").astype(np.int64))


def day_to_ts(day: int | np.ndarray) -> pd.Timestamp | np.ndarray:
    """Inverse of :func:`to_day` (also vectorised, giving datetime64[ns])."""
    if np.ndim(day) == 0:
        return pd.Timestamp(np.datetime64(int(day), "D"))
    return np.asarray(day, dtype="datetime64[D]").astype("datetime64[ns]")


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ParameterError(f"unknown allocation mode {mode!r}; expected one of {MODES}")
    return mode


def _days(s: pd.Series, where: str) -> np.ndarray:
    arr = s.to_numpy()
    unit, count = np.datetime_data(arr.dtype)
    ints = arr.view(np.int64)
    bad = ints == np.iinfo(np.int64).min  # NaT
    if bad.any():
        raise SchemaError(
            f"{where} has {int(bad.sum())} missing date(s); clean or drop those rows first"
        )
    per_day = int(np.timedelta64(1, "D") // np.timedelta64(count, unit))
    return ints // per_day if per_day != 1 else ints.copy()


def _money(s: pd.Series, where: str) -> np.ndarray:
    if s.isna().any():
        raise SchemaError(
            f"{where} has {int(s.isna().sum())} missing amount(s); clean them first "
            "(creditkit.cleaning quarantines them)"
        )
    arr = s.to_numpy(dtype=np.int64)
    if (arr < 0).any():
        raise SchemaError(
            f"{where} has {int((arr < 0).sum())} negative amount(s); amounts are positive minor "
            "units: record reversals as payments of kind 'credit_note' instead"
        )
    return arr


def check_frames(bills: pd.DataFrame, payments: pd.DataFrame) -> None:
    """Validate both tables against the canonical schema (raises SchemaError)."""
    validate(bills, "bills")
    validate(payments, "payments")
    if "kind" in payments.columns:
        kinds = set(pd.unique(payments["kind"].dropna()))
        unknown = sorted(map(str, kinds - set(PAYMENT_KINDS)))
        if unknown:
            raise SchemaError(
                f"unknown payment kind(s) {unknown} in payments.kind; expected {PAYMENT_KINDS}"
            )


def _opt(df: pd.DataFrame, col: str, rows: np.ndarray) -> pd.Series | None:
    if col not in df.columns:
        return None
    s = df[col].take(rows)
    return s if s.notna().any() else None


# --- the ledger ---------------------------------------------------------------------------------
@dataclass
class Ledger:
    """Bills and payments up to ``until`` in canonical order (see module doc)."""

    until: int
    customers: pd.Index
    currencies: pd.Index
    n_groups: int
    b_rows: np.ndarray  # positions in the input bills frame, canonical order
    b_grp: np.ndarray
    b_amt: np.ndarray
    b_due: np.ndarray
    b_issue: np.ndarray
    b_start: np.ndarray  # group boundaries in canonical bills (n_groups + 1)
    p_rows: np.ndarray
    p_grp: np.ndarray
    p_amt: np.ndarray
    p_date: np.ndarray
    p_kind: np.ndarray  # index into PAYMENT_KINDS
    p_start: np.ndarray
    e_pay: np.ndarray  # bill-named pieces: payment, bill (canonical indices), amount, effective day
    e_bill: np.ndarray
    e_amt: np.ndarray
    e_eff: np.ndarray
    i_pay: np.ndarray  # invoice-named payments (canonical idx), ordered by invoice key
    i_pkey: np.ndarray
    i_bill: np.ndarray  # their instalments (canonical idx), ordered by invoice key then bill order
    i_bkey: np.ndarray


def build_ledger(bills: pd.DataFrame, payments: pd.DataFrame, until: int) -> Ledger:
    """Validate, filter to ``until`` and sort once."""
    check_frames(bills, payments)
    b_issue_all = _days(bills["issue_date"], "bills.issue_date")
    b_rows = np.flatnonzero(b_issue_all <= until)
    p_date_all = _days(payments["paid_date"], "payments.paid_date")
    p_rows = np.flatnonzero(p_date_all <= until)
    b_amt = _money(bills["amount_minor"], "bills.amount_minor")[b_rows]
    p_amt = _money(payments["amount_minor"], "payments.amount_minor")[p_rows]
    b_due = _days(bills["due_date"], "bills.due_date")[b_rows]
    b_issue = b_issue_all[b_rows]
    p_date = p_date_all[p_rows]
    nb, npay = len(b_rows), len(p_rows)

    # customers and currencies, coded in sorted order so every output is canonical;
    # strings are coded on whole columns and only the int codes are subset
    p_cust_a = (keys.text(payments["customer_id"]) if "customer_id" in payments.columns
                else pa.chunked_array([pa.nulls(len(payments), pa.large_string())]))
    (b_cust_all, p_cust), customers = keys.codes_sorted(keys.text(bills["customer_id"]), p_cust_a)
    b_cust, p_cust = b_cust_all[b_rows], p_cust[p_rows]
    (b_cur_all, p_cur), currencies = keys.codes_sorted(
        keys.text(bills["currency"]), keys.text(payments["currency"]))
    b_cur, p_cur = b_cur_all[b_rows], p_cur[p_rows]
    ncur = max(len(currencies), 1)

    # payments naming a bill: look the bill up among all bills (bill_id is the key of
    # bills); a payment with no customer belongs to the named bill's customer even
    # before that bill is issued, so its money never changes hands over time
    p_bill = np.full(npay, -1, dtype=np.int64)
    named = payments["bill_id"] if "bill_id" in payments.columns else None
    if named is not None and len(bills) and named.notna().any():
        bid = keys.text(bills["bill_id"])
        found = keys.positions(bid, keys.text(named))
        if found is None:
            raise SchemaError("bills.bill_id must be unique and present; duplicated or "
                              f"missing: {keys.duplicated_values(bid)}")
        p_bill = found[p_rows]
    na_code = int(np.flatnonzero(customers.isna())[0]) if customers.hasnans else -2
    fill = (p_cust == na_code) & (p_bill >= 0)
    p_cust[fill] = b_cust_all[p_bill[fill]]
    # a payment naming a bill of its customer and currency is that bill's, issued or not
    # (so it never falls back to an invoice it also names: the same at every date)
    p_named = p_bill >= 0
    p_named[p_named] = ((b_cust_all[p_bill[p_named]] == p_cust[p_named])
                        & (b_cur_all[p_bill[p_named]] == p_cur[p_named]))
    in_ledger = np.full(len(bills), -1, dtype=np.int64)
    in_ledger[b_rows] = np.arange(nb)
    if len(bills):
        p_bill = np.where(p_named, in_ledger[np.maximum(p_bill, 0)], -1)

    n_groups = len(customers) * ncur
    b_grp = b_cust * ncur + b_cur
    p_grp = p_cust * ncur + p_cur

    bo = sort_order(
        [b_grp, b_due - (b_due.min() if nb else 0), b_issue - (b_issue.min() if nb else 0)],
        bills["bill_id"], b_rows)
    inv_pos = np.empty(nb, dtype=np.int64)
    inv_pos[bo] = np.arange(nb)
    p_id = payments["payment_id"]
    po = sort_order([p_grp, p_date - (p_date.min() if npay else 0)], p_id, p_rows)
    b_rows, b_grp, b_amt, b_due, b_issue = b_rows[bo], b_grp[bo], b_amt[bo], b_due[bo], b_issue[bo]
    p_rows, p_grp, p_amt, p_date = p_rows[po], p_grp[po], p_amt[po], p_date[po]
    p_bill, p_named = p_bill[po], p_named[po]
    p_bill[p_bill >= 0] = inv_pos[p_bill[p_bill >= 0]]
    if "kind" in payments.columns:
        p_kind = np.maximum(keys.lookup(keys.text(payments["kind"], p_rows),
                                         pa.chunked_array([pa.array(PAYMENT_KINDS,
                                                                    type=pa.large_string())])),
                            0).astype(np.int8)
    else:
        p_kind = np.zeros(npay, dtype=np.int8)
    groups = np.arange(n_groups + 1)
    b_start = np.searchsorted(b_grp, groups)
    p_start = np.searchsorted(p_grp, groups)

    # bill-named pieces, chronological within each bill
    e_src = np.flatnonzero(p_bill >= 0)
    e_src = e_src[np.argsort(p_bill[e_src], kind="stable")]
    e_pay, e_bill, e_amt = e_src, p_bill[e_src], p_amt[e_src]
    if len(e_pay):  # each payment names one bill: its share is the bill's rest before it
        first = np.r_[True, e_bill[1:] != e_bill[:-1]]
        excl = np.cumsum(e_amt) - e_amt
        before = excl - excl[np.flatnonzero(first)][np.cumsum(first) - 1]
        e_amt = np.clip(b_amt[e_bill] - before, 0, e_amt)
    e_eff = np.maximum(p_date[e_pay], b_issue[e_bill])

    # invoice-named payments (not already matched to a bill)
    i_pay = i_pkey = i_bill = i_bkey = np.zeros(0, dtype=np.int64)
    pinv = _opt(payments, "invoice_id", p_rows)
    if pinv is not None and nb:
        want = ~p_named & pinv.notna().to_numpy()
        if want.any():
            # only the invoices some payment names are coded: a small set to probe
            p_inv_a = keys.text(pinv[want])
            named_inv = pc.unique(p_inv_a).drop_null()
            b_inv = keys.lookup(keys.text(bills["invoice_id"]), named_inv)[b_rows]
            p_inv = keys.lookup(p_inv_a, named_inv)
            b_key = np.where(b_inv >= 0, b_inv * n_groups + b_grp, -1)
            pk = p_inv * n_groups + p_grp[want]
            cand = np.flatnonzero(want)
            in_b = member(pk, b_key[b_key >= 0])
            cand, pk = cand[in_b], pk[in_b]
            # canonical payment order is (group, paid_date, payment_id): chronological per invoice
            o = np.lexsort((cand, pk))
            i_pay, i_pkey = cand[o], pk[o]
            bsel = np.flatnonzero(b_key >= 0)
            bsel = bsel[member(b_key[bsel], i_pkey)]
            bsel = bsel[np.argsort(b_key[bsel], kind="stable")]
            i_bill, i_bkey = bsel, b_key[bsel]

    return Ledger(until, customers, currencies, n_groups, b_rows, b_grp, b_amt, b_due, b_issue,
                  b_start, p_rows, p_grp, p_amt, p_date, p_kind, p_start, e_pay, e_bill, e_amt,
                  e_eff, i_pay, i_pkey, i_bill, i_bkey)


@dataclass
class State:
    """Allocation state of a ledger at one date (canonical order)."""

    day: int
    b_exists: np.ndarray
    b_explicit: np.ndarray  # applied by explicit payments
    b_open: np.ndarray  # existing amount less explicit payments
    b_fifo: np.ndarray  # applied by FIFO
    p_exists: np.ndarray
    p_explicit: np.ndarray
    p_remaining: np.ndarray  # existing amount less explicit application
    p_fifo: np.ndarray
    inv_pieces: tuple[np.ndarray, np.ndarray, np.ndarray]

    @property
    def b_outstanding(self) -> np.ndarray:
        return self.b_open - self.b_fifo

    @property
    def p_unapplied(self) -> np.ndarray:
        return self.p_remaining - self.p_fifo


def _invoice_shares(led: Ledger, sa: np.ndarray, ka: np.ndarray, payments: bool):
    """Named-invoice cash poured into instalments by cumulative sums.

    Returns (amount each instalment of ``led.i_bill`` takes, amount each payment
    of ``led.i_pay`` gives, or None when ``payments`` is False).
    """
    s_first = np.flatnonzero(np.r_[True, led.i_pkey[1:] != led.i_pkey[:-1]])
    keys_ = led.i_pkey[s_first]
    total = np.add.reduceat(sa, s_first)
    pos = np.minimum(np.searchsorted(keys_, led.i_bkey), len(keys_) - 1)
    cash = np.where(keys_[pos] == led.i_bkey, total[pos], 0)
    take = np.clip(cash - within(led.i_bkey, ka), 0, ka)
    if not payments:
        return take, None
    b_first = np.flatnonzero(np.r_[True, led.i_bkey[1:] != led.i_bkey[:-1]])
    used = np.add.reduceat(take, b_first)
    bpos = np.minimum(np.searchsorted(led.i_bkey[b_first], led.i_pkey), len(b_first) - 1)
    got = np.where(led.i_bkey[b_first][bpos] == led.i_pkey, used[bpos], 0)
    return take, np.clip(got - within(led.i_pkey, sa), 0, sa)


def state_at(led: Ledger, day: int, mode: str, *, pieces: bool = False) -> State:
    """Apply explicit payments, then (``mode="fifo"``) FIFO, as of ``day``.

    ``pieces=True`` also lists the named-invoice (payment, bill, amount) pieces
    (for the allocations table); totals are the same either way.
    """
    nb, npay = len(led.b_rows), len(led.p_rows)
    b_exists = led.b_issue <= day
    p_exists = led.p_date <= day
    m = led.e_eff <= day
    b_explicit = sum_at(led.e_bill[m], led.e_amt[m], nb)
    p_explicit = np.zeros(npay, dtype=np.int64)
    p_explicit[led.e_pay[m]] = led.e_amt[m]
    inv = (np.zeros(0, np.int64),) * 3
    if len(led.i_pay):
        sa = np.where(p_exists[led.i_pay], led.p_amt[led.i_pay], 0)
        ka = np.where(b_exists[led.i_bill], led.b_amt[led.i_bill] - b_explicit[led.i_bill], 0)
        if pieces:
            src, snk, amt = overlap(led.i_pkey, sa, led.i_bkey, ka)
            inv = (led.i_pay[src], led.i_bill[snk], amt)
            b_explicit = b_explicit + sum_at(inv[1], amt, nb)
            p_explicit = p_explicit + sum_at(inv[0], amt, npay)
        else:
            take, give = _invoice_shares(led, sa, ka, payments=True)
            b_explicit = b_explicit + sum_at(led.i_bill, take, nb)
            p_explicit = p_explicit + sum_at(led.i_pay, give, npay)
    b_open = np.where(b_exists, led.b_amt, 0) - b_explicit
    p_rem = np.where(p_exists, led.p_amt, 0) - p_explicit
    if mode == "fifo" and nb and npay:
        cash = seg_sum(led.p_start, p_rem)
        b_fifo = _fifo_fill(led, cash, b_open)
        used = seg_sum(led.b_start, b_fifo)
        pcs = np.cumsum(p_rem)
        pexcl = pcs - p_rem
        pbefore = pexcl - pexcl[np.minimum(led.p_start[:-1], npay - 1)][led.p_grp]
        p_fifo = np.clip(used[led.p_grp] - pbefore, 0, p_rem)
    else:
        b_fifo = np.zeros(nb, dtype=np.int64)
        p_fifo = np.zeros(npay, dtype=np.int64)
    return State(day, b_exists, b_explicit, b_open, b_fifo, p_exists, p_explicit, p_rem, p_fifo,
                 inv)


def _fifo_fill(led: Ledger, cash: np.ndarray, b_open: np.ndarray) -> np.ndarray:
    """Cash per group poured into open bills in canonical order (cumulative sums)."""
    nb = len(b_open)
    cs = np.cumsum(b_open)
    excl = cs - b_open
    before = excl - excl[np.minimum(led.b_start[:-1], nb - 1)][led.b_grp]
    return np.clip(cash[led.b_grp] - before, 0, b_open)


def balances_at(led: Ledger, day: int, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """(outstanding per canonical bill, unapplied per group) as of ``day``, lean.

    Same rule as :func:`state_at` without tracking single payments: money
    never leaves its group, so a group's cash is what it received less what
    its bills took explicitly, and a named invoice's instalments take the
    invoice's cash by cumulative sums. Used at every date of a history.
    """
    nb = len(led.b_rows)
    b_exists = led.b_issue <= day
    m = led.e_eff <= day
    b_explicit = sum_at(led.e_bill[m], led.e_amt[m], nb)
    if len(led.i_pay):
        sa = np.where(led.p_date[led.i_pay] <= day, led.p_amt[led.i_pay], 0)
        ka = np.where(b_exists[led.i_bill], led.b_amt[led.i_bill] - b_explicit[led.i_bill], 0)
        take, _ = _invoice_shares(led, sa, ka, payments=False)
        b_explicit = b_explicit + sum_at(led.i_bill, take, nb)
    b_open = np.where(b_exists, led.b_amt, 0) - b_explicit
    received = seg_sum(led.p_start, np.where(led.p_date <= day, led.p_amt, 0))
    cash = received - seg_sum(led.b_start, b_explicit)
    if mode == "fifo" and nb:
        b_fifo = _fifo_fill(led, cash, b_open)
        return b_open - b_fifo, cash - seg_sum(led.b_start, b_fifo)
    return b_open, cash
