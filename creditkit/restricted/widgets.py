"""Live view of the restricted book: browse its tables in the report language.

:func:`restricted_browser` puts the tables of a
:class:`~creditkit.restricted.RestrictedBook` (restricted customers, changes,
exposure, orders refused or needing approval, the review calendar, recovery
plans, the legal list) into the shared table browser
(:func:`creditkit.display.widgets.table_browser`): pick a table, filter its
rows by text (a customer id, a level as shown), page through them. The tables
are :func:`~creditkit.restricted.report_view` views: codes labelled, one
language; they hold customer ids, no names.

Examples
--------
>>> BROWSER_TABLES[:2]
('restricted_current', 'restricted_changes')
"""

from __future__ import annotations

import ipywidgets as w

from creditkit.checks import check_lang
from creditkit.display.widgets import table_browser
from creditkit.exceptions import ParameterError
from creditkit.restricted.book import RestrictedBook, report_view

__all__ = ["BROWSER_TABLES", "restricted_browser"]

#: The tables offered, in order (label keys ``table_<name>``).
BROWSER_TABLES: tuple[str, ...] = ("restricted_current", "restricted_changes",
                                   "restricted_exposure", "restricted_flagged_orders",
                                   "restricted_schedule", "restricted_plans",
                                   "restricted_legal")


def restricted_browser(book: RestrictedBook, *, lang: str = "zh", max_rows: int = 20) -> w.VBox:
    """Browse the restricted book's tables: pick one, filter by text, page through.

    Parameters
    ----------
    book : RestrictedBook
        :func:`~creditkit.restricted.restricted_book`.
    lang : {"zh", "en"}
    max_rows : int, default 20
        Rows per page.

    Returns
    -------
    ipywidgets.VBox
        The view of :func:`creditkit.display.widgets.table_browser`.

    Raises
    ------
    ParameterError
        ``book`` is not a RestrictedBook, or ``lang`` is unknown.

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> from creditkit.restricted import restricted_book
    >>> b = restricted_book(make_portfolio(150, seed=3, end="2025-06-30"), as_of="2025-06-30",
    ...                     dunning_runs=1)
    >>> picker = restricted_browser(b, lang="en").children[0]
    >>> picker.options[0]
    ('Restricted customers today', 'restricted_current')
    """
    check_lang(lang)
    if not isinstance(book, RestrictedBook):
        raise ParameterError("book must be restricted_book's result (a RestrictedBook); got "
                             f"{type(book).__name__}")
    frames = {"restricted_current": book.current(), "restricted_changes": book.changes(),
              "restricted_exposure": book.exposure(),
              "restricted_flagged_orders": book.flagged_orders(),
              "restricted_schedule": book.schedule,
              "restricted_plans": book.restoration if book.restoration is not None
              else book.legal.iloc[:0, :1],
              "restricted_legal": book.legal}
    views = {name: report_view(frames[name], lang) for name in BROWSER_TABLES}
    return table_browser(views, lang=lang, max_rows=max_rows, values=())
