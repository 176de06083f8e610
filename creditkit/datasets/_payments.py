"""Payments as a bank statement or payment platform shows them.

Channels, payer names and free-text references are what reconciliation has
to work with: references name the invoice cleanly, without its dash, as a
bare number, truncated, mistyped, generically ("3月货款") or not at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from creditkit.datasets import _text as T
from creditkit.datasets._customers import Book, person_names
from creditkit.datasets._ledger import CREDIT, PAY, WRITE_OFF, Bills, Events
from creditkit.schema import CHANNELS

_CH = {name: i for i, name in enumerate(CHANNELS)}
# consumers paying by hand (not auto-debit); businesses' preferred channel
_CONSUMER_CH = np.array([_CH["alipay"], _CH["wechat"], _CH["card"], _CH["bank_transfer"],
                         _CH["cash"]])
_CONSUMER_CH_P = np.array([0.38, 0.32, 0.18, 0.09, 0.03])
_BUSINESS_CH = np.array([_CH["bank_transfer"], _CH["alipay"], _CH["wechat"], _CH["cash"],
                         _CH["card"]])
_BUSINESS_CH_P = np.array([0.86, 0.04, 0.03, 0.04, 0.03])
# reference templates and their shares
_B2B_REF_P = np.array([0.20, 0.15, 0.10, 0.07, 0.05, 0.18, 0.10, 0.05, 0.10])
_BNPL_REF_P = np.array([0.30, 0.15, 0.15, 0.25, 0.05, 0.05, 0.05])
#: Share of payments by bank transfer / cash whose payer is not identified yet.
UNKNOWN_PAYER_SHARE = 0.04


def _pick(rng: np.random.Generator, values: np.ndarray, p: np.ndarray, n: int) -> np.ndarray:
    return values[rng.choice(len(p), size=n, p=p)]


def _channels(rng, ev: Events, bus: np.ndarray, customer: np.ndarray, n_customers: int):
    ne = len(ev.day)
    is_pay = ev.kind == PAY
    pref = _pick(rng, _BUSINESS_CH, _BUSINESS_CH_P, n_customers)[customer]
    chan = np.where(bus, np.where(rng.random(ne) < 0.85, pref, _CH["bank_transfer"]),
                    _pick(rng, _CONSUMER_CH, _CONSUMER_CH_P, ne))
    auto = is_pay & ~bus & ev.on_time & (rng.random(ne) < 0.75)
    chan = np.where(auto, _CH["auto_debit"], chan)
    return np.where(is_pay, chan, -1), auto


def _reference(rng, ev, bus, auto, is_pay, several, size, ids, payer):
    """Free-text reference per event (Arrow strings, missing where the payer wrote none).

    ``ids`` builds invoice / bill text for the rows that need it only (memory).
    """
    ne = len(ev.day)
    b2b = np.flatnonzero(is_pay & bus & ~several)
    bnpl = np.flatnonzero(is_pay & ~bus & ~auto)
    tb = rng.choice(len(_B2B_REF_P), size=len(b2b), p=_B2B_REF_P)
    tc = rng.choice(len(_BNPL_REF_P), size=len(bnpl), p=_BNPL_REF_P)
    inv, bill = ids["invoice"], ids["bill"]

    def plain(rows):
        return pc.replace_substring(inv(rows), "-", "", max_replacements=1)

    def number(rows):  # "inv 123": lower-case prefix, number without zeros
        return T.join(pc.utf8_lower(pc.utf8_slice_codeunits(inv(rows), 0, 3)),
                      ids["number"](rows))

    def trunc(a):
        return pc.utf8_slice_codeunits(a, 0, -2)

    def swap(a):  # last two digits swapped: a typo
        return T.join(pc.utf8_slice_codeunits(a, 0, -2), pc.utf8_slice_codeunits(a, -1),
                      pc.utf8_slice_codeunits(a, -2, -1))

    month = ((ev.day.astype("M8[D]").astype("M8[M]").astype(np.int64) - 1) % 12) + 1
    b = [b2b[tb == i] for i in range(len(_B2B_REF_P))]
    c = [bnpl[tc == i] for i in range(len(_BNPL_REF_P))]
    credit, wo, multi = (np.flatnonzero((ev.kind == CREDIT) & bus),
                         np.flatnonzero(ev.kind == WRITE_OFF), np.flatnonzero(several))
    refund = np.flatnonzero((ev.kind == CREDIT) & ~bus)
    parts = [
        (b[0], T.join("付款 ", inv(b[0]))),
        (b[1], T.join("货款 ", plain(b[1]))),
        (b[2], pc.replace_substring(number(b[2]), "inv", "inv ")),
        (b[3], trunc(inv(b[3]))),
        (b[4], T.join("付款", swap(plain(b[4])))),
        (b[6], T.join(T.digits(month[b[6]]), "月货款")),
        (b[7], T.take(np.array(["往来款", "转账", "货款"]), rng.integers(0, 3, len(b[7])))),
        (b[8], T.join(payer.take(pa.array(b[8])), "付", inv(b[8]))),
        (multi, T.join("货款 ", inv(multi), " 等", T.digits(size[multi]), "笔")),
        (c[0], T.join("还款 ", inv(c[0]))),
        (c[1], T.join("分期还款", plain(c[1]))),
        (c[2], T.take(np.array(["白条还款", "还款", "信用购还款"]), rng.integers(0, 3, len(c[2])))),
        (c[4], trunc(inv(c[4]))),
        (c[5], number(c[5])),
        (c[6], T.join("还", swap(inv(c[6])))),
        (np.flatnonzero(auto), T.join("自动扣款 ", bill(np.flatnonzero(auto)))),
        (credit, T.join("红字冲销 ", inv(credit))),
        (refund, T.join("退货退款 ", inv(refund))),
        (wo, T.join("坏账核销 ", bill(wo))),
    ]
    return T.assemble(ne, parts)


def make_payments(
    rng: np.random.Generator, book: Book, bills: Bills, ev: Events, *,
    customer_ids: pa.Array, bill_ids: pa.Array, invoice_ids: pa.Array, invoice_numbers: np.ndarray,
    bill_rank: np.ndarray, truth: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The payments table and (with ``truth``) the true allocation of each payment.

    ``bill_ids``, ``invoice_ids`` and ``invoice_numbers`` are per bill (in
    ``bills`` order). Events are sorted by day, customer and bill, then numbered; a
    business paying in a weekly run pays that day's bills with one transfer.
    """
    order = np.lexsort((ev.kind, bill_rank[ev.bill], bills.customer[ev.bill], ev.day))
    all_ev = Events(*[getattr(ev, f)[order] for f in Events.__dataclass_fields__])
    # one transfer per customer and payment-run day pays all its batch bills
    ev_customer = bills.customer[all_ev.bill]
    merge = all_ev.batch & (all_ev.kind == PAY) & ~all_ev.duplicate
    same = np.zeros(len(merge), dtype=bool)
    same[1:] = (merge[1:] & merge[:-1] & (all_ev.day[1:] == all_ev.day[:-1])
                & (ev_customer[1:] == ev_customer[:-1]))
    starts = np.flatnonzero(~same)
    group = np.cumsum(~same) - 1
    size = np.diff(np.append(starts, len(merge)))
    ev = Events(*[getattr(all_ev, f)[starts] for f in Events.__dataclass_fields__])
    ev.amount = np.add.reduceat(all_ev.amount, starts) if len(starts) else ev.amount
    ne = len(ev.day)
    customer = bills.customer[ev.bill]
    bus = book.business[customer]
    is_pay = ev.kind == PAY
    chan, auto = _channels(rng, ev, bus, customer, len(book.z))
    ids = {"invoice": lambda rows: invoice_ids.take(pa.array(ev.bill[rows])),
           "bill": lambda rows: bill_ids.take(pa.array(ev.bill[rows])),
           "number": lambda rows: T.digits(invoice_numbers[ev.bill[rows]])}
    # payer names: mostly the customer; sometimes a relative, the boss, or a shortened firm name
    name = book.name.take(pa.array(customer))
    other = rng.random(ne) < 0.05
    short = bus & (rng.random(ne) < 0.08) & ~other
    person = person_names(rng, rng.random(int(other.sum())) < 0.5)
    payer = T.assemble(ne, [
        (np.flatnonzero(is_pay & other), person.filter(pa.array(is_pay[other]))),
        (np.flatnonzero(is_pay & short), pc.replace_substring(
            name.filter(pa.array(is_pay & short)), "有限公司", "")),
        (np.flatnonzero(is_pay & ~other & ~short), name.filter(pa.array(is_pay & ~other & ~short))),
    ])
    several = (size > 1) & (rng.random(ne) < 0.5)
    ref = _reference(rng, ev, bus, auto, is_pay, several, size, ids, payer)
    unknown = is_pay & np.isin(chan, [_CH["bank_transfer"], _CH["cash"]]) & (
        rng.random(ne) < UNKNOWN_PAYER_SHARE)
    name_bill = auto | ~is_pay
    name_inv = is_pay & ~auto & (size == 1) & (rng.random(ne) < np.where(bus, 0.3, 0.6))
    known = np.flatnonzero(~unknown)
    payment_id = T.ids("P", np.arange(1, ne + 1), 10)
    kinds = np.array(["payment", "credit_note", "write_off"])
    payments = pd.DataFrame({
        "payment_id": T.to_series(payment_id),
        "customer_id": T.to_series(T.assemble(ne, [(known, customer_ids.take(pa.array(
            customer[known])))])),
        "paid_date": pd.Series(ev.day.astype("M8[D]").astype("M8[ns]")),
        "amount_minor": ev.amount.astype(np.int64),
        "currency": T.to_series(T.take(np.array(["CNY"]), np.zeros(ne, dtype=np.int64))),
        "kind": T.to_series(T.take(kinds, ev.kind)),
        "channel": T.to_series(T.assemble(ne, [(np.flatnonzero(is_pay), T.take(
            np.array(CHANNELS), chan[is_pay]))])),
        "reference": T.to_series(ref),
        "payer_name": T.to_series(payer),
        "bill_id": T.to_series(T.assemble(ne, [(np.flatnonzero(name_bill), ids["bill"](
            np.flatnonzero(name_bill)))])),
        "invoice_id": T.to_series(T.assemble(ne, [(np.flatnonzero(name_inv), ids["invoice"](
            np.flatnonzero(name_inv)))])),
    })
    if not truth:
        return payments, None
    applied = np.flatnonzero(~all_ev.duplicate)
    truth = pd.DataFrame({
        "payment_id": T.to_series(payment_id.take(pa.array(group[applied]))),
        "bill_id": T.to_series(bill_ids.take(pa.array(all_ev.bill[applied]))),
        "customer_id": T.to_series(customer_ids.take(pa.array(ev_customer[applied]))),
        "amount_minor": all_ev.amount[applied].astype(np.int64),
        "method": T.to_series(T.take(np.array(["truth"]), np.zeros(len(applied), np.int64))),
        "confidence": np.ones(len(applied)),
    })
    return payments, truth
