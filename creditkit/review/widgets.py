"""Live view of the review's drivers: split the change in arrears by another dimension.

The review's driver table splits one late share by one dimension. In the live
notebook a manager asks the next question: and by industry? by tier? for the
90+ share? :func:`driver_explorer` ages the bills at the two dates once, then
recomputes :func:`~creditkit.review.share_drivers_from_aging` for each choice,
so a change of dimension or share answers at once. Like every widget of
creditkit it only sets widget traits (tested headless), and reports leave it
out (its cell is tagged ``report-hide``).

Examples
--------
>>> from creditkit.datasets import example_portfolio
>>> view = driver_explorer(example_portfolio(), as_of="2025-06-30", previous="2025-05-31",
...                        dimensions=("kind",), lang="en")
>>> view.dimension.value, view.measure.value, list(view.drivers_.columns)[:1]
('kind', 'dpd30', ['driver_segment'])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as w
import pandas as pd

from creditkit.aging import bill_aging
from creditkit.aging.headline import delinquency, headline_currency
from creditkit.checks import check_as_of, check_date, check_lang
from creditkit.display.widgets import widget_table_html
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.labels import label
from creditkit.review.drivers import MEASURES, driver_table, share_drivers_from_aging

__all__ = ["driver_explorer"]


def _dimensions(tables: Mapping[str, pd.DataFrame], dimensions: Sequence[str],
                segments: Mapping[str, pd.Series] | None) -> dict[str, pd.Series]:
    out: dict[str, pd.Series] = {}
    customers = tables.get("customers")
    for dim in dimensions:
        if not isinstance(customers, pd.DataFrame) or dim not in customers.columns:
            have = [] if customers is None else list(customers.columns)
            raise SchemaError(f"customers has no column {dim!r} (it has {have}); pass "
                              "dimensions that are customers columns, e.g. ('region', "
                              "'industry')")
        out[dim] = customers.set_index("customer_id")[dim]
    for name, series in (segments or {}).items():
        if not isinstance(series, pd.Series):
            raise ParameterError(f"segments[{name!r}] must be a Series customer_id -> segment "
                                 f"(e.g. tiers), got {type(series).__name__}")
        out[str(name)] = series
    if not out:
        raise ParameterError("driver_explorer needs at least one dimension or segment")
    return out


def driver_explorer(tables: Mapping[str, pd.DataFrame], *, as_of: Any, previous: Any,
                    dimensions: Sequence[str] = ("region", "industry", "kind"),
                    segments: Mapping[str, pd.Series] | None = None, lang: str = "zh",
                    currency: str | None = None, mode: str = "fifo", top: int = 20) -> w.VBox:
    """Pick a dimension and a late share; see which segments moved it between two dates.

    Parameters
    ----------
    tables : mapping of DataFrame
        Canonical ``customers``, ``bills``, ``payments``.
    as_of, previous : date-like
        The review date and the date compared with.
    dimensions : sequence of str
        Customers columns offered (``region``, ``industry``, ``kind``...).
    segments : mapping of str to Series, optional
        More ways to split, each customer_id -> segment (``{"tier": tiers}``).
    lang : {"zh", "en"}
    currency : str, optional
        Default the currency with the largest outstanding at ``as_of``.
    mode : {"fifo", "explicit"}
    top : int, default 20
        Segments shown.

    Returns
    -------
    ipywidgets.VBox
        With ``dimension`` and ``measure`` (Dropdowns), ``table`` (HTML) and
        ``drivers_`` (the driver table shown).

    Raises
    ------
    ParameterError, SchemaError
        Unknown dimension, bad dates or ``lang``.

    Examples
    --------
    >>> from creditkit.datasets import example_portfolio
    >>> view = driver_explorer(example_portfolio(), as_of="2025-06-30",
    ...                        previous="2025-05-31", dimensions=("kind",), lang="en")
    >>> view.measure.value = "past_due"; view.drivers_.attrs["measure"]
    'past_due'
    """
    lang = check_lang(lang)
    at, before = check_as_of(as_of), check_date(previous, "previous")
    if before >= at:
        raise ParameterError(f"previous ({before.date()}) must be before as_of ({at.date()})")
    splits = _dimensions(tables, dimensions, segments)
    now = bill_aging(tables["bills"], tables["payments"], as_of=at, mode=mode)
    then = bill_aging(tables["bills"], tables["payments"], as_of=before, mode=mode)
    cur = headline_currency(delinquency(now), currency)
    now, then = now.loc[now["currency"] == cur], then.loc[then["currency"] == cur]

    dim = w.Dropdown(options=[(label(d, lang), d) for d in splits], value=next(iter(splits)),
                     description=label("driver_dimension", lang),
                     tooltip=label("driver_dimension_tip", lang))
    measure = w.Dropdown(options=[(label(f"{m}_share", lang), m) for m in MEASURES],
                         value="dpd30", description=label("driver_measure", lang),
                         tooltip=label("driver_measure_tip", lang))
    table = w.HTML(tooltip="")
    box = w.VBox([dim, measure, table])
    box.add_class("ck-driver-explorer")
    box.dimension, box.measure, box.table = dim, measure, table

    def render(_: object = None) -> None:
        d = share_drivers_from_aging(then, now, splits[dim.value], measure=measure.value)
        d.attrs["currency"] = cur
        box.drivers_ = d
        note = label("driver_total", lang).format(a=f"{d.attrs['share_previous']:.1%}",
                                                  b=f"{d.attrs['share']:.1%}")
        table.value = widget_table_html(driver_table(d, lang=lang, top=top), lang=lang,
                                        values=["driver_segment"], note=note)

    dim.observe(render, names="value")
    measure.observe(render, names="value")
    render()
    return box
