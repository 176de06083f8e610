"""A customer's credit file (资信档案) for a credit committee, from the store's snapshots.

- :mod:`~creditkit.creditfile.view`: :func:`credit_file_view` (the file cut at a
  date, identity masked by default, open bills, recent payments),
  :func:`default_customer` (the most past due at the date), :func:`file_date`;
- :mod:`~creditkit.creditfile.shown`: the tables in words (:func:`shown_history`,
  :func:`shown_changes`);
- :mod:`~creditkit.creditfile.report`: :func:`credit_file_report` (notebook
  ``08-credit-file`` as an offline report), :func:`monthly_history` (a year of
  month ends through ``creditkit update``, as ``creditkit demo`` builds it),
  :func:`ensure_snapshots`;
- ``plots`` (score and dpd over time) and ``widgets`` (the customer picker),
  imported on use.

Examples
--------
>>> [str(d.date()) for d in month_ends("2025-12-31", 2)]
['2025-11-30', '2025-12-31']
"""

from __future__ import annotations

from creditkit.creditfile.report import (
    credit_file_report,
    ensure_snapshots,
    month_ends,
    monthly_history,
)
from creditkit.creditfile.shown import (
    reason_text,
    shown_changes,
    shown_dunning,
    shown_history,
    shown_reviews,
    value_text,
)
from creditkit.creditfile.view import (
    HISTORY_COLUMNS,
    CreditFileView,
    credit_file_view,
    default_customer,
    file_date,
)

__all__ = [
    "HISTORY_COLUMNS",
    "CreditFileView",
    "credit_file_report",
    "credit_file_view",
    "default_customer",
    "ensure_snapshots",
    "file_date",
    "month_ends",
    "monthly_history",
    "reason_text",
    "shown_changes",
    "shown_dunning",
    "shown_history",
    "shown_reviews",
    "value_text",
]
