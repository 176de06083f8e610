"""Shipped data and the synthetic portfolio generator.

- :func:`load_german_credit`: the Statlog German credit data (1,000
  applications, readable column names, ``target`` 1 = bad).
- :func:`make_portfolio`: a synthetic BNPL / B2B credit book in the canonical
  tables of :mod:`creditkit.schema`, calibrated to public figures.
- :func:`load_or_make`: the portfolio from the DuckDB store, generated and
  stored on first use (what notebooks call).
- :func:`example_portfolio`: two customers by hand, for examples.

Modules: ``german`` and ``portfolio`` (the two data sets), ``examples``,
``identities`` (ID numbers, credit codes and phones of synthetic customers)
and ``names`` (the reference tables of names, regions and industries).

Examples
--------
>>> from creditkit.datasets import load_german_credit, make_portfolio
>>> load_german_credit().shape
(1000, 21)
>>> make_portfolio(10, seed=0)["customers"].shape[0]
10
"""

from __future__ import annotations

from creditkit.datasets.examples import example_portfolio
from creditkit.datasets.german import GERMAN_CREDIT_COLUMNS, load_german_credit
from creditkit.datasets.portfolio import KINDS, load_or_make, make_portfolio

__all__ = [
    "GERMAN_CREDIT_COLUMNS",
    "KINDS",
    "example_portfolio",
    "load_german_credit",
    "load_or_make",
    "make_portfolio",
]
