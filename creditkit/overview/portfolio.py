"""Portfolio overview figures for managers: size, balances, billing and settlements by month.

These are *overview* numbers, in one vocabulary shared with :mod:`creditkit.aging`:

- ``billed_minor``: bills issued up to ``as_of``;
- ``paid_minor``: cash received (payments of kind ``payment``) — the only
  amount called paid or collected;
- ``credited_minor``: credit notes; ``written_off_minor``: write-offs;
- ``settled_minor``: all three, i.e. everything that lowers what is owed;
- ``net_balance_minor``: billed − settled per customer, which is what the
  aging calls outstanding − unapplied (this module does not allocate
  settlements to bills, so it says nothing about aging or days past due:
  that is :mod:`creditkit.aging`'s job).

Settlements whose customer is not identified yet (before reconciliation)
stay in the totals, with no customer and product/region ``"unattributed"``,
so totals in = totals out. A customer without a region shows as
``"unknown"``. A payment row without a ``kind`` is a payment.

Every table keeps a ``currency`` column: amounts of different currencies are
never added together.

Examples
--------
>>> import pandas as pd
>>> tables = {
...     "customers": pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["甲", "乙"],
...         "kind": ["consumer", "business"], "region": ["华东", "华北"]}),
...     "bills": pd.DataFrame({"bill_id": ["B1", "B2"], "invoice_id": ["I1", "I2"],
...         "customer_id": ["C1", "C2"],
...         "issue_date": pd.to_datetime(["2025-01-05", "2025-02-01"]),
...         "due_date": pd.to_datetime(["2025-02-05", "2025-03-01"]),
...         "amount_minor": [10000, 50000], "currency": ["CNY", "CNY"]}),
...     "payments": pd.DataFrame({"payment_id": ["P1", "P2"], "customer_id": ["C1", "C2"],
...         "paid_date": pd.to_datetime(["2025-02-03", "2025-03-10"]),
...         "amount_minor": [4000, 5000], "currency": ["CNY", "CNY"],
...         "kind": ["payment", "credit_note"], "channel": ["alipay", None]}),
... }
>>> b = balances_by(tables, as_of="2025-06-30")
>>> b[["paid_minor", "settled_minor", "net_balance_minor"]].values.tolist()
[[0, 5000, 45000], [4000, 4000, 6000]]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from creditkit.aging.bridge import balance_bridge
from creditkit.checks import check_as_of
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.schema import validate

__all__ = [
    "PRODUCT_OF_KIND",
    "SETTLED_COLUMNS",
    "balances_by",
    "channel_mix",
    "customer_balances",
    "issued_paid_by_month",
    "portfolio_bridge",
    "portfolio_summary",
]

#: Product shown for a customer kind when customers carry no ``product`` column.
PRODUCT_OF_KIND = {"consumer": "bnpl", "business": "b2b"}
#: The settled amount by payment kind: ``settled_minor`` is their sum.
SETTLED_COLUMNS = {"payment": "paid_minor", "credit_note": "credited_minor",
                   "write_off": "written_off_minor"}
_AMOUNTS = ["billed_minor", *SETTLED_COLUMNS.values(), "settled_minor", "net_balance_minor"]
_UNKNOWN = "unknown"
_UNATTRIBUTED = "unattributed"


def _tables(tables: Mapping[str, pd.DataFrame], *names: str) -> list[pd.DataFrame]:
    if not isinstance(tables, Mapping):
        raise ParameterError(
            f"expected a dict of tables (as from creditkit.datasets.make_portfolio or "
            f"creditkit.store.load_portfolio), got {type(tables).__name__}")
    missing = [n for n in names if n not in tables]
    if missing:
        raise SchemaError(f"missing table(s) {missing}; got {sorted(tables)}; "
                          "pass the portfolio dict with customers, bills and payments")
    return [validate(tables[n], n) for n in names]


def _products(customers: pd.DataFrame) -> pd.DataFrame:
    if "product" in customers.columns:
        product = customers["product"].astype("str")
    else:
        product = customers["kind"].map(PRODUCT_OF_KIND).fillna(customers["kind"].astype("str"))
    region = (customers["region"] if "region" in customers.columns
              else pd.Series(pd.NA, index=customers.index))
    return pd.DataFrame({
        "customer_id": customers["customer_id"].astype("str"),
        "product": product.fillna(_UNKNOWN).astype("str"),
        "region": region.fillna(_UNKNOWN).astype("str"),
    })


def _kinds(payments: pd.DataFrame) -> pd.Series:
    """The kind of each payment row; a row without one is a payment (cash)."""
    if "kind" not in payments.columns:
        return pd.Series("payment", index=payments.index, dtype="object")
    return payments["kind"].astype("object").where(payments["kind"].notna(), "payment")


def _settled(payments: pd.DataFrame) -> pd.DataFrame:
    """Amounts of payment rows split by kind into the SETTLED_COLUMNS, plus settled_minor."""
    kind = _kinds(payments)
    amount = payments["amount_minor"].astype("int64")
    out = pd.DataFrame({col: amount.where(kind == k, 0) for k, col in SETTLED_COLUMNS.items()},
                       index=payments.index)
    out["settled_minor"] = amount
    return out.astype("int64")


def _ledger(bills: pd.DataFrame, payments: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Billed and settled rows up to as_of: customer_id, currency, billed and settled amounts."""
    b = bills.loc[bills["issue_date"] <= as_of]
    p = payments.loc[payments["paid_date"] <= as_of]
    payer = p["customer_id"].astype("object")
    if "bill_id" in p.columns and payer.isna().any():
        # as the allocation engine does: a payment with no customer that names a bill
        # belongs to that bill's customer (so the overview and the bridge agree by customer)
        owner = bills.drop_duplicates("bill_id").set_index("bill_id")["customer_id"]
        payer = payer.where(payer.notna(), p["bill_id"].map(owner))
    billed = pd.DataFrame({"customer_id": b["customer_id"].astype("str"),
                           "currency": b["currency"].astype("str"),
                           "billed_minor": b["amount_minor"].astype("int64")})
    settled = pd.concat([pd.DataFrame({"customer_id": payer.astype("str"),
                                       "currency": p["currency"].astype("str")}),
                         _settled(p)], axis=1)
    out = pd.concat([billed, settled], ignore_index=True)
    return out.fillna({c: 0 for c in _AMOUNTS[:-1]}).astype({c: "int64" for c in _AMOUNTS[:-1]})


def customer_balances(tables: Mapping[str, pd.DataFrame], *,
                      as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Billed, settled (by kind) and net balance per customer and currency up to ``as_of``.

    Parameters
    ----------
    tables : dict of DataFrame
        Needs ``customers``, ``bills`` and ``payments`` in the canonical schema.
    as_of : date
        Bills issued and settlements made after it do not exist yet. A time of
        day is dropped; a timezone-aware date is refused.

    Returns
    -------
    DataFrame
        ``customer_id, product, region, currency, billed_minor, paid_minor,
        credited_minor, written_off_minor, settled_minor, net_balance_minor``
        (amounts int64; ``settled_minor`` = paid + credited + written off,
        ``net_balance_minor`` = billed − settled); customers with neither bills
        nor settlements are left out; settlements of customers not identified
        yet form one row with a missing ``customer_id``.

    Raises
    ------
    ParameterError
        If ``as_of`` is not a timezone-naive date or ``tables`` is not a dict.
    SchemaError
        If a table is missing or lacks canonical columns.

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> per = customer_balances(example_portfolio(), as_of="2025-06-30")
    >>> per[["customer_id", "paid_minor", "settled_minor", "net_balance_minor"]].values.tolist()
    [['C1', 4000, 4000, 6000], ['C2', 0, 5000, 45000]]
    """
    ts = check_as_of(as_of)
    customers, bills, payments = _tables(tables, "customers", "bills", "payments")
    ledger = _ledger(bills, payments, ts)
    out = (ledger.groupby(["customer_id", "currency"], sort=True, dropna=False)
           [_AMOUNTS[:-1]].sum().reset_index())
    out["net_balance_minor"] = out["billed_minor"] - out["settled_minor"]
    out = out.merge(_products(customers), on="customer_id", how="left")
    anonymous = out["customer_id"].isna()
    for col in ("product", "region"):
        out[col] = out[col].where(~anonymous, _UNATTRIBUTED).fillna(_UNKNOWN)
    cols = ["customer_id", "product", "region", "currency", *_AMOUNTS]
    return out[cols].astype(dict.fromkeys(_AMOUNTS, "int64"))


def balances_by(
    tables: Mapping[str, pd.DataFrame],
    by: Sequence[str] = ("product", "region"),
    *,
    as_of: str | pd.Timestamp,
) -> pd.DataFrame:
    """Customers, billed, settled (by kind) and net balance grouped by ``by`` and currency.

    ``by`` takes ``product`` (the customer's ``product`` column, else ``bnpl`` for
    consumers and ``b2b`` for businesses) and/or ``region``. Rows come largest
    net balance first within each currency.

    Parameters
    ----------
    tables : dict of DataFrame
        As :func:`customer_balances`.
    by : sequence of {"product", "region"}, default ("product", "region")
    as_of : date
        As :func:`customer_balances`.

    Returns
    -------
    DataFrame
        ``*by, currency, n_customers_active`` (customers with bills or
        settlements by ``as_of``; 0 on the ``unattributed`` row) and the amounts
        of :func:`customer_balances`.

    Raises
    ------
    ParameterError
        For an unknown grouping or a bad ``as_of``.

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> b = balances_by(example_portfolio(), ["product"], as_of="2025-06-30")
    >>> b[["product", "n_customers_active", "net_balance_minor"]].values.tolist()
    [['b2b', 1, 45000], ['bnpl', 1, 6000]]
    """
    by = [by] if isinstance(by, str) else list(by)
    bad = [b for b in by if b not in ("product", "region")]
    if bad or not by:
        raise ParameterError(f"by must name 'product' and/or 'region', got {by!r}")
    per = customer_balances(tables, as_of=as_of)
    keys = [*by, "currency"]
    out = per.groupby(keys, sort=True).agg(
        n_customers_active=("customer_id", "nunique"), **{c: (c, "sum") for c in _AMOUNTS},
    ).reset_index()
    return out.sort_values(["currency", "net_balance_minor", *by],
                           ascending=[True, False, *[True] * len(by)],
                           ignore_index=True, kind="stable")


def portfolio_summary(tables: Mapping[str, pd.DataFrame], *,
                      as_of: str | pd.Timestamp) -> pd.DataFrame:
    """One row per currency: customers, bills, payments and the amounts up to ``as_of``.

    Two counts of customers, each saying what it counts:
    ``n_customers_on_file`` counts customers opened on or before ``as_of`` (all
    of them when there is no ``open_date``), the same in every row;
    ``n_customers_active`` counts those with bills or settlements in the
    currency by ``as_of`` (the sum of :func:`balances_by`'s column of that
    name, one product per customer). ``n_payments`` counts cash payments (kind
    ``payment``), not credit notes or write-offs.

    Parameters
    ----------
    tables : dict of DataFrame
        As :func:`customer_balances`.
    as_of : date
        As :func:`customer_balances`.

    Returns
    -------
    DataFrame
        ``n_customers_on_file, n_customers_active, n_bills, n_payments,
        currency`` and the amounts of :func:`customer_balances`
        (``net_balance_minor`` is the net balance of :func:`portfolio_bridge`).

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> s = portfolio_summary(example_portfolio(), as_of="2025-06-30")
    >>> cols = ["n_customers_on_file", "n_customers_active", "n_bills", "net_balance_minor"]
    >>> s[cols].iloc[0].tolist()
    [2, 2, 2, 51000]
    """
    ts = check_as_of(as_of)
    customers, bills, payments = _tables(tables, "customers", "bills", "payments")
    known = customers
    if "open_date" in customers.columns:
        known = customers.loc[~(customers["open_date"] > ts)]
    per = customer_balances(tables, as_of=ts)
    b = bills.loc[bills["issue_date"] <= ts]
    p = payments.loc[payments["paid_date"] <= ts]
    p = p.loc[_kinds(p) == "payment"]
    out = per.groupby("currency", sort=True)[_AMOUNTS].sum()
    out["n_customers_active"] = per.groupby("currency", sort=True)["customer_id"].nunique()
    out["n_bills"] = b.groupby(b["currency"].astype("str")).size()
    out["n_payments"] = p.groupby(p["currency"].astype("str")).size()
    out = out.fillna(0).reset_index()
    out.insert(0, "n_customers_on_file", int(known["customer_id"].nunique()))
    cols = ["n_customers_on_file", "n_customers_active", "n_bills", "n_payments", "currency",
            *_AMOUNTS]
    return out[cols].astype({c: "int64" for c in cols if c != "currency"})


def portfolio_bridge(
    tables: Mapping[str, pd.DataFrame],
    by: Sequence[str] = (),
    *,
    as_of: str | pd.Timestamp,
    mode: str = "fifo",
) -> pd.DataFrame:
    """The balance bridge of the book (:func:`creditkit.aging.balance_bridge`), by product/region.

    Gross outstanding (the aging total) − unapplied − unclaimed = net balance,
    per currency; its ``net_balance_minor`` equals the net balance of
    :func:`portfolio_summary` and the sum of :func:`balances_by`'s, to the
    minor unit. ``by`` groups as :func:`balances_by` does (``product``,
    ``region``; unclaimed money is the ``"unattributed"`` group).

    Parameters
    ----------
    tables : dict of DataFrame
        As :func:`customer_balances`.
    by : sequence of {"product", "region"}, default ()
        Empty: one row per currency.
    as_of : date
        As :func:`customer_balances`.
    mode : {"fifo", "explicit"}
        The allocation mode (it moves money between outstanding and unapplied;
        the net balance stays).

    Returns
    -------
    DataFrame
        ``*by, currency, outstanding_minor, unapplied_minor, unclaimed_minor,
        net_balance_minor``.

    Raises
    ------
    ParameterError
        For an unknown grouping or a bad ``as_of``.

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> br = portfolio_bridge(example_portfolio(), as_of="2025-06-30")
    >>> br[["outstanding_minor", "unclaimed_minor", "net_balance_minor"]].iloc[0].tolist()
    [51000, 0, 51000]
    """
    by = [by] if isinstance(by, str) else list(by)
    bad = [b for b in by if b not in ("product", "region")]
    if bad:
        raise ParameterError(f"by must name 'product' and/or 'region', got {by!r}")
    ts = check_as_of(as_of)
    customers, bills, payments = _tables(tables, "customers", "bills", "payments")
    return balance_bridge(bills, payments, as_of=ts, mode=mode, by=by or None,
                          customers=_products(customers) if by else None)


def issued_paid_by_month(tables: Mapping[str, pd.DataFrame], *,
                         as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Bills issued, cash received and other settlements per calendar month up to ``as_of``.

    Parameters
    ----------
    tables : dict of DataFrame
        As :func:`customer_balances`.
    as_of : date
        As :func:`customer_balances`.

    Returns
    -------
    DataFrame
        ``month`` (first day of the month), ``currency``, ``n_bills``,
        ``billed_minor``, ``n_payments`` (cash payments), ``paid_minor`` (cash
        received), ``credited_minor``, ``written_off_minor`` and
        ``settled_minor`` (their sum); months without activity in between are 0.

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> m = issued_paid_by_month(example_portfolio(), as_of="2025-06-30")
    >>> m["month"].dt.strftime("%Y-%m").tolist(), m["paid_minor"].tolist()
    (['2025-01', '2025-02', '2025-03'], [0, 4000, 0])
    >>> m["settled_minor"].tolist()
    [0, 4000, 5000]
    """
    ts = check_as_of(as_of)
    _, bills, payments = _tables(tables, "customers", "bills", "payments")
    b = bills.loc[bills["issue_date"] <= ts]
    p = payments.loc[payments["paid_date"] <= ts]
    billed = b.groupby([b["issue_date"].dt.to_period("M").rename("month"),
                        b["currency"].astype("str").rename("currency")])["amount_minor"].agg(
        n_bills="size", billed_minor="sum")
    amounts = _settled(p).assign(n_payments=(_kinds(p) == "payment").astype("int64"))
    settled = amounts.groupby([p["paid_date"].dt.to_period("M").rename("month"),
                               p["currency"].astype("str").rename("currency")]).sum()
    cols = ["n_bills", "billed_minor", "n_payments", *_AMOUNTS[1:-1]]
    out = billed.join(settled, how="outer").fillna(0).astype("int64").reset_index()
    if out.empty:
        return pd.DataFrame({"month": pd.Series(dtype="datetime64[ns]"),
                             "currency": pd.Series(dtype="str"),
                             **{c: pd.Series(dtype="int64") for c in cols}})
    months = pd.period_range(out["month"].min(), out["month"].max(), freq="M")
    full = pd.MultiIndex.from_product([months, sorted(out["currency"].unique())],
                                      names=["month", "currency"])
    out = out.set_index(["month", "currency"]).reindex(full, fill_value=0).reset_index()
    out["month"] = out["month"].dt.to_timestamp().astype("datetime64[ns]")
    return out[["month", "currency", *cols]]


def channel_mix(tables: Mapping[str, pd.DataFrame], *,
                as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Cash payments (kind ``payment``) by channel up to ``as_of``: count, amount, share.

    Credit notes and write-offs are not money received, so they are left out.
    A missing channel shows as ``"unknown"``. ``share`` is per currency, in [0, 1].

    Parameters
    ----------
    tables : dict of DataFrame
        Needs ``payments`` in the canonical schema.
    as_of : date
        As :func:`customer_balances`.

    Returns
    -------
    DataFrame
        ``channel, currency, count, amount_minor, share``, largest amount first.

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> mix = channel_mix(example_portfolio(), as_of="2025-06-30")
    >>> mix[["channel", "count", "share"]].to_dict("list")
    {'channel': ['alipay'], 'count': [1], 'share': [1.0]}
    """
    ts = check_as_of(as_of)
    (payments,) = _tables(tables, "payments")
    p = payments.loc[payments["paid_date"] <= ts]
    p = p.loc[_kinds(p) == "payment"]
    channel = (p["channel"] if "channel" in p.columns else pd.Series(pd.NA, index=p.index))
    frame = pd.DataFrame({"channel": channel.fillna(_UNKNOWN).astype("str"),
                          "currency": p["currency"].astype("str"),
                          "amount_minor": p["amount_minor"].astype("int64")})
    out = frame.groupby(["currency", "channel"], sort=True).agg(
        count=("amount_minor", "size"), amount_minor=("amount_minor", "sum")).reset_index()
    total = out.groupby("currency")["amount_minor"].transform("sum")
    out["share"] = (out["amount_minor"] / total.where(total != 0)).fillna(0.0)
    out = out.sort_values(["currency", "amount_minor"], ascending=[True, False],
                          ignore_index=True, kind="stable")
    return out[["channel", "currency", "count", "amount_minor", "share"]]
