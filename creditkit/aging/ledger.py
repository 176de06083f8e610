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
   payment received before a later bill was issued does pay that bill (a
   credit balance pays the next bill). ``mode="explicit"`` stops after step 3.

Currencies never mix: a USD payment pays only USD bills. Amounts are int64
minor units throughout; sums by index use ``np.bincount`` only when every
partial sum stays below 2**53, where float64 holds integers exactly, and
integer ``np.add.at`` otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from creditkit.aging import keys
from creditkit.aging.cumsums import member, overlap, seg_sum, sum_at, within
from creditkit.aging.inputs import check_totals, check_unique_ids, repeated_ids
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.schema import PAYMENT_KINDS, validate

MODES = ("fifo", "explicit")


# --- validation -----------------------------------------------------------------------------
def day_to_ts(day: int | np.ndarray) -> pd.Timestamp | np.ndarray:
    """Inverse of :func:`creditkit.checks.date_to_day` (also vectorised, giving datetime64[ns])."""
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
    """Validate both tables against the canonical schema, ids unique (raises SchemaError)."""
    validate(bills, "bills")
    validate(payments, "payments")
    check_unique_ids(bills, payments)
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
@dataclass(frozen=True, kw_only=True)
class BillArrays:
    """The bills issued by ``until``, one entry per bill, in canonical order."""

    rows: np.ndarray  # position of each bill in the input bills frame
    group: np.ndarray  # ledger group (customer × currency) of each bill
    amount: np.ndarray  # amount_minor
    due_day: np.ndarray  # due_date, days since 1970-01-01
    issue_day: np.ndarray  # issue_date, days since 1970-01-01
    group_start: np.ndarray  # index of each group's first bill (n_groups + 1 boundaries)


@dataclass(frozen=True, kw_only=True)
class PaymentArrays:
    """The payments dated by ``until``, one entry per payment, in canonical order."""

    rows: np.ndarray  # position of each payment in the input payments frame
    group: np.ndarray  # ledger group (customer × currency) of each payment
    amount: np.ndarray  # amount_minor
    paid_day: np.ndarray  # paid_date, days since 1970-01-01
    kind: np.ndarray  # index into schema.PAYMENT_KINDS
    group_start: np.ndarray  # index of each group's first payment (n_groups + 1 boundaries)


@dataclass(frozen=True, kw_only=True)
class BillRefs:
    """Payments naming a bill (step 2 of the rule): one piece per payment, by bill then time."""

    payment: np.ndarray  # the paying payment (canonical index)
    bill: np.ndarray  # the named bill (canonical index)
    amount: np.ndarray  # what the payment gives the bill (its share of the bill's rest)
    effective_day: np.ndarray  # the later of paid day and the bill's issue day


@dataclass(frozen=True, kw_only=True)
class InvoiceRefs:
    """Payments naming only an invoice (step 3) and the instalments they pay.

    ``payment_key`` and ``bill_key`` code (invoice, group); payments are in
    canonical order within a key, instalments in canonical bill order.
    """

    payment: np.ndarray  # the invoice-naming payments (canonical index), by key
    payment_key: np.ndarray
    bill: np.ndarray  # the named invoices' instalments (canonical index), by key
    bill_key: np.ndarray


@dataclass(frozen=True, kw_only=True)
class Ledger:
    """Bills and payments up to ``until`` in canonical order (see module doc)."""

    until: int
    customers: pd.Index  # customer ids, sorted; group // n_currencies indexes it
    currencies: pd.Index  # currency codes, sorted; group % n_currencies indexes it
    n_groups: int
    bills: BillArrays
    payments: PaymentArrays
    bill_refs: BillRefs
    invoice_refs: InvoiceRefs


def _window(bills: pd.DataFrame, payments: pd.DataFrame, until: int):
    """Frame positions of the bills issued and the payments dated by ``until``.

    Also the whole-column day and amount arrays, checked in the order a user
    fixes them (dates, then amounts).
    """
    b_issue = _days(bills["issue_date"], "bills.issue_date")
    p_date = _days(payments["paid_date"], "payments.paid_date")
    b_amt = _money(bills["amount_minor"], "bills.amount_minor")
    p_amt = _money(payments["amount_minor"], "payments.amount_minor")
    b_due = _days(bills["due_date"], "bills.due_date")
    return np.flatnonzero(b_issue <= until), np.flatnonzero(p_date <= until), {
        "b_issue": b_issue, "p_date": p_date, "b_amt": b_amt, "p_amt": p_amt, "b_due": b_due}


def _group_codes(bills: pd.DataFrame, payments: pd.DataFrame):
    """Customer and currency codes of every bill and payment, in sorted order of the values.

    Strings are coded on whole columns; callers subset the int codes only.
    """
    p_cust_a = (keys.text(payments["customer_id"]) if "customer_id" in payments.columns
                else pa.chunked_array([pa.nulls(len(payments), pa.large_string())]))
    (b_cust, p_cust), customers = keys.codes_sorted(keys.text(bills["customer_id"]), p_cust_a)
    (b_cur, p_cur), currencies = keys.codes_sorted(
        keys.text(bills["currency"]), keys.text(payments["currency"]))
    return b_cust, p_cust, customers, b_cur, p_cur, currencies


def _named_bill(bills: pd.DataFrame, payments: pd.DataFrame) -> np.ndarray:
    """Per payment (all rows), the bills-frame position of the bill it names, or −1."""
    named = payments["bill_id"] if "bill_id" in payments.columns else None
    if named is None or not len(bills) or not named.notna().any():
        return np.full(len(payments), -1, dtype=np.int64)
    bid = keys.text(bills["bill_id"])
    found = keys.positions(bid, keys.text(named))
    if found is None and not bid.null_count:
        raise repeated_ids("bills", "bill_id", bills["bill_id"])
    if found is None:
        raise SchemaError("bills.bill_id must be unique and present; duplicated or "
                          f"missing: {keys.duplicated_values(bid)}")
    return found


def _payment_kinds(payments: pd.DataFrame, p_rows: np.ndarray) -> np.ndarray:
    """Index into ``PAYMENT_KINDS`` of each payment (``payment`` when no kind column)."""
    if "kind" not in payments.columns:
        return np.zeros(len(p_rows), dtype=np.int8)
    table = pa.chunked_array([pa.array(PAYMENT_KINDS, type=pa.large_string())])
    return np.maximum(keys.lookup(keys.text(payments["kind"], p_rows), table), 0).astype(np.int8)


def _bill_refs(bills: BillArrays, pays: PaymentArrays, p_bill: np.ndarray) -> BillRefs:
    """Pieces of the payments naming a bill, chronological within each bill.

    Each payment names one bill; its share is what the bill has left before it.
    """
    src = np.flatnonzero(p_bill >= 0)
    src = src[np.argsort(p_bill[src], kind="stable")]
    bill, amount = p_bill[src], pays.amount[src]
    if len(src):
        first = np.r_[True, bill[1:] != bill[:-1]]
        excl = np.cumsum(amount) - amount
        before = excl - excl[np.flatnonzero(first)][np.cumsum(first) - 1]
        amount = np.clip(bills.amount[bill] - before, 0, amount)
    return BillRefs(payment=src, bill=bill, amount=amount,
                    effective_day=np.maximum(pays.paid_day[src], bills.issue_day[bill]))


def _invoice_refs(bills_df: pd.DataFrame, payments_df: pd.DataFrame, bills: BillArrays,
                  pays: PaymentArrays, p_named: np.ndarray, n_groups: int) -> InvoiceRefs:
    """Payments naming only an invoice of their group, and that invoice's instalments."""
    empty = np.zeros(0, dtype=np.int64)
    none = InvoiceRefs(payment=empty, payment_key=empty, bill=empty, bill_key=empty)
    pinv = _opt(payments_df, "invoice_id", pays.rows)
    if pinv is None or not len(bills.rows):
        return none
    want = ~p_named & pinv.notna().to_numpy()
    if not want.any():
        return none
    # only the invoices some payment names are coded: a small set to probe
    p_inv_a = keys.text(pinv[want])
    named_inv = pc.unique(p_inv_a).drop_null()
    b_inv = keys.lookup(keys.text(bills_df["invoice_id"]), named_inv)[bills.rows]
    p_inv = keys.lookup(p_inv_a, named_inv)
    b_key = np.where(b_inv >= 0, b_inv * n_groups + bills.group, -1)
    pk = p_inv * n_groups + pays.group[want]
    cand = np.flatnonzero(want)
    in_b = member(pk, b_key[b_key >= 0])
    cand, pk = cand[in_b], pk[in_b]
    # canonical payment order is (group, paid_date, payment_id): chronological per invoice
    o = np.lexsort((cand, pk))
    bsel = np.flatnonzero(b_key >= 0)
    bsel = bsel[member(b_key[bsel], pk[o])]
    bsel = bsel[np.argsort(b_key[bsel], kind="stable")]
    return InvoiceRefs(payment=cand[o], payment_key=pk[o], bill=bsel, bill_key=b_key[bsel])


def build_ledger(bills: pd.DataFrame, payments: pd.DataFrame, until: int) -> Ledger:
    """Validate, filter to ``until`` and sort once.

    Steps: the rows that exist by ``until``; customer × currency groups (a
    payment without customer takes that of the bill it names); which bill each
    payment names, kept only when of the same group; the canonical sort; then
    the bill-named pieces and the invoice-named links.
    """
    check_frames(bills, payments)
    b_rows, p_rows, col = _window(bills, payments, until)
    b_cust_all, p_cust, customers, b_cur_all, p_cur, currencies = _group_codes(bills, payments)
    check_totals([col["b_amt"], col["p_amt"]], [b_cur_all, p_cur], currencies)
    b_cust, b_cur = b_cust_all[b_rows], b_cur_all[b_rows]
    p_cust, p_cur = p_cust[p_rows], p_cur[p_rows]
    ncur = max(len(currencies), 1)
    nb, npay = len(b_rows), len(p_rows)

    # a payment with no customer belongs to the named bill's customer even before that
    # bill is issued, so its money never changes hands over time
    p_bill = _named_bill(bills, payments)[p_rows]
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

    # the canonical sort: bills by (group, due, issue, bill_id), payments by
    # (group, paid, payment_id)
    n_groups = len(customers) * ncur
    b_grp, p_grp = b_cust * ncur + b_cur, p_cust * ncur + p_cur
    b_due, b_issue, p_date = col["b_due"][b_rows], col["b_issue"][b_rows], col["p_date"][p_rows]
    bo = keys.sort_order(
        [b_grp, b_due - (b_due.min() if nb else 0), b_issue - (b_issue.min() if nb else 0)],
        bills["bill_id"], b_rows)
    po = keys.sort_order([p_grp, p_date - (p_date.min() if npay else 0)], payments["payment_id"],
                    p_rows)
    bill_pos = np.empty(nb, dtype=np.int64)
    bill_pos[bo] = np.arange(nb)
    p_bill, p_named = p_bill[po], p_named[po]
    p_bill[p_bill >= 0] = bill_pos[p_bill[p_bill >= 0]]
    groups = np.arange(n_groups + 1)
    b_arrays = BillArrays(
        rows=b_rows[bo], group=b_grp[bo],
        amount=col["b_amt"][b_rows][bo],
        due_day=b_due[bo], issue_day=b_issue[bo],
        group_start=np.searchsorted(b_grp[bo], groups))
    p_arrays = PaymentArrays(
        rows=p_rows[po], group=p_grp[po],
        amount=col["p_amt"][p_rows][po],
        paid_day=p_date[po], kind=_payment_kinds(payments, p_rows[po]),
        group_start=np.searchsorted(p_grp[po], groups))
    return Ledger(
        until=until, customers=customers, currencies=currencies, n_groups=n_groups,
        bills=b_arrays, payments=p_arrays, bill_refs=_bill_refs(b_arrays, p_arrays, p_bill),
        invoice_refs=_invoice_refs(bills, payments, b_arrays, p_arrays, p_named, n_groups))


@dataclass(frozen=True, kw_only=True)
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


def _invoice_shares(refs: InvoiceRefs, sa: np.ndarray, ka: np.ndarray, payments: bool):
    """Named-invoice cash poured into instalments by cumulative sums.

    ``sa`` is what each payment of ``refs.payment`` brings, ``ka`` what each
    instalment of ``refs.bill`` still owes. Returns (amount each instalment
    takes, amount each payment gives, or None when ``payments`` is False).
    """
    pkey, bkey = refs.payment_key, refs.bill_key
    s_first = np.flatnonzero(np.r_[True, pkey[1:] != pkey[:-1]])
    keys_ = pkey[s_first]
    total = np.add.reduceat(sa, s_first)
    pos = np.minimum(np.searchsorted(keys_, bkey), len(keys_) - 1)
    cash = np.where(keys_[pos] == bkey, total[pos], 0)
    take = np.clip(cash - within(bkey, ka), 0, ka)
    if not payments:
        return take, None
    b_first = np.flatnonzero(np.r_[True, bkey[1:] != bkey[:-1]])
    used = np.add.reduceat(take, b_first)
    bpos = np.minimum(np.searchsorted(bkey[b_first], pkey), len(b_first) - 1)
    got = np.where(bkey[b_first][bpos] == pkey, used[bpos], 0)
    return take, np.clip(got - within(pkey, sa), 0, sa)


def _explicit_to_bills(led: Ledger, day: int) -> np.ndarray:
    """Per canonical bill, what the payments naming it gave by ``day`` (step 2)."""
    m = led.bill_refs.effective_day <= day
    return sum_at(led.bill_refs.bill[m], led.bill_refs.amount[m], len(led.bills.rows))


def _invoice_cash_and_room(led: Ledger, p_exists: np.ndarray, b_exists: np.ndarray,
                           b_explicit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cash of each invoice-naming payment, rest of each named instalment) at a date."""
    refs = led.invoice_refs
    sa = np.where(p_exists[refs.payment], led.payments.amount[refs.payment], 0)
    ka = np.where(b_exists[refs.bill], led.bills.amount[refs.bill] - b_explicit[refs.bill], 0)
    return sa, ka


def state_at(led: Ledger, day: int, mode: str, *, pieces: bool = False) -> State:
    """Apply explicit payments, then (``mode="fifo"``) FIFO, as of ``day``.

    ``pieces=True`` also lists the named-invoice (payment, bill, amount) pieces
    (for the allocations table); totals are the same either way.
    """
    bills, pays, refs = led.bills, led.payments, led.invoice_refs
    nb, npay = len(bills.rows), len(pays.rows)
    b_exists = bills.issue_day <= day
    p_exists = pays.paid_day <= day
    m = led.bill_refs.effective_day <= day
    b_explicit = _explicit_to_bills(led, day)
    p_explicit = np.zeros(npay, dtype=np.int64)
    p_explicit[led.bill_refs.payment[m]] = led.bill_refs.amount[m]
    inv = (np.zeros(0, np.int64),) * 3
    if len(refs.payment):
        sa, ka = _invoice_cash_and_room(led, p_exists, b_exists, b_explicit)
        if pieces:
            src, snk, amt = overlap(refs.payment_key, sa, refs.bill_key, ka)
            inv = (refs.payment[src], refs.bill[snk], amt)
            b_explicit = b_explicit + sum_at(inv[1], amt, nb)
            p_explicit = p_explicit + sum_at(inv[0], amt, npay)
        else:
            take, give = _invoice_shares(refs, sa, ka, payments=True)
            b_explicit = b_explicit + sum_at(refs.bill, take, nb)
            p_explicit = p_explicit + sum_at(refs.payment, give, npay)
    b_open = np.where(b_exists, bills.amount, 0) - b_explicit
    p_rem = np.where(p_exists, pays.amount, 0) - p_explicit
    if mode == "fifo" and nb and npay:
        cash = seg_sum(pays.group_start, p_rem)
        b_fifo = _fifo_fill(bills, cash, b_open)
        used = seg_sum(bills.group_start, b_fifo)
        pcs = np.cumsum(p_rem)
        pexcl = pcs - p_rem
        pbefore = pexcl - pexcl[np.minimum(pays.group_start[:-1], npay - 1)][pays.group]
        p_fifo = np.clip(used[pays.group] - pbefore, 0, p_rem)
    else:
        b_fifo = np.zeros(nb, dtype=np.int64)
        p_fifo = np.zeros(npay, dtype=np.int64)
    return State(day=day, b_exists=b_exists, b_explicit=b_explicit, b_open=b_open,
                 b_fifo=b_fifo, p_exists=p_exists, p_explicit=p_explicit, p_remaining=p_rem,
                 p_fifo=p_fifo, inv_pieces=inv)


def _fifo_fill(bills: BillArrays, cash: np.ndarray, b_open: np.ndarray) -> np.ndarray:
    """Cash per group poured into open bills in canonical order (cumulative sums)."""
    nb = len(b_open)
    cs = np.cumsum(b_open)
    excl = cs - b_open
    before = excl - excl[np.minimum(bills.group_start[:-1], nb - 1)][bills.group]
    return np.clip(cash[bills.group] - before, 0, b_open)


def balances_at(led: Ledger, day: int, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """(outstanding per canonical bill, unapplied per group) as of ``day``, lean.

    Same rule as :func:`state_at` without tracking single payments: money
    never leaves its group, so a group's cash is what it received less what
    its bills took explicitly, and a named invoice's instalments take the
    invoice's cash by cumulative sums. Used at every date of a history.
    """
    bills, pays = led.bills, led.payments
    nb = len(bills.rows)
    b_exists = bills.issue_day <= day
    p_exists = pays.paid_day <= day
    b_explicit = _explicit_to_bills(led, day)
    if len(led.invoice_refs.payment):
        sa, ka = _invoice_cash_and_room(led, p_exists, b_exists, b_explicit)
        take, _ = _invoice_shares(led.invoice_refs, sa, ka, payments=False)
        b_explicit = b_explicit + sum_at(led.invoice_refs.bill, take, nb)
    b_open = np.where(b_exists, bills.amount, 0) - b_explicit
    received = seg_sum(pays.group_start, np.where(p_exists, pays.amount, 0))
    cash = received - seg_sum(bills.group_start, b_explicit)
    if mode == "fifo" and nb:
        b_fifo = _fifo_fill(bills, cash, b_open)
        return b_open - b_fifo, cash - seg_sum(bills.group_start, b_fifo)
    return b_open, cash
