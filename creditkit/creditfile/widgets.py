"""The live notebook's customer picker: another customer's credit-file summary at a click.

Examples
--------
>>> import tempfile, pathlib, pandas as pd
>>> from creditkit.datasets import make_portfolio
>>> from creditkit.store import write_snapshot, write_tables
>>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
>>> book = make_portfolio(20, seed=1)
>>> write_tables(path, book)
>>> ids = book["customers"]["customer_id"].iloc[:2].tolist()
>>> _ = write_snapshot(path, pd.DataFrame({"customer_id": ids, "past_due_minor": [5, 9],
...     "currency": "CNY"}), as_of="2025-06-30")
>>> view = customer_picker(path, lang="en")
>>> picker, summary = view.children
>>> picker.value == ids[1] and ids[1] in summary.value
True
>>> picker.value = ids[0]; ids[0] in summary.value
True
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from creditkit.checks import check_lang
from creditkit.creditfile.shown import shown_history
from creditkit.creditfile.view import credit_file_view, file_date
from creditkit.display.tables import headline_html
from creditkit.display.widgets import widget_table_html
from creditkit.exceptions import ParameterError
from creditkit.labels import label

__all__ = ["customer_picker"]


def _summary(store: str | Path, customer_id: str, day: object, lang: str, mask: bool) -> str:
    view = credit_file_view(store, customer_id, as_of=day, mask=mask, n_payments=1)
    shown = shown_history(view.history)
    return (f"<h4>{label('customer_id', lang)} {customer_id}</h4>"
            + headline_html(view.headline(lang=lang), lang=lang, currency=view.currency)
            + widget_table_html(shown, lang=lang, values=list(shown.attrs.get("values", ()))))


def customer_picker(store: str | Path, *, as_of: object = None, lang: str = "zh",
                    mask: bool = True, max_options: int = 20) -> w.VBox:
    """Pick one of the customers most past due: their credit-file summary is shown below.

    Parameters
    ----------
    store : str or Path
        A store with snapshots.
    as_of : date-like, optional
        Default the latest snapshot.
    lang : {"zh", "en"}
    mask : bool, default True
        Mask personal data in what is shown.
    max_options : int, default 20
        How many customers the picker offers: the largest past due at the date first.

    Returns
    -------
    ipywidgets.VBox
        Children: the picker (a ``Dropdown`` of customer ids) and the summary
        (``HTML``: headline figures and the history table).

    Raises
    ------
    ParameterError
        ``lang`` is unknown or ``max_options`` not a positive integer.
    DataReadError
        The store has no snapshot on or before ``as_of``.
    """
    from creditkit.store import portfolio_at

    check_lang(lang)
    if isinstance(max_options, bool) or not isinstance(max_options, int) or max_options < 1:
        raise ParameterError(f"max_options must be a positive integer; got {max_options!r}")
    day = file_date(store, as_of)
    book = portfolio_at(store, day)
    keys = [c for c in ("past_due_minor", "dpd", "outstanding_minor") if c in book.columns]
    book = book.assign(**{k: book[k].fillna(0) for k in keys}).sort_values(
        [*keys, "customer_id"], ascending=[False] * len(keys) + [True], kind="stable")
    ids = book["customer_id"].astype(str).head(max_options).tolist()
    picker = w.Dropdown(options=ids, value=ids[0] if ids else None,
                        description=label("customer_id", lang),
                        tooltip=label("creditfile_picker_help", lang))
    # an HTML pane without a tooltip shows "null" as its title in JupyterLab
    summary = w.HTML(_summary(store, ids[0], day, lang, mask) if ids else "", tooltip="")

    def show(change: dict) -> None:
        if change["new"]:
            summary.value = _summary(store, change["new"], day, lang, mask)

    picker.observe(show, names="value")
    return w.VBox([picker, summary])
