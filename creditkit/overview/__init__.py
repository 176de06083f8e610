"""The portfolio overview: how big the book is, where money is owed, what came in.

A concept in three parts, like every concept of creditkit:

- :mod:`creditkit.overview.portfolio`: the calculations (tables in, tables out):
  :func:`portfolio_summary`, :func:`customer_balances`, :func:`balances_by`,
  :func:`issued_paid_by_month`, :func:`channel_mix`, and :func:`portfolio_bridge`
  (the balance bridge of :func:`creditkit.aging.balance_bridge` by product/region:
  gross outstanding − unapplied − unclaimed = net balance);
- :mod:`creditkit.overview.plots`: their charts (DataFrame in, plotly Figure out);
- :mod:`creditkit.overview.widgets`: the live notebook's table browser.

Amounts follow one vocabulary across creditkit: ``paid_minor`` is cash
received, ``credited_minor`` credit notes, ``written_off_minor`` write-offs,
``settled_minor`` all three, ``net_balance_minor`` billed − settled.

Examples
--------
>>> from creditkit import overview
>>> from creditkit.datasets import example_portfolio
>>> overview.portfolio_summary(example_portfolio(), as_of="2025-06-30")["paid_minor"].tolist()
[4000]
"""

from __future__ import annotations

from creditkit.overview.headline import portfolio_headline
from creditkit.overview.portfolio import (
    PRODUCT_OF_KIND,
    SETTLED_COLUMNS,
    balances_by,
    channel_mix,
    customer_balances,
    issued_paid_by_month,
    portfolio_bridge,
    portfolio_summary,
)

__all__ = [
    "PRODUCT_OF_KIND",
    "SETTLED_COLUMNS",
    "balances_by",
    "channel_mix",
    "customer_balances",
    "issued_paid_by_month",
    "portfolio_bridge",
    "portfolio_headline",
    "portfolio_summary",
]
