"""Payment allocation (核销): which payment paid which bill, and what is left unapplied.

The rule is the ledger engine's (see :mod:`creditkit.aging.ledger`): named
bills first, then named invoices oldest due first, then (``mode="fifo"``)
everything still unapplied to the customer's open bills in the same currency
by (due_date, issue_date, bill_id), payments taking turns by
(paid_date, payment_id). Payments after ``as_of`` and bills issued after it do
not exist yet. Credit notes and write-offs reduce bills exactly like payments;
they are reported apart (``kind`` in the allocations; in the totals
``paid_minor`` is cash only, beside ``credited_minor`` and ``written_off_minor``,
and ``settled_minor`` is the three together).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from creditkit.aging.cumsums import overlap, seg_sum
from creditkit.aging.ledger import (
    Ledger,
    State,
    build_ledger,
    check_mode,
    state_at,
)
from creditkit.checks import date_to_day
from creditkit.schema import PAYMENT_KINDS

__all__ = ["Allocation", "allocate_payments"]

#: Amounts received by payment kind, in the order of ``schema.PAYMENT_KINDS``: cash
#: (``payment``), credit notes, write-offs. Their sum is ``settled_minor``.
KIND_COLUMNS = ("paid_minor", "credited_minor", "written_off_minor")


class Allocation(NamedTuple):
    """Result of :func:`allocate_payments` (unpacks as ``allocations, unapplied``)."""

    allocations: pd.DataFrame
    unapplied: pd.DataFrame


def group_frame(led: Ledger, groups: np.ndarray) -> pd.DataFrame:
    """customer_id and currency of ledger groups."""
    ncur = max(len(led.currencies), 1)
    return pd.DataFrame({
        "customer_id": led.customers.take(groups // ncur).to_numpy(),
        "currency": led.currencies.take(groups % ncur).to_numpy(),
    })


def group_payment_sums(led: Ledger, st: State) -> dict[str, np.ndarray]:
    """Per ledger group (int64): received by kind, their sum, applied and unapplied.

    ``paid_minor`` (cash), ``credited_minor`` and ``written_off_minor`` count
    what is dated by the date, applied to bills or not; ``settled_minor`` is
    their sum, of which ``applied_minor`` went to bills and ``unapplied_minor``
    did not.
    """
    pays = led.payments
    received = np.where(st.p_exists, pays.amount, 0)
    out = {col: seg_sum(pays.group_start, np.where(pays.kind == k, received, 0))
           for k, col in enumerate(KIND_COLUMNS)}
    out["settled_minor"] = seg_sum(pays.group_start, received)
    out["applied_minor"] = seg_sum(pays.group_start, st.p_explicit + st.p_fifo)
    out["unapplied_minor"] = out["settled_minor"] - out["applied_minor"]
    return out


def payment_totals(led: Ledger, st: State) -> pd.DataFrame:
    """Per (customer, currency) with payments: received, applied by kind, unapplied."""
    has = np.flatnonzero(np.diff(led.payments.group_start) > 0)
    out = group_frame(led, has)
    for col, values in group_payment_sums(led, st).items():
        out[col] = values[has]
    return out


def allocate_payments(
    bills: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    as_of: object,
    mode: str = "fifo",
) -> Allocation:
    """Allocate payments, credit notes and write-offs to bills as of a date.

    One rule, the same in every function of :mod:`creditkit.aging` (so an
    aging, a history of agings and this table always agree), in order:

    1. Bills issued after ``as_of`` and payments dated after it do not exist
       yet; a payment dated ``as_of`` counts.
    2. A payment naming a ``bill_id`` of its customer and currency pays that
       bill up to its open amount; several payments to one bill take turns by
       (paid_date, payment_id); the excess stays unapplied.
    3. A payment naming only an ``invoice_id`` pays the invoice's instalments
       oldest due first, by (due_date, issue_date, bill_id).
    4. ``mode="fifo"`` (default): what is still unapplied pays the customer's
       open bills in the same currency by (due_date, issue_date, bill_id),
       payments taking turns by (paid_date, payment_id) — so the oldest cash
       meets the oldest debt. FIFO is judged at ``as_of``: cash received
       before a later bill was issued does pay it, as a customer's credit
       balance pays the next bill. ``mode="explicit"`` stops after step 3.

    Currencies never mix: a USD payment never pays a CNY bill. A payment with
    no customer takes the customer of the bill it names (even one issued after
    ``as_of``, so its money belongs to the same customer at every date);
    otherwise it stays unapplied under a missing customer_id. A payment naming
    a bill that is not issued yet by ``as_of`` waits for it: until then it is
    unapplied (``fifo`` pays open bills with it meanwhile), and it does not go
    to an invoice it also names — so :func:`aging_at_dates` agrees with this
    function at every date.

    Parameters
    ----------
    bills, payments : DataFrame
        Canonical ``bills`` and ``payments`` tables (``creditkit.schema``);
        payments may carry ``kind``, ``bill_id`` and ``invoice_id``.
    as_of : date-like
        The date of the allocation.
    mode : {"fifo", "explicit"}

    Returns
    -------
    Allocation
        ``allocations``: one row per (payment, bill) with ``payment_id``,
        ``bill_id``, ``customer_id``, ``currency``, ``amount_minor``,
        ``method`` (``explicit`` or ``fifo``), ``kind`` (payment kind) and
        ``confidence`` (1.0: these are rules, not guesses).
        ``unapplied``: per (customer_id, currency) with payments, what is
        dated by ``as_of`` by kind: ``paid_minor`` (cash, kind ``payment``),
        ``credited_minor`` (credit notes), ``written_off_minor``
        (write-offs); their sum ``settled_minor``; of it ``applied_minor``
        (applied to bills) and ``unapplied_minor``, applied + unapplied =
        settled to the minor unit.

    Raises
    ------
    SchemaError
        Missing columns, wrong dtypes (money must be integer minor units),
        missing or negative amounts, missing dates, unknown payment kinds,
        duplicated bill ids.
    ParameterError
        ``as_of`` not a date, unknown ``mode``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.to_datetime
    >>> bills = pd.DataFrame({"bill_id": ["B1", "B2"], "invoice_id": ["B1", "B2"],
    ...     "customer_id": ["A", "A"], "issue_date": d(["2025-01-01", "2025-02-01"]),
    ...     "due_date": d(["2025-01-31", "2025-02-28"]), "amount_minor": [1000, 500],
    ...     "currency": ["CNY", "CNY"]})
    >>> pays = pd.DataFrame({"payment_id": ["P1"], "customer_id": ["A"],
    ...     "paid_date": d(["2025-03-01"]), "amount_minor": [1200], "currency": ["CNY"]})
    >>> alloc, left = allocate_payments(bills, pays, as_of="2025-03-31")
    >>> alloc[["bill_id", "amount_minor", "method"]].values.tolist()
    [['B1', 1000, 'fifo'], ['B2', 200, 'fifo']]
    >>> int(left["unapplied_minor"].iloc[0])
    0
    """
    check_mode(mode)
    day = date_to_day(as_of)
    led = build_ledger(bills, payments, day)
    st = state_at(led, day, mode, pieces=True)

    m = led.bill_refs.effective_day <= day
    parts = [
        (led.bill_refs.payment[m], led.bill_refs.bill[m], led.bill_refs.amount[m], 0),
        (st.inv_pieces[0], st.inv_pieces[1], st.inv_pieces[2], 0),
    ]
    if mode == "fifo":
        src, snk, amt = overlap(led.payments.group, st.p_remaining, led.bills.group, st.b_open)
        parts.append((src, snk, amt, 1))
    pay = np.concatenate([p[0] for p in parts]).astype(np.int64)
    bill = np.concatenate([p[1] for p in parts]).astype(np.int64)
    amt = np.concatenate([p[2] for p in parts]).astype(np.int64)
    meth = np.concatenate([np.full(len(p[0]), p[3], np.int8) for p in parts])
    keep = amt > 0
    pay, bill, amt, meth = pay[keep], bill[keep], amt[keep], meth[keep]
    o = np.lexsort((bill, pay))
    pay, bill, amt, meth = pay[o], bill[o], amt[o], meth[o]
    allocations = group_frame(led, led.bills.group[bill])
    allocations.insert(0, "payment_id",
                       payments["payment_id"].take(led.payments.rows[pay]).to_numpy())
    allocations.insert(1, "bill_id", bills["bill_id"].take(led.bills.rows[bill]).to_numpy())
    allocations["amount_minor"] = amt
    allocations["method"] = np.array(["explicit", "fifo"], dtype=object)[meth]
    allocations["kind"] = np.array(PAYMENT_KINDS, dtype=object)[led.payments.kind[pay]]
    allocations["confidence"] = 1.0
    return Allocation(allocations, payment_totals(led, st))
