"""Signs before a default: auto-debit attempts and promises to pay (``signals=True``).

Built after the ledger from a stream of its own, so the other tables stay
what they are for the same seed; everything here is consistent with the
payments already drawn (an attempt fails only while its bill is open; a
promise is kept or broken by the cash the payments show).

Latent deterioration: a customer's default day (drawn by the ledger) is
preceded by a *distress* spell of ``DISTRESS_MEDIAN_DAYS`` (lognormal) in
which money is short. In it the morning auto-debit of a bill paid on its
due date fails first (``NEAR_MISS_DISTRESS``) before the customer tops the
account up the same day, against ``sigmoid(-4.2 + 0.6 z)`` otherwise (1.5 % at
average risk, 0.5-5 % for z from -2 to 2); and promises given to collectors
are not honest (a date pressed on the customer, not the day it will pay).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from creditkit.datasets import _text as T
from creditkit.datasets._customers import Book, day_dates
from creditkit.datasets._ledger import CREDIT, NEVER, PAY, Bills, Events

#: Median length of the distress spell before the default day (lognormal, sigma 0.5).
DISTRESS_MEDIAN_DAYS = 90
#: Chance that the due-date debit of a bill paid that day failed first, in distress.
NEAR_MISS_DISTRESS = 0.3
#: Retries of a failed debit (days after the due date): NACHA allows two re-presentments.
RETRY_DAYS = (0, 3, 7)
#: Chance a collector reaches a customer and gets a promise (consumers, businesses).
REACH_P = (0.6, 0.7)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def distress_start(rng: np.random.Generator, default_day: np.ndarray) -> np.ndarray:
    """First day of each customer's distress spell (its default day minus 30-270 days)."""
    width = np.clip(rng.lognormal(np.log(DISTRESS_MEDIAN_DAYS), 0.5, len(default_day)), 30, 270)
    return default_day - width.astype(np.int64)


def _days(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype="M8[ns]").astype("M8[D]").astype(np.int64)


def debit_attempts(rng: np.random.Generator, book: Book, bills: Bills, settled: np.ndarray,
                   default_day: np.ndarray, start: np.ndarray, end_day: int,
                   payments: pd.DataFrame, bill_ids: pa.Array,
                   customer_ids: pa.Array) -> pd.DataFrame:
    """Every auto-debit attempt on consumers' bills (all consumers hold a mandate).

    - an auto-debit payment is a ``succeeded`` attempt on its day;
    - a bill cleared on its due date (by the debit or by hand) had a ``failed``
      morning attempt first with the near-miss chance (see the module);
    - a bill still open on its due date: ``failed`` attempts on the due date
      and retries at ``RETRY_DAYS`` while it stays open (up to ``end_day``).
    """
    nb = len(bills.amount)
    cons = ~book.business[bills.customer] & (bills.kind != 2)
    due = bills.due
    p_norm = _sigmoid(-4.2 + 0.6 * book.z)

    def near_miss(cust: np.ndarray, day: np.ndarray) -> np.ndarray:
        distress = (day >= start[cust]) & (day < default_day[cust])
        return rng.random(len(cust)) < np.where(distress, NEAR_MISS_DISTRESS, p_norm[cust])

    auto = (payments["channel"] == "auto_debit").to_numpy() & payments["bill_id"].notna() \
        .to_numpy()
    by_id = pd.Index(np.asarray(bill_ids.to_numpy(zero_copy_only=False), dtype=object))
    a_bill = by_id.get_indexer(payments.loc[auto, "bill_id"].astype(object))
    a_day = _days(payments.loc[auto, "paid_date"])
    a_amt = payments.loc[auto, "amount_minor"].to_numpy(np.int64)
    a_pid = payments.loc[auto, "payment_id"].to_numpy(dtype=object)
    a_cust = bills.customer[a_bill]
    a_miss = near_miss(a_cust, a_day) & (a_day == due[a_bill])
    # bills cleared on their due date by hand
    has_auto = np.zeros(nb, dtype=bool)
    has_auto[a_bill] = True
    by_hand = np.flatnonzero(cons & ~has_auto & (settled == due) & (due <= end_day))
    h_miss = by_hand[near_miss(bills.customer[by_hand], due[by_hand])]
    # bills open on their due date: the debit and its retries fail while the bill is open
    open_ = np.flatnonzero(cons & (settled > due) & (due <= end_day))
    f_bill = np.concatenate([open_] * len(RETRY_DAYS))
    f_day = np.concatenate([due[open_] + d for d in RETRY_DAYS])
    keep = (f_day < np.minimum(settled[f_bill], NEVER)) & (f_day <= end_day)
    f_bill, f_day = f_bill[keep], f_day[keep]
    parts = [  # bill, day, amount, status (0 failed, 1 succeeded), payment, order within day
        (a_bill[a_miss], a_day[a_miss], a_amt[a_miss], 0, None, 0),
        (a_bill, a_day, a_amt, 1, a_pid, 1),
        (h_miss, due[h_miss], bills.amount[h_miss], 0, None, 0),
        (f_bill, f_day, bills.amount[f_bill], 0, None, 0),
    ]
    bill = np.concatenate([p[0] for p in parts]).astype(np.int64)
    day = np.concatenate([p[1] for p in parts]).astype(np.int64)
    amount = np.concatenate([p[2] for p in parts]).astype(np.int64)
    status = np.concatenate([np.full(len(p[0]), p[3]) for p in parts])
    within = np.concatenate([np.full(len(p[0]), p[5]) for p in parts])
    pid = np.concatenate([p[4] if p[4] is not None else np.full(len(p[0]), None, dtype=object)
                          for p in parts])
    cust = bills.customer[bill]
    order = np.lexsort((within, bill, cust, day))
    bill, day, amount, status, pid, cust = (x[order] for x in (bill, day, amount, status, pid,
                                                                cust))
    n = len(bill)
    return pd.DataFrame({
        "attempt_id": T.to_series(T.ids("D", np.arange(1, n + 1), 10)),
        "customer_id": T.to_series(customer_ids.take(pa.array(cust))),
        "bill_id": T.to_series(bill_ids.take(pa.array(bill))),
        "attempt_date": day_dates(day),
        "amount_minor": amount,
        "currency": T.to_series(T.take(np.array(["CNY"]), np.zeros(n, dtype=np.int64))),
        "status": T.to_series(T.take(np.array(["failed", "succeeded"]), status)),
        "payment_id": pd.Series(pd.array(pid, dtype="str")),
    })


def promises(rng: np.random.Generator, book: Book, bills: Bills, events: Events,
             settled: np.ndarray, default_day: np.ndarray, start: np.ndarray, end_day: int,
             bill_ids: pa.Array, customer_ids: pa.Array) -> pd.DataFrame:
    """Promises to pay given to collectors on bills past due (one per customer and day).

    A collector calls a consumer 3-7 days after a missed due date (a
    business 10-20 days), reaches it and gets a promise with ``REACH_P``.
    Outside distress 85 % of customers name the day they will in fact pay
    (within two days) when that is within three weeks; in distress, and
    for the rest, the date is 3-10 days away whatever the customer can pay.
    The amount is what is left of the bill that day.
    """
    nb = len(bills.amount)
    bus = book.business[bills.customer]
    lag = np.where(bus, 10 + rng.integers(0, 11, nb), 3 + rng.integers(0, 5, nb))
    call = bills.due + lag
    reached = rng.random(nb) < np.where(bus, REACH_P[1], REACH_P[0])
    late = np.flatnonzero((bills.kind != 2) & (settled > call) & (call <= end_day) & reached)
    cust = bills.customer[late]
    before = (events.day < call[events.bill]) & np.isin(events.kind, [PAY, CREDIT]) & \
        ~events.duplicate
    received = np.bincount(events.bill[before], weights=events.amount[before], minlength=nb)
    left = bills.amount[late] - received[late].astype(np.int64)
    c_day = call[late]
    distress = c_day >= start[cust]
    honest = ~distress & (rng.random(len(late)) < 0.85) & (settled[late] <= c_day + 21)
    pay_by = np.where(honest, settled[late] + rng.integers(0, 3, len(late)),
                      c_day + rng.integers(3, 11, len(late)))
    keep = left > 0
    frame = pd.DataFrame({"cust": cust[keep], "day": c_day[keep], "pay_by": pay_by[keep],
                          "amount": left[keep], "bill": late[keep]})
    frame = frame.groupby(["cust", "day"], sort=True).agg(
        pay_by=("pay_by", "max"), amount=("amount", "sum"), bill=("bill", "min")).reset_index()
    n = len(frame)
    return pd.DataFrame({
        "promise_id": T.to_series(T.ids("R", np.arange(1, n + 1), 9)),
        "customer_id": T.to_series(customer_ids.take(pa.array(frame["cust"].to_numpy()))),
        "bill_id": T.to_series(bill_ids.take(pa.array(frame["bill"].to_numpy()))),
        "promise_date": day_dates(frame["day"].to_numpy()),
        "pay_by": day_dates(frame["pay_by"].to_numpy()),
        "amount_minor": frame["amount"].to_numpy(np.int64),
        "currency": T.to_series(T.take(np.array(["CNY"]), np.zeros(n, dtype=np.int64))),
    })
