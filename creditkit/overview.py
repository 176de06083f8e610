"""Portfolio overview figures for managers: size, balances, billing and payments by month, channels.

These are *overview* numbers. The balance here is simply what was billed minus
what was paid (payments, credit notes and write-offs) up to ``as_of``, per
customer; it does not allocate payments to bills, so it says nothing about
aging or days past due — that is :mod:`creditkit.aging`'s job (allocation,
buckets). Payments whose customer is not identified yet (before
reconciliation) stay in the totals, with no customer and product/region
``"unattributed"``, so totals in = totals out. A customer without a region
shows as ``"unknown"``.

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
...     "payments": pd.DataFrame({"payment_id": ["P1"], "customer_id": ["C1"],
...         "paid_date": pd.to_datetime(["2025-02-03"]), "amount_minor": [4000],
...         "currency": ["CNY"], "channel": ["alipay"]}),
... }
>>> balances_by(tables, as_of="2025-06-30")["balance_minor"].tolist()
[50000, 6000]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from creditkit.exceptions import ParameterError, SchemaError
from creditkit.schema import validate

__all__ = [
    "PRODUCT_OF_KIND",
    "balances_by",
    "channel_mix",
    "customer_balances",
    "issued_paid_by_month",
    "portfolio_summary",
]

#: Product shown for a customer kind when customers carry no ``product`` column.
PRODUCT_OF_KIND = {"consumer": "bnpl", "business": "b2b"}
_UNKNOWN = "unknown"
_UNATTRIBUTED = "unattributed"


def _as_of(as_of: str | pd.Timestamp) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        raise ParameterError(f"as_of must be a date like '2025-06-30', got {as_of!r}") from None
    if pd.isna(ts):
        raise ParameterError(f"as_of must be a date like '2025-06-30', got {as_of!r}")
    return ts.tz_localize(None).normalize() if ts.tz is not None else ts.normalize()


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


def _ledger(bills: pd.DataFrame, payments: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Billed (+) and paid (−) rows up to as_of: customer_id, currency, billed, paid."""
    b = bills.loc[bills["issue_date"] <= as_of]
    p = payments.loc[payments["paid_date"] <= as_of]
    zeros_b = pd.Series(0, index=b.index, dtype="int64")
    zeros_p = pd.Series(0, index=p.index, dtype="int64")
    return pd.concat([
        pd.DataFrame({"customer_id": b["customer_id"].astype("str"),
                      "currency": b["currency"].astype("str"),
                      "billed_minor": b["amount_minor"].astype("int64"), "paid_minor": zeros_b}),
        pd.DataFrame({"customer_id": p["customer_id"].astype("str"),
                      "currency": p["currency"].astype("str"),
                      "billed_minor": zeros_p, "paid_minor": p["amount_minor"].astype("int64")}),
    ], ignore_index=True)


def customer_balances(tables: Mapping[str, pd.DataFrame], *,
                      as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Billed, paid and balance (billed − paid) per customer and currency up to ``as_of``.

    Parameters
    ----------
    tables : dict of DataFrame
        Needs ``customers``, ``bills`` and ``payments`` in the canonical schema.
    as_of : date
        Bills issued and payments made after it do not exist yet.

    Returns
    -------
    DataFrame
        ``customer_id, product, region, currency, billed_minor, paid_minor, balance_minor``
        (int64); customers with neither bills nor payments are left out; payments of
        customers not identified yet form one row with a missing ``customer_id``.

    Raises
    ------
    ParameterError
        If ``as_of`` is not a date or ``tables`` is not a dict.
    SchemaError
        If a table is missing or lacks canonical columns.

    Examples
    --------
    >>> from creditkit.overview import _example
    >>> per = customer_balances(_example(), as_of="2025-06-30")
    >>> per[["customer_id", "balance_minor"]].to_dict("list")
    {'customer_id': ['C1', 'C2'], 'balance_minor': [6000, 50000]}
    """
    ts = _as_of(as_of)
    customers, bills, payments = _tables(tables, "customers", "bills", "payments")
    ledger = _ledger(bills, payments, ts)
    out = (ledger.groupby(["customer_id", "currency"], sort=True, dropna=False)
           [["billed_minor", "paid_minor"]].sum().reset_index())
    out["balance_minor"] = out["billed_minor"] - out["paid_minor"]
    out = out.merge(_products(customers), on="customer_id", how="left")
    anonymous = out["customer_id"].isna()
    for col in ("product", "region"):
        out[col] = out[col].where(~anonymous, _UNATTRIBUTED).fillna(_UNKNOWN)
    cols = ["customer_id", "product", "region", "currency",
            "billed_minor", "paid_minor", "balance_minor"]
    return out[cols].astype({c: "int64" for c in cols[4:]})


def balances_by(
    tables: Mapping[str, pd.DataFrame],
    by: Sequence[str] = ("product", "region"),
    *,
    as_of: str | pd.Timestamp,
) -> pd.DataFrame:
    """Customers, billed, paid and balance grouped by ``by`` (and currency), largest first.

    ``by`` takes ``product`` (the customer's ``product`` column, else ``bnpl`` for
    consumers and ``b2b`` for businesses) and/or ``region``.

    Raises
    ------
    ParameterError
        For an unknown grouping.

    Examples
    --------
    >>> from creditkit.overview import _example
    >>> b = balances_by(_example(), ["product"], as_of="2025-06-30")
    >>> b[["product", "customers"]].to_dict("list")
    {'product': ['b2b', 'bnpl'], 'customers': [1, 1]}
    """
    by = [by] if isinstance(by, str) else list(by)
    bad = [b for b in by if b not in ("product", "region")]
    if bad or not by:
        raise ParameterError(f"by must name 'product' and/or 'region', got {by!r}")
    per = customer_balances(tables, as_of=as_of)
    keys = [*by, "currency"]
    out = per.groupby(keys, sort=True).agg(
        customers=("customer_id", "nunique"), billed_minor=("billed_minor", "sum"),
        paid_minor=("paid_minor", "sum"), balance_minor=("balance_minor", "sum"),
    ).reset_index()
    return out.sort_values(["currency", "balance_minor", *by],
                           ascending=[True, False, *[True] * len(by)],
                           ignore_index=True, kind="stable")


def portfolio_summary(tables: Mapping[str, pd.DataFrame], *,
                      as_of: str | pd.Timestamp) -> pd.DataFrame:
    """One row per currency: customers, bills, payments, billed, paid, balance up to ``as_of``.

    ``n_customers`` counts customers opened on or before ``as_of`` (all of them
    when there is no ``open_date``).

    Examples
    --------
    >>> from creditkit.overview import _example
    >>> s = portfolio_summary(_example(), as_of="2025-06-30")
    >>> s[["n_customers", "n_bills", "n_payments", "balance_minor"]].iloc[0].tolist()
    [2, 2, 1, 56000]
    """
    ts = _as_of(as_of)
    customers, bills, payments = _tables(tables, "customers", "bills", "payments")
    known = customers
    if "open_date" in customers.columns:
        known = customers.loc[~(customers["open_date"] > ts)]
    per = customer_balances(tables, as_of=ts)
    b = bills.loc[bills["issue_date"] <= ts]
    p = payments.loc[payments["paid_date"] <= ts]
    out = per.groupby("currency", sort=True)[["billed_minor", "paid_minor", "balance_minor"]].sum()
    out["n_bills"] = b.groupby(b["currency"].astype("str")).size()
    out["n_payments"] = p.groupby(p["currency"].astype("str")).size()
    out = out.fillna(0).reset_index()
    out.insert(0, "n_customers", int(known["customer_id"].nunique()))
    cols = ["n_customers", "n_bills", "n_payments", "currency",
            "billed_minor", "paid_minor", "balance_minor"]
    return out[cols].astype({c: "int64" for c in cols if c != "currency"})


def issued_paid_by_month(tables: Mapping[str, pd.DataFrame], *,
                         as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Bills issued and amounts paid per calendar month (and currency) up to ``as_of``.

    Returns
    -------
    DataFrame
        ``month`` (first day of the month), ``currency``, ``n_bills``, ``billed_minor``,
        ``n_payments``, ``paid_minor``; months without activity in between are 0.

    Examples
    --------
    >>> from creditkit.overview import _example
    >>> m = issued_paid_by_month(_example(), as_of="2025-06-30")
    >>> m["month"].dt.strftime("%Y-%m").tolist(), m["paid_minor"].tolist()
    (['2025-01', '2025-02'], [0, 4000])
    """
    ts = _as_of(as_of)
    _, bills, payments = _tables(tables, "customers", "bills", "payments")
    b = bills.loc[bills["issue_date"] <= ts]
    p = payments.loc[payments["paid_date"] <= ts]
    billed = b.groupby([b["issue_date"].dt.to_period("M").rename("month"),
                        b["currency"].astype("str").rename("currency")])["amount_minor"].agg(
        n_bills="size", billed_minor="sum")
    paid = p.groupby([p["paid_date"].dt.to_period("M").rename("month"),
                      p["currency"].astype("str").rename("currency")])["amount_minor"].agg(
        n_payments="size", paid_minor="sum")
    out = billed.join(paid, how="outer").fillna(0).astype("int64").reset_index()
    if out.empty:
        return pd.DataFrame({"month": pd.Series(dtype="datetime64[ns]"),
                             "currency": pd.Series(dtype="str"),
                             **{c: pd.Series(dtype="int64") for c in
                                ("n_bills", "billed_minor", "n_payments", "paid_minor")}})
    months = pd.period_range(out["month"].min(), out["month"].max(), freq="M")
    full = pd.MultiIndex.from_product([months, sorted(out["currency"].unique())],
                                      names=["month", "currency"])
    out = out.set_index(["month", "currency"]).reindex(full, fill_value=0).reset_index()
    out["month"] = out["month"].dt.to_timestamp().astype("datetime64[ns]")
    return out[["month", "currency", "n_bills", "billed_minor", "n_payments", "paid_minor"]]


def channel_mix(tables: Mapping[str, pd.DataFrame], *,
                as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Payments (kind ``payment``) by channel up to ``as_of``: count, amount and share of amount.

    Credit notes and write-offs are not money received, so they are left out.
    A missing channel shows as ``"unknown"``. ``share`` is per currency, in [0, 1].

    Examples
    --------
    >>> from creditkit.overview import _example
    >>> mix = channel_mix(_example(), as_of="2025-06-30")
    >>> mix[["channel", "count", "share"]].to_dict("list")
    {'channel': ['alipay'], 'count': [1], 'share': [1.0]}
    """
    ts = _as_of(as_of)
    (payments,) = _tables(tables, "payments")
    p = payments.loc[payments["paid_date"] <= ts]
    if "kind" in p.columns:
        p = p.loc[p["kind"].isna() | (p["kind"] == "payment")]
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


def _example() -> dict[str, pd.DataFrame]:
    """The two-customer portfolio of the module docstring (for doctests)."""
    return {
        "customers": pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["甲", "乙"],
                                   "kind": ["consumer", "business"], "region": ["华东", "华北"]}),
        "bills": pd.DataFrame({
            "bill_id": ["B1", "B2"], "invoice_id": ["I1", "I2"], "customer_id": ["C1", "C2"],
            "issue_date": pd.to_datetime(["2025-01-05", "2025-02-01"]),
            "due_date": pd.to_datetime(["2025-02-05", "2025-03-01"]),
            "amount_minor": [10000, 50000], "currency": ["CNY", "CNY"]}),
        "payments": pd.DataFrame({
            "payment_id": ["P1"], "customer_id": ["C1"],
            "paid_date": pd.to_datetime(["2025-02-03"]), "amount_minor": [4000],
            "currency": ["CNY"], "channel": ["alipay"]}),
    }
