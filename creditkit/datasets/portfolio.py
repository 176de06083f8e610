"""The synthetic credit portfolio: customers, applications, purchases, bills and payments."""

from __future__ import annotations

import numbers
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from creditkit.checks import date_to_day
from creditkit.datasets import _text as T
from creditkit.datasets._customers import application_features, day_dates, make_customers
from creditkit.datasets._ledger import add_fees, make_bills, make_events, make_orders
from creditkit.datasets._payments import make_payments
from creditkit.datasets._signals import (
    debit_attempts,
    distress_start,
    promises,
)
from creditkit.exceptions import ParameterError

__all__ = ["KINDS", "load_or_make", "make_portfolio"]

#: Portfolio kinds: consumer instalments, trade credit, or both (20 % businesses).
KINDS = {"bnpl": 0.0, "b2b": 1.0, "mixed": 0.2}
#: Performance window of the application target: months on book, then days past due.
BAD_WINDOW_DAYS, BAD_DPD = 182, 60
_CATEGORIES = np.array(["electronics", "apparel", "home", "groceries", "travel", "beauty",
                        "education", "dining"])
_CATEGORY_P = np.array([0.24, 0.2, 0.14, 0.12, 0.08, 0.1, 0.05, 0.07])
# "merchandise", not "goods": that label key is the binning tables' count of good customers
_B2B_CATEGORIES = np.array(["merchandise", "raw_materials", "equipment", "services"])
_B2B_CATEGORY_P = np.array([0.5, 0.25, 0.1, 0.15])


def _check(n_customers: int, seed: int, kind: str, start, end) -> tuple[int, int]:
    if isinstance(n_customers, bool) or not isinstance(n_customers, numbers.Integral) or (
            n_customers < 1):
        raise ParameterError(
            f"n_customers must be a positive integer; got {n_customers!r}; pass e.g. 1000")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ParameterError(
            f"seed must be a non-negative integer; got {seed!r}; pass e.g. seed=42")
    if kind not in KINDS:
        raise ParameterError(f"kind must be one of {sorted(KINDS)}; got {kind!r}")
    start_day, end_day = date_to_day(start, "start"), date_to_day(end, "end")
    if end_day - start_day < 30:
        raise ParameterError(
            f"end must be at least 30 days after start; got start={start!r}, end={end!r}")
    return start_day, end_day


def _const(value: str, n: int) -> pd.Series:
    return T.to_series(T.take(np.array([value]), np.zeros(n, dtype=np.int64)))


def make_portfolio(
    n_customers: int,
    *,
    seed: int,
    kind: str = "bnpl",
    start: str | pd.Timestamp = "2024-01-01",
    end: str | pd.Timestamp = "2025-12-31",
    truth: bool = False,
    signals: bool = False,
) -> dict[str, pd.DataFrame]:
    """Generate a realistic synthetic credit portfolio in the canonical tables.

    Every customer has a latent risk (standard normal). It drives the
    application features, the chance and length of late payment, partial
    payments and a default date after which nothing more is paid, so scores,
    delinquency and payment behaviour correlate as in a real book. Nothing
    happens after ``end``: generated with ``end=as_of`` the book looks live,
    with recent bills not yet due and some overdue.

    Calibration (measured on 20,000 customers in ``tests/test_datasets.py``):

    - B2B: about a third of invoices are paid after their due date, with a
      median delay of about a week and a long tail (lognormal); DSO lands in
      40-55 days on net-30/45/60 terms; a few percent of billed value is
      written off. Atradius Payment Practices Barometer surveys report 40-47 %
      of B2B invoice value past due (Western Europe, 2018: 41.8 %; 2025: 47 %)
      and uncollectable receivables from 1.3 % (Western Europe, 2018) to 8 %
      (UK, 2021); this generator sits at the low end of lateness, as the
      project's brief asks (about a third).
    - BNPL: a few percent of instalments are paid late, mostly by days, and
      about 2-3 % of the amount lent is charged off, in line with the CFPB's
      2022 report *Buy Now, Pay Later: Market trends and consumer impacts*
      (charge-offs 2.39 % of originations in 2021; 10.5 % of borrowers charged
      at least one late fee).

    Signs before a default (``signals=True``). The default day (an
    exponential draw whose yearly hazard grows with the latent risk) is
    preceded by a *distress* spell, lognormal with a median of 90 days
    (30-270), in which money is short; the truth table records both. Every
    consumer holds an auto-debit mandate: the debit runs on the due date
    unless the bill was paid before; while the bill stays open it fails and
    is retried 3 and 7 days later (NACHA allows two re-presentments; the
    CFPB's 2016 *Online Payday Loan Payments* found about 70 % of
    re-presentments after a failure fail again). A bill paid on its due
    date had a failed morning attempt first (the customer topped up the
    account that day) for about 1.5 % of bills outside distress
    (``sigmoid(-4.2 + 0.6 z)``) and 30 % in it: failed debits are the
    classic early sign in collections, several times more frequent in the
    months before a default. Collectors call a consumer 3-7 days past due
    (a business 10-20 days) and get a promise to pay 60 % (70 %) of the
    time; outside distress 85 % of customers name the day they will pay, in
    distress a date 3-10 days away is pressed on them, and the payments
    decide whether it was kept. Partial payments before the default day
    were there already (about 20 % of the bills a defaulter leaves are
    part-paid between issue and default). Not modelled: more spending or
    utilisation before a default (it would change the orders and bills).

    Consumer bills cleared more than 7 days late carry a late-fee bill
    (``kind="fee"``, 5 % of the bill, 5-30 CNY, 40 % waived) on the same
    ``invoice_id``, paid when the bill is cleared. Other shares, documented
    so analyses can rely on them: credit notes on
    about 3 % of B2B invoices (15 % of them in full), and on the instalments
    not yet due of the 3 % of consumer orders returned within two weeks; partial payments on
    about 6 % of B2B and 2 % of BNPL bills; a B2B customer pays the same
    invoice twice about 0.3 % of the time (left unapplied); a quarter of
    businesses pay in a weekly payment run, so one transfer can pay several
    invoices ("货款 INV-... 等2笔"); 4 % of bank
    transfers and cash payments come from a payer not identified yet
    (``customer_id`` missing, about 3 % of all payments); payments name a
    ``bill_id`` (auto-debits, credit notes, write-offs) or an ``invoice_id``
    (30 % of B2B and 60 % of other BNPL payments), otherwise only the free-text
    ``reference`` hints at what they pay. No payment precedes its bill's issue
    date (there are no advances).

    Parameters
    ----------
    n_customers : int
        Number of customers. About 10 bills per customer on the default 2-year
        window (BNPL orders split into 3/6/12 monthly instalments, pay-in-4 or
        pay next month; B2B invoices on net-30/45/60).
    seed : int
        The same seed gives identical frames.
    kind : {"bnpl", "b2b", "mixed"}, default "bnpl"
        Consumers only, businesses only, or 20 % businesses.
    start, end : str or Timestamp
        First and last day of activity (customers open, buy and pay within it).
    signals : bool, default False
        Also return the optional tables ``debit_attempts`` and ``promises``
        (see below) and the latent deterioration they come from. The other
        tables are the same as without it, for the same seed.
    truth : bool, default False
        Also return ``"allocations"``: the true bill of every payment
        (``method="truth"``), to measure reconciliation against, and
        ``"truth"``: each customer's ``latent_risk`` (the standard normal
        draw that drives its features and repayment, higher = riskier), the
        ceiling a score can be measured against; with ``signals`` also
        ``distress_start`` and ``default_date`` (the latent spell and
        default day; missing when after ``end``).

    Returns
    -------
    dict of str to DataFrame
        ``customers``, ``applications``, ``transactions``, ``bills``,
        ``payments`` (and ``allocations`` and ``truth`` with ``truth``), each passing
        :func:`creditkit.schema.validate`, all in CNY. Beyond the schema:

        - customers: ``id_number`` holds the 18-digit resident ID number of
          consumers and the unified social credit code of businesses, one
          per customer (a repeat draw gets a new sequence or organisation
          code, its check character recomputed); ``phone`` (a mobile, or a
          landline for some businesses) is unique too: the generator models
          no households or shared lines; ``region`` is the province;
          ``industry`` a GB/T 4754 section code (the employer's, for
          consumers); ``external_rating`` (AAA-CCC) for
          about 65 % of businesses, missing for consumers.
        - applications (one per customer): ``product`` (``bnpl`` or
          ``b2b``); consumer features ``age_years``,
          ``monthly_income_minor``, ``employment_years``, ``education``,
          ``housing``, ``months_at_address``; business features
          ``years_in_business``, ``annual_revenue_minor``, ``employees``,
          ``tax_credit_grade``; shared bureau features ``bureau_score``
          (350-950), ``inquiries_6m``, ``utilization``,
          ``existing_debt_minor``, ``delinquencies_2y``. Features of the other
          kind are missing, and bureau features are missing for about 5 % of
          thin files. Money features are nullable ``Int64``. ``target``: 1 =
          a bill due within the first 6 months on book reached 60 days past
          due; missing while that window (plus 60 days) is not over by ``end``.
        - transactions: one per order or invoice, with its ``invoice_id``;
          ``category`` (consumers: electronics, apparel, home, groceries,
          travel, beauty, education, dining; businesses: merchandise,
          raw_materials, equipment, services) and ``channel`` (app, web,
          store; order_portal, sales_rep, edi), all labelled in
          :mod:`creditkit.labels`.
        - debit_attempts (``signals``): every auto-debit attempt on a
          consumer bill: ``attempt_id``, ``customer_id``, ``bill_id``,
          ``attempt_date``, ``amount_minor``, ``currency``, ``status``
          (``succeeded`` or ``failed``) and ``payment_id`` (the payment a
          successful attempt made).
        - promises (``signals``): promises to pay given to collectors:
          ``promise_id``, ``customer_id``, ``bill_id``, ``promise_date``,
          ``pay_by``, ``amount_minor``, ``currency``.

    Raises
    ------
    ParameterError
        For a non-positive size, a negative seed, an unknown kind or dates
        that are not dates or less than 30 days apart.

    Examples
    --------
    >>> book = make_portfolio(50, seed=1, kind="b2b")
    >>> sorted(book)
    ['applications', 'bills', 'customers', 'payments', 'transactions']
    >>> book["customers"]["kind"].unique().tolist()
    ['business']
    >>> bool((book["bills"]["amount_minor"] > 0).all())
    True
    """
    start_day, end_day = _check(n_customers, seed, kind, start, end)
    # a sixth stream for the signals: the first five (and so the other tables) stay as they were
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)]
    customers, book, raw = make_customers(streams[0], n_customers, KINDS[kind], start_day,
                                          end_day)
    orders = make_orders(streams[1], book, end_day)
    bills = make_bills(orders, book.business)
    events, settled, written_off, default_day = make_events(streams[2], book, bills, end_day)
    bills, events, settled = add_fees(streams[2], bills, events, settled, written_off,
                                      book.business, end_day)
    # applications first: their bill-level temporaries are freed before the big frames exist
    applications = _applications(streams[4], book, raw, customers, bills, settled, end_day)
    del written_off, raw

    # numbering as an ERP would: invoices, transactions and bills in time order
    n_orders, n_bills = len(orders.day), len(bills.amount)
    inv_no = np.empty(n_orders, dtype=np.int64)
    inv_no[np.lexsort((orders.customer, orders.day))] = np.arange(1, n_orders + 1)
    bill_rank = np.empty(n_bills, dtype=np.int64)
    bill_rank[np.lexsort((bills.k, inv_no[bills.order], bills.issue))] = np.arange(n_bills)
    # B2B invoices "INV-0000123", consumer orders "ORD-0000124" (one number sequence)
    width = max(7, len(str(n_orders)))
    order_bus = book.business[orders.customer]
    invoice_ids = T.assemble(n_orders, [
        (np.flatnonzero(order_bus), T.ids("INV-", inv_no[order_bus], width)),
        (np.flatnonzero(~order_bus), T.ids("ORD-", inv_no[~order_bus], width))])
    bill_ids = T.ids("B", bill_rank + 1, 10)
    customer_ids = pa.array(customers["customer_id"].to_numpy(dtype=object), type=pa.string())

    payments, allocations = make_payments(
        streams[3], book, bills, events, customer_ids=customer_ids, bill_ids=bill_ids,
        invoice_ids=invoice_ids.take(pa.array(bills.order)),
        invoice_numbers=inv_no[bills.order], bill_rank=bill_rank, truth=truth)
    extra: dict[str, pd.DataFrame] = {}
    if signals:
        start_d = distress_start(streams[5], default_day)
        extra["debit_attempts"] = debit_attempts(
            streams[5], book, bills, settled, default_day, start_d, end_day, payments,
            bill_ids, customer_ids)
        extra["promises"] = promises(streams[5], book, bills, events, settled, default_day,
                                     start_d, end_day, bill_ids, customer_ids)
    del events, settled

    by_bill = np.argsort(bill_rank)
    bills_df = pd.DataFrame({
        "bill_id": T.to_series(bill_ids.take(pa.array(by_bill))),
        "invoice_id": T.to_series(invoice_ids.take(pa.array(bills.order[by_bill]))),
        "customer_id": T.to_series(customer_ids.take(pa.array(bills.customer[by_bill]))),
        "issue_date": day_dates(bills.issue[by_bill]),
        "due_date": day_dates(bills.due[by_bill]),
        "amount_minor": bills.amount[by_bill].astype(np.int64),
        "currency": _const("CNY", n_bills),
        "kind": T.to_series(T.take(np.array(["invoice", "instalment", "fee"]),
                                   bills.kind[by_bill])),
    })
    by_order = np.argsort(inv_no)
    bus_order = book.business[orders.customer[by_order]]
    rng = streams[4]
    category = np.where(bus_order,
                        rng.choice(len(_B2B_CATEGORY_P), n_orders, p=_B2B_CATEGORY_P) + len(
                            _CATEGORIES),
                        rng.choice(len(_CATEGORY_P), n_orders, p=_CATEGORY_P))
    channel = np.where(bus_order, rng.choice(3, n_orders, p=[0.5, 0.35, 0.15]) + 3,
                       rng.choice(3, n_orders, p=[0.6, 0.15, 0.25]))
    transactions = pd.DataFrame({
        "txn_id": T.to_series(T.ids("T", np.arange(1, n_orders + 1), 10)),
        "customer_id": T.to_series(customer_ids.take(pa.array(orders.customer[by_order]))),
        "txn_date": day_dates(orders.day[by_order]),
        "amount_minor": orders.amount[by_order].astype(np.int64),
        "currency": _const("CNY", n_orders),
        "category": T.to_series(T.take(np.concatenate([_CATEGORIES, _B2B_CATEGORIES]),
                                       category)),
        "channel": T.to_series(T.take(np.array(["app", "web", "store", "order_portal",
                                                "sales_rep", "edi"]), channel)),
        "invoice_id": T.to_series(invoice_ids.take(pa.array(by_order))),
    })
    out = {"customers": customers, "applications": applications, "transactions": transactions,
           "bills": bills_df, "payments": payments}
    out.update(extra)
    if truth:
        out["allocations"] = allocations
        out["truth"] = pd.DataFrame({"customer_id": customers["customer_id"],
                                     "latent_risk": book.z.astype(np.float64)})
        if signals:  # the latent state the signals come from (NaT: after end)
            for col, days in (("distress_start", start_d), ("default_date", default_day)):
                out["truth"][col] = day_dates(np.minimum(days, end_day + 1)).where(
                    days <= end_day)
    return out


def _applications(rng, book, raw, customers, bills, settled, end_day) -> pd.DataFrame:
    """One application per customer, with features and the observed bad flag."""
    n = len(book.z)
    lag = np.where(book.business, rng.integers(0, 15, n), 0)
    app_day = book.open_day - lag
    # bad: a bill due within the window reached BAD_DPD days past due (observed by end)
    window_end = book.open_day[bills.customer] + BAD_WINDOW_DAYS
    late_by = np.minimum(settled, end_day + 1) - bills.due
    bad_bill = (bills.due <= window_end) & (late_by >= BAD_DPD) & (
        bills.due + BAD_DPD <= end_day) & (bills.kind != 2)
    bad = np.bincount(bills.customer[bad_bill], minlength=n) > 0
    known = book.open_day + BAD_WINDOW_DAYS + BAD_DPD <= end_day
    feats = application_features(rng, book, raw)
    head = pd.DataFrame({
        "application_id": T.to_series(T.ids("A", np.arange(1, n + 1), 8)),
        "customer_id": customers["customer_id"],
        "application_date": day_dates(app_day),
    })
    target = pd.Series(pd.arrays.IntegerArray(bad.astype(np.int64), ~known))
    return pd.concat([head, feats, target.rename("target")], axis=1)


def load_or_make(
    store_path: str | Path,
    *,
    n_customers: int = 20_000,
    seed: int = 42,
    kind: str = "mixed",
    start: str = "2024-01-01",
    as_of: str = "2025-12-31",
    signals: bool = False,
    wait: float = 60.0,
) -> dict[str, pd.DataFrame]:
    """The portfolio from the store at ``store_path``, generating and storing it if missing.

    Notebooks call this so they run on a fresh clone: the first run generates
    ``make_portfolio(n_customers, seed=seed, kind=kind, start=start, end=as_of,
    signals=signals)``
    and writes it with :func:`creditkit.store.write_tables` (generator
    parameters in the store's ``meta`` table); later runs read the file. An
    existing store is returned as it is, whatever the other arguments.

    Parameters
    ----------
    store_path : str or Path
        The DuckDB file (``datasets/creditkit.duckdb`` by default elsewhere).
    n_customers, seed, kind, start, signals : see :func:`make_portfolio`
    as_of : str
        The portfolio's last day (``end`` of :func:`make_portfolio`).
    wait : float, default 60
        Seconds to wait while another process writes the store (``creditkit
        update``, or a notebook building snapshots beside this one) before
        raising ``StoreLockedError``: the store's writes are short
        transactions, so a reader gets its turn between them.

    Returns
    -------
    dict of str to DataFrame
        The five portfolio tables, and the optional ones the store holds
        (``debit_attempts``, ``promises``: generated with ``signals``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "book.duckdb"
    >>> first = load_or_make(path, n_customers=30, seed=3, as_of="2025-06-30")
    >>> again = load_or_make(path)
    >>> first["bills"].equals(again["bills"])
    True
    """
    from creditkit import store

    path = Path(store_path)
    if path.exists():
        return {**store.load_portfolio(path, wait=wait),
                **store.load_optional_tables(path, wait=wait)}
    tables = make_portfolio(n_customers, seed=seed, kind=kind, start=start, end=as_of,
                            signals=signals)
    params = {"n_customers": n_customers, "seed": seed, "kind": kind, "start": start,
              "end": as_of, **({"signals": True} if signals else {})}
    store.write_tables(path, tables, generator=params)
    return tables

