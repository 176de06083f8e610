"""How much is owed and how late, in a few figures: the first screen of a report.

:func:`delinquency` turns the bill-by-bill aging of :func:`creditkit.aging.bill_aging`
into one row per currency: the gross outstanding, the past-due amount (dpd > 0),
and the shares of the outstanding more than 30 and more than 90 days past due,
by amount. :func:`collections_headline` gives the figures a collections lead
reads first (outstanding, past due, DSO and CEI of the month to ``as_of``) as a
mapping of label keys for :func:`creditkit.display.headline`.

Shares are of the amount outstanding (not of bills or customers), so they add
up with the aging buckets: ``past_due_share`` = 1 − the share of the
``current`` bucket.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditkit.aging.aging import bill_aging
from creditkit.aging.metrics import collection_metrics
from creditkit.checks import check_as_of
from creditkit.exceptions import ParameterError

__all__ = ["DPD_THRESHOLDS", "collections_headline", "delinquency", "headline_currency"]

#: The past-due lines of :func:`delinquency`: column name → "more than this many days".
DPD_THRESHOLDS = {"past_due": 0, "dpd30": 30, "dpd90": 90}


def delinquency(aged_bills: pd.DataFrame) -> pd.DataFrame:
    """Outstanding and the part of it past due, more than 30 and more than 90 days, by currency.

    Parameters
    ----------
    aged_bills : DataFrame
        :func:`creditkit.aging.bill_aging` (``currency, customer_id,
        outstanding_minor, dpd``).

    Returns
    -------
    DataFrame
        One row per currency, sorted: ``outstanding_minor``, ``past_due_minor``
        (dpd > 0), ``dpd30_minor`` (dpd > 30), ``dpd90_minor`` (dpd > 90), the
        three shares of the outstanding amount ``past_due_share``,
        ``dpd30_share``, ``dpd90_share`` (NaN when nothing is outstanding) and
        ``n_customers`` (customers with an amount outstanding). Amounts are
        int64 minor units.

    Raises
    ------
    ParameterError
        If ``aged_bills`` is not a DataFrame with those columns.

    Examples
    --------
    >>> import pandas as pd
    >>> aged = pd.DataFrame({"currency": ["CNY"] * 3, "customer_id": ["A", "A", "B"],
    ...                      "outstanding_minor": [600, 300, 100], "dpd": [-5, 45, 120]})
    >>> d = delinquency(aged)
    >>> d[["outstanding_minor", "past_due_minor", "dpd90_minor", "n_customers"]].iloc[0].tolist()
    [1000, 400, 100, 2]
    >>> d[["past_due_share", "dpd30_share", "dpd90_share"]].iloc[0].tolist()
    [0.4, 0.4, 0.1]
    """
    need = ["currency", "customer_id", "outstanding_minor", "dpd"]
    if not isinstance(aged_bills, pd.DataFrame):
        raise ParameterError("delinquency needs the table of creditkit.aging.bill_aging, got "
                             f"{type(aged_bills).__name__}")
    missing = [c for c in need if c not in aged_bills.columns]
    if missing:
        raise ParameterError(f"delinquency needs column(s) {missing} of bill_aging; got "
                             f"{list(aged_bills.columns)}")
    out = aged_bills["outstanding_minor"].to_numpy(dtype=np.int64)
    dpd = aged_bills["dpd"].to_numpy(dtype="float64")
    frame = pd.DataFrame({"currency": aged_bills["currency"].astype("str").to_numpy(),
                          "outstanding_minor": out})
    for name, days in DPD_THRESHOLDS.items():
        frame[f"{name}_minor"] = np.where(dpd > days, out, 0)
    amounts = ["outstanding_minor", *(f"{n}_minor" for n in DPD_THRESHOLDS)]
    table = frame.groupby("currency", sort=True)[amounts].sum().astype("int64")
    owing = aged_bills.loc[aged_bills["outstanding_minor"] > 0]
    table["n_customers"] = (owing.groupby(owing["currency"].astype("str"))["customer_id"]
                            .nunique().reindex(table.index, fill_value=0).astype("int64"))
    total = table["outstanding_minor"].where(table["outstanding_minor"] > 0)
    for name in DPD_THRESHOLDS:
        table[f"{name}_share"] = table[f"{name}_minor"] / total
    return table.reset_index()


def headline_currency(table: pd.DataFrame, currency: str | None) -> str:
    """The currency a headline shows: ``currency``, else the one with the largest outstanding.

    Examples
    --------
    >>> import pandas as pd
    >>> headline_currency(pd.DataFrame({"currency": ["CNY", "USD"],
    ...                                 "outstanding_minor": [5, 900]}), None)
    'USD'
    """
    present = table["currency"].astype("str").tolist()
    if currency is not None:
        if currency not in present:
            raise ParameterError(f"no amounts in currency {currency!r}; the book has "
                                 f"{present}: pass one of them as currency=")
        return currency
    if not present:
        raise ParameterError("nothing to show: no bill issued by as_of")
    return str(table.sort_values(["outstanding_minor", "currency"],
                                 ascending=[False, True], kind="stable")["currency"].iloc[0])


def collections_headline(
    bills: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    as_of: object,
    mode: str = "fifo",
    currency: str | None = None,
) -> dict[str, object]:
    """The first-screen figures of repayment tracking, for the collections lead.

    Gross outstanding (the aging total), the amount past due and its share,
    and DSO and CEI of the month to ``as_of`` (the period from the previous
    month end, :func:`creditkit.aging.collection_metrics`).

    Parameters
    ----------
    bills, payments : DataFrame
        Canonical tables.
    as_of : date-like
    mode : {"fifo", "explicit"}
        Allocation mode, as the rest of the report.
    currency : str, optional
        Which currency to show; default the one with the largest outstanding.

    Returns
    -------
    dict
        Label key → value, in reading order: ``gross_outstanding_minor``,
        ``past_due_minor``, ``past_due_share``, ``dso`` (days, one decimal),
        ``cei_rate``: pass it to :func:`creditkit.display.headline` with the same
        ``currency``.

    Raises
    ------
    ParameterError, SchemaError
        As :func:`bill_aging`; a ``currency`` with no amounts.

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> t = example_portfolio()
    >>> h = collections_headline(t["bills"], t["payments"], as_of="2025-06-30")
    >>> h["gross_outstanding_minor"], list(h)
    (51000, ['gross_outstanding_minor', 'past_due_minor', 'past_due_share', 'dso', 'cei_rate'])
    """
    ts = check_as_of(as_of)
    aged = bill_aging(bills, payments, as_of=ts, mode=mode)
    table = delinquency(aged)
    cur = headline_currency(table, currency)
    row = table.loc[table["currency"] == cur].iloc[0]
    start = ts - pd.offsets.MonthEnd(1)
    metrics = collection_metrics(bills.loc[bills["currency"].astype("str") == cur],
                                 payments.loc[payments["currency"].astype("str") == cur],
                                 dates=[start, ts], mode=mode).iloc[-1]
    dso = float(metrics["dso"])
    return {"gross_outstanding_minor": int(row["outstanding_minor"]),
            "past_due_minor": int(row["past_due_minor"]),
            "past_due_share": float(row["past_due_share"]),
            "dso": None if np.isnan(dso) else round(dso, 1),
            "cei_rate": float(metrics["cei"])}

