"""Orders, bills and what happens to each bill (paid, late, partly, credited, written off).

All arrays are indexed by customer, order, bill or event; nothing loops per row.
Days are ``int64`` days since 1970-01-01; money is ``int64`` minor units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from creditkit.datasets._customers import Book

NEVER = np.iinfo(np.int64).max // 4  # "not settled" day, far beyond any end date

# BNPL plans: code -> number of bills; 1 is "pay next month" (one invoice), 4 is pay-in-4.
PLAN_BILLS = np.array([1, 3, 6, 12, 4])
# plan probabilities by order size (< 300 CNY, < 3000 CNY, larger)
PLAN_P = np.array([[0.45, 0.10, 0.00, 0.00, 0.45],
                   [0.25, 0.30, 0.15, 0.05, 0.25],
                   [0.10, 0.25, 0.30, 0.30, 0.05]])
TERMS = np.array([30, 45, 60])
TERMS_P = np.array([0.5, 0.3, 0.2])

# event kinds
PAY, CREDIT, WRITE_OFF = 0, 1, 2
#: Share of consumer orders returned within two weeks (remaining instalments credited).
RETURN_SHARE = 0.03


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class Orders:
    customer: np.ndarray  # int64 customer row
    day: np.ndarray
    amount: np.ndarray
    plan: np.ndarray  # index into PLAN_BILLS (consumers) or TERMS (businesses)


@dataclass
class Bills:
    order: np.ndarray
    customer: np.ndarray
    k: np.ndarray  # instalment number, 0-based
    issue: np.ndarray
    due: np.ndarray
    amount: np.ndarray
    kind: np.ndarray  # 0 invoice, 1 instalment, 2 fee


@dataclass
class Events:
    bill: np.ndarray
    day: np.ndarray
    amount: np.ndarray
    kind: np.ndarray  # PAY, CREDIT, WRITE_OFF
    duplicate: np.ndarray  # paid twice by mistake: not owed, left unapplied
    on_time: np.ndarray  # paid on or before the due date
    batch: np.ndarray  # may share one transfer with the customer's other bills that day


def _categorical(rng: np.random.Generator, p: np.ndarray) -> np.ndarray:
    """One draw per row of the probability matrix ``p``."""
    return (rng.random(len(p))[:, None] > np.cumsum(p, axis=1)[:, :-1]).sum(axis=1)


def make_orders(rng: np.random.Generator, book: Book, end_day: int) -> Orders:
    """Purchases on credit, sorted by customer then day."""
    n = len(book.z)
    months = (end_day - book.open_day + 1) / 30.44
    rate = np.where(book.business, rng.gamma(4.0, 0.8 / 4.0, n), rng.gamma(1.5, 0.22 / 1.5, n))
    count = rng.poisson(rate * months)
    customer = np.repeat(np.arange(n), count)
    span = (end_day - book.open_day + 1)[customer]
    day = book.open_day[customer] + (rng.random(len(customer)) * span).astype(np.int64)
    order = np.argsort(customer * 100_000 + (day - day.min() if len(day) else day), kind="stable")
    customer, day = customer[order], day[order]
    bus = book.business[customer]
    limit = book.limit_minor[customer]
    m = len(customer)
    size = np.exp(rng.standard_normal(m) * np.where(bus, 0.7, 1.0))
    amount = np.where(bus, limit * 0.25 * size, 40_000 * size * np.sqrt(limit / 800_000))
    amount = np.maximum(np.minimum(amount, limit), 1_000).astype(np.int64)
    tier = np.searchsorted([30_000, 300_000], amount, side="right")
    plan = np.where(bus, _terms(rng, customer, n), _categorical(rng, PLAN_P[tier]))
    return Orders(customer=customer, day=day, amount=amount, plan=plan.astype(np.int64))


def _terms(rng: np.random.Generator, customer: np.ndarray, n: int) -> np.ndarray:
    """Net terms per invoice: the customer's agreed terms, sometimes renegotiated."""
    agreed = rng.choice(3, size=n, p=TERMS_P)[customer]
    return np.where(rng.random(len(customer)) < 0.1, rng.choice(3, len(customer), p=TERMS_P),
                    agreed)


def _add_months(day: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Same day of month ``months`` later, clipped to the month's last day."""
    d = day.astype("M8[D]")
    mo = d.astype("M8[M]")
    dom = (d - mo.astype("M8[D]")).astype(np.int64)
    target = mo + months
    dim = ((target + 1).astype("M8[D]") - target.astype("M8[D]")).astype(np.int64)
    return target.astype("M8[D]").astype(np.int64) + np.minimum(dom, dim - 1)


def make_bills(orders: Orders, business: np.ndarray) -> Bills:
    """Split orders into bills: instalments sum exactly to their order (remainder first)."""
    bus = business[orders.customer]
    nb = np.where(bus, 1, PLAN_BILLS[np.where(bus, 0, orders.plan)])
    order = np.repeat(np.arange(len(nb)), nb)
    starts = np.cumsum(nb) - nb
    k = np.arange(len(order)) - starts[order]
    amount, m = orders.amount[order], nb[order]
    base = amount // m
    amount = base + np.where(k == 0, amount - base * m, 0)
    issue = orders.day[order]
    plan = orders.plan[order]
    bill_bus = bus[order]
    pay4 = ~bill_bus & (plan == 4)
    monthly = ~bill_bus & (plan >= 1) & (plan <= 3)
    due = np.where(bill_bus, issue + TERMS[np.where(bill_bus, plan, 0)],
                   np.where(pay4, issue + 14 * k, issue + 30))
    due[monthly] = _add_months(issue[monthly], k[monthly] + 1)
    kind = np.where(m > 1, 1, 0)
    return Bills(order=order, customer=orders.customer[order], k=k, issue=issue, due=due,
                 amount=amount, kind=kind)


def _lognormal_days(rng: np.random.Generator, median: np.ndarray, sigma: float) -> np.ndarray:
    return np.ceil(median * np.exp(sigma * rng.standard_normal(len(median)))).astype(np.int64)


def _events(parts: list[tuple]) -> Events:
    cols = list(zip(*parts, strict=True))
    return Events(*[np.concatenate(c) for c in cols])


def make_events(
    rng: np.random.Generator, book: Book, bills: Bills, end_day: int
) -> tuple[Events, np.ndarray, np.ndarray, np.ndarray]:
    """What happened to each bill up to ``end_day``; the day each was settled or written off.

    Behaviour per customer comes from the latent risk ``z``: the chance of
    paying late, how late, and a default date after which nothing is paid.
    The settle day is when payments and credit notes cleared the bill
    (``NEVER`` if they had not by ``end_day``). Last, each customer's
    latent default day (it may lie after ``end_day``).
    """
    n, nb = len(book.z), len(bills.amount)
    z, bus = book.z, book.business
    # customer level: default date, lateness propensity and scale
    hazard = np.where(bus, _sigmoid(-3.2 + 1.2 * z), _sigmoid(-3.2 + 1.3 * z))  # per year
    default_day = book.open_day + (rng.exponential(1.0, n) * 365.0 / -np.log1p(-hazard)).astype(
        np.int64)
    p_late = np.where(bus, _sigmoid(-1.05 + 0.9 * z + 0.5 * rng.standard_normal(n)),
                      _sigmoid(-3.7 + 1.1 * z + 0.5 * rng.standard_normal(n)))
    late_median = 4.0 * np.exp(0.45 * z)  # days; x exp(sigma * N(0, 1)) per bill
    c = bills.customer
    bbus = bus[c]
    amount, issue, due = bills.amount, bills.issue, bills.due
    late = rng.random(nb) < p_late[c]
    early = np.where(bbus, -np.floor(rng.exponential(4.0, nb)),
                     np.where(rng.random(nb) < 0.7, 0, -rng.integers(0, 8, nb)))
    pay_day = np.maximum(due + np.where(late, _lognormal_days(rng, late_median[c], 1.1),
                                        early.astype(np.int64)), issue)
    # a quarter of businesses pay in a weekly payment run: one transfer for several invoices
    run_day = np.where(bus & (rng.random(n) < 0.25), rng.integers(0, 7, n), -1)[c]
    batch = run_day >= 0
    shift = (run_day - (pay_day + 3)) % 7  # days to the next run (1970-01-01 was a Thursday)
    early_run = np.maximum(pay_day + shift - 7, issue)  # on-time payers pay in the run before
    pay_day = np.where(batch, np.where(pay_day <= due, np.where(shift == 0, pay_day, early_run),
                                       pay_day + shift), pay_day)
    defaulted = pay_day >= default_day[c]
    # credit notes on B2B invoices: returns, price adjustments, disputes settled in full
    credit = np.zeros(nb, dtype=np.int64)
    has_cn = bbus & (rng.random(nb) < 0.03)
    full_cn = has_cn & (rng.random(nb) < 0.15)
    credit[has_cn] = np.maximum(
        (amount[has_cn] * rng.uniform(0.05, 0.6, int(has_cn.sum()))).astype(np.int64), 1)
    cn_day = issue + (rng.random(nb) * (due - issue + 20)).astype(np.int64)
    # consumer returns: the order's instalments not yet due are credited in full
    n_orders = int(bills.order.max()) + 1 if nb else 0
    return_day = (issue + rng.integers(2, 16, n_orders)[bills.order]) if nb else issue
    returned = ~bbus & (rng.random(n_orders) < RETURN_SHARE)[bills.order] & (due > return_day)
    has_cn |= returned
    full_cn |= returned
    cn_day = np.where(returned, return_day, cn_day)
    credit[full_cn] = amount[full_cn]
    rest = amount - credit
    # partial payments: part 1 on the payment day, part 2 later (or never, after a default)
    partial = (rest >= 200) & (rng.random(nb) < np.where(bbus, 0.06, 0.02) + 0.2 * defaulted)
    part1 = np.where(partial, (rest * rng.uniform(0.3, 0.8, nb) // 100) * 100, rest)
    part1 = np.clip(part1, 0, rest)
    part1_day = np.where(defaulted, issue + (rng.random(nb) * np.maximum(
        default_day[c] - issue, 0)).astype(np.int64), pay_day)
    part1_paid = (rest > 0) & (~defaulted | (partial & (default_day[c] > issue)))
    part2_day = part1_day + np.ceil(rng.exponential(20.0, nb)).astype(np.int64)
    part2_paid = partial & ~defaulted & (part2_day < default_day[c])
    paid = np.where(part1_paid, part1, 0) + np.where(part2_paid, rest - part1, 0)
    # written off: what is left when collections give up (about 180 days past due)
    left = rest - paid
    wo_day = np.maximum(due, np.minimum(default_day[c], due + 90)) + 180 + np.where(
        bbus, rng.integers(0, 60, nb), 0)
    wo = (left > 0) & (rng.random(nb) < np.where(bbus, 0.85, 0.97))
    # paid twice by mistake (B2B): a second transfer of the same amount, left unapplied
    dup = bbus & part1_paid & ~partial & (rng.random(nb) < 0.003)
    dup_day = pay_day + rng.integers(1, 11, nb)
    on_time = pay_day <= due
    idx = np.arange(nb)
    zeros = np.zeros(nb, dtype=bool)

    def part(mask, day, amt, kind, duplicate=zeros, ontime=zeros, runs=zeros):
        keep = mask & (day <= end_day)
        return (idx[keep], day[keep], amt[keep], np.full(int(keep.sum()), kind),
                duplicate[keep], ontime[keep], runs[keep])

    p1 = part1_paid & (part1 > 0)
    events = _events([
        part(has_cn, cn_day, credit, CREDIT),
        part(p1, part1_day, part1, PAY, ontime=on_time & ~partial,
             runs=batch & ~partial & ~defaulted),
        part(part2_paid, part2_day, rest - part1, PAY),
        part(dup, dup_day, part1, PAY, duplicate=~zeros),
        part(wo, wo_day, left, WRITE_OFF),
    ])
    settled_day = np.where(full_cn, cn_day, np.where(
        partial, np.where(part2_paid, part2_day, NEVER),
        np.where(part1_paid, np.maximum(part1_day, np.where(has_cn, cn_day, 0)), NEVER)))
    settled_day = np.where(settled_day <= end_day, settled_day, NEVER)
    written_off = np.where(wo & (wo_day <= end_day), wo_day, NEVER)
    return events, settled_day, written_off, default_day


#: Late fee on a consumer bill paid more than ``FEE_GRACE_DAYS`` late: 5 % of it, 5 to 30 CNY.
FEE_GRACE_DAYS, FEE_RATE, FEE_MIN, FEE_MAX = 7, 0.05, 500, 3_000


def add_fees(
    rng: np.random.Generator, bills: Bills, events: Events, settled: np.ndarray,
    written_off: np.ndarray, business: np.ndarray, end_day: int,
) -> tuple[Bills, Events, np.ndarray]:
    """Late-fee bills on consumer bills not cleared within the grace period.

    About 40 % of fees are waived (not billed). A fee is issued the day after
    the grace period ends, due a week later,
    shares its order's ``invoice_id``, is paid the day its bill is finally
    cleared and written off with it.
    """
    fee_day = bills.due + FEE_GRACE_DAYS + 1
    has_fee = (~business[bills.customer] & (bills.kind != 2) & (settled >= fee_day)
               & (fee_day <= end_day) & (rng.random(len(fee_day)) >= 0.4))
    parent = np.flatnonzero(has_fee)
    nf, nb = len(parent), len(bills.amount)
    fee_amount = np.clip((bills.amount[parent] * FEE_RATE).astype(np.int64), FEE_MIN, FEE_MAX)
    fees = Bills(order=bills.order[parent], customer=bills.customer[parent],
                 k=np.full(nf, 99), issue=fee_day[parent], due=fee_day[parent] + 7,
                 amount=fee_amount, kind=np.full(nf, 2))
    fee_idx = nb + np.arange(nf)
    paid = settled[parent] <= end_day
    gone = ~paid & (written_off[parent] <= end_day)
    zeros = np.zeros(nf, dtype=bool)
    fee_events = Events(
        bill=np.concatenate([fee_idx[paid], fee_idx[gone]]),
        day=np.concatenate([settled[parent][paid], written_off[parent][gone]]),
        amount=np.concatenate([fee_amount[paid], fee_amount[gone]]),
        kind=np.concatenate([np.full(int(paid.sum()), PAY), np.full(int(gone.sum()), WRITE_OFF)]),
        duplicate=np.concatenate([zeros[paid], zeros[gone]]),
        on_time=np.concatenate([zeros[paid], zeros[gone]]),
        batch=np.concatenate([zeros[paid], zeros[gone]]),
    )
    all_bills = Bills(*[np.concatenate([getattr(bills, f), getattr(fees, f)])
                        for f in Bills.__dataclass_fields__])
    all_events = Events(*[np.concatenate([getattr(events, f), getattr(fee_events, f)])
                          for f in Events.__dataclass_fields__])
    fee_settled = np.where(paid, settled[parent], NEVER)
    return all_bills, all_events, np.concatenate([settled, fee_settled])
