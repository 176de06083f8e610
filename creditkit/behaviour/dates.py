"""Observation dates of a behaviour development sample, chosen from the data's last day.

A date can be fitted only once its performance window has passed: with a
6-month horizon and data up to 2025-12-31 the latest usable month end is
2025-06-30. :func:`development_dates` gives the month ends a sample is built
on, so a notebook takes them from its ``as_of`` parameter alone and the same
notebook runs on a store that ends in June or in December.
"""

from __future__ import annotations

import pandas as pd

from creditkit.aging import last_month_ends
from creditkit.exceptions import ParameterError

__all__ = ["development_dates"]


def _positive(value: object, name: str, example: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ParameterError(f"{name} must be a positive whole number of months, got "
                             f"{value!r}; e.g. {name}={example}")
    return value


def development_dates(as_of: object, *, n_dates: int = 6,
                      horizon_months: int = 6) -> list[pd.Timestamp]:
    """The ``n_dates`` month ends, oldest first, whose performance window ends by ``as_of``.

    The latest is the month end ``horizon_months`` before the last month end on
    or before ``as_of``; the others are the month ends before it. Pass them as
    ``dates=`` to :func:`creditkit.behaviour.development_sample` with the same
    ``horizon_months``: no row is then excluded as ``horizon_not_observed``.

    Parameters
    ----------
    as_of : date-like
        The last day of the data (checked by :func:`creditkit.checks.check_date`).
    n_dates : int, default 6
        Month ends in the sample.
    horizon_months : int, default 6
        Months of the B-card performance window after each date.

    Returns
    -------
    list of pandas.Timestamp

    Raises
    ------
    ParameterError
        If ``as_of`` is not a date or ``n_dates`` / ``horizon_months`` is not a
        positive whole number.

    Examples
    --------
    >>> [str(d.date()) for d in development_dates("2025-12-31", n_dates=3)]
    ['2025-04-30', '2025-05-31', '2025-06-30']
    >>> [str(d.date()) for d in development_dates("2025-12-15", n_dates=1)]  # not a month end
    ['2025-05-31']
    """
    n = _positive(n_dates, "n_dates", "6")
    h = _positive(horizon_months, "horizon_months", "6")
    return last_month_ends(as_of, n + h)[:n]
