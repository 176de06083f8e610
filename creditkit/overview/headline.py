"""The book at a glance in a few figures: the first screen of the portfolio overview.

For the manager: the balance both ways the bridge names it (gross outstanding,
the aging total; net balance, billed − settled), how many customers (on file,
and with an amount outstanding) and how much of the outstanding is late (past
due, more than 30 and more than 90 days, by amount). Balances come from the
one bridge (:func:`creditkit.overview.portfolio_bridge`), the late shares from
the bill-by-bill aging of the same allocation, so they agree with the
repayment-tracking report to the minor unit.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from creditkit.aging.aging import bill_aging
from creditkit.aging.headline import delinquency, headline_currency
from creditkit.checks import check_as_of
from creditkit.overview.portfolio import portfolio_bridge, portfolio_summary

__all__ = ["portfolio_headline"]


def portfolio_headline(
    tables: Mapping[str, pd.DataFrame],
    *,
    as_of: str | pd.Timestamp,
    mode: str = "fifo",
    currency: str | None = None,
) -> dict[str, object]:
    """The manager's first-screen figures of the book at ``as_of``.

    Parameters
    ----------
    tables : dict of DataFrame
        ``customers``, ``bills``, ``payments`` (as :func:`portfolio_summary`).
    as_of : date
    mode : {"fifo", "explicit"}
        Allocation mode of the bridge and the aging.
    currency : str, optional
        Which currency to show; default the one with the largest outstanding.

    Returns
    -------
    dict
        Label key → value, in reading order: ``gross_outstanding_minor`` and
        ``net_balance_minor`` (the first and last lines of the bridge),
        ``n_customers_on_file``, ``n_customers`` (with an amount outstanding),
        ``past_due_share``, ``dpd30_share``, ``dpd90_share`` (of the gross
        outstanding, by amount). Pass it to :func:`creditkit.display.headline`
        with the same ``currency``.

    Raises
    ------
    ParameterError, SchemaError
        For a bad ``as_of``, missing tables or a ``currency`` with no amounts.

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> h = portfolio_headline(example_portfolio(), as_of="2025-06-30")
    >>> h["gross_outstanding_minor"], h["net_balance_minor"], h["n_customers_on_file"]
    (51000, 51000, 2)
    """
    ts = check_as_of(as_of)
    bridge = portfolio_bridge(tables, as_of=ts, mode=mode)
    late = delinquency(bill_aging(tables["bills"], tables["payments"], as_of=ts, mode=mode))
    cur = headline_currency(bridge, currency)
    line = bridge.loc[bridge["currency"] == cur].iloc[0]
    summary = portfolio_summary(tables, as_of=ts)
    owed = late.loc[late["currency"] == cur]
    figures: dict[str, object] = {
        "gross_outstanding_minor": int(line["outstanding_minor"]),
        "net_balance_minor": int(line["net_balance_minor"]),
        "n_customers_on_file": int(summary["n_customers_on_file"].iloc[0]),
        "n_customers": int(owed["n_customers"].iloc[0]) if len(owed) else 0,
    }
    for col in ("past_due_share", "dpd30_share", "dpd90_share"):
        figures[col] = float(owed[col].iloc[0]) if len(owed) else float("nan")
    return figures
