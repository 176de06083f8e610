"""Live view of credit tiers: pick a tier, see its customers, the rule that placed each and why.

Like every widget of creditkit, the view only filters the tables handed in and
sets widget traits (``Dropdown.options``, ``HTML.value``), so it works headless
and is tested without a browser. Reports leave it out (its cell is tagged
``report-hide``): widgets need require.js and a CDN, which offline HTML lacks.
Controls are named and explained (tooltips) from the label table in the view's
language; the customers are shown through
:func:`creditkit.display.widgets.widget_table_html`, like a report's tables.
Names are masked (:func:`creditkit.privacy.mask_pii`) before they are shown.

Examples
--------
>>> import pandas as pd
>>> from creditkit.segmentation import assign_tiers
>>> f = pd.DataFrame({"customer_id": ["a", "b"], "written_off_minor": [0, 0],
...     "dpd": [95, 0], "worst_dpd_12m": [95, 0], "scorecard": ["C", "B"], "pd": [0.9, 0.02],
...     "utilisation": [1.0, 0.5], "broken_promises": [None, None]})
>>> view = tier_explorer(assign_tiers(f), f, lang="en")
>>> view.tier.value, view.selected_["customer_id"].tolist()
('prime', ['b'])
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np
import pandas as pd

from creditkit.checks import check_lang
from creditkit.display.widgets import widget_table_html
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.privacy import mask_pii
from creditkit.segmentation.plots import tier_text
from creditkit.segmentation.review_tables import values_text
from creditkit.segmentation.tiers import TIERS

__all__ = ["SHOWN_FEATURES", "tier_explorer"]

#: Feature columns shown beside each customer when the features are handed in (those present).
SHOWN_FEATURES: tuple[str, ...] = ("outstanding_minor", "currency", "dpd", "worst_dpd_12m",
                                   "utilisation", "scorecard", "pd", "score_band")
_TIERS_NEEDED = ["customer_id", "tier", "rule_id", "values_seen"]
_SEARCHED = ("customer_id", "name", "rule_id", "values_seen", "description")


def _prepare(tiers: object, features: object, customers: object, lang: str) -> pd.DataFrame:
    """One row per tiered customer: id, (masked name), rule, description, values, features."""
    if not isinstance(tiers, pd.DataFrame):
        raise ParameterError(f"tier_explorer needs the tiers of assign_tiers, got "
                             f"{type(tiers).__name__}")
    missing = [c for c in _TIERS_NEEDED if c not in tiers.columns]
    if missing:
        raise ParameterError(f"tiers lack column(s) {missing}; pass "
                             "creditkit.segmentation.assign_tiers(features)")
    dup = tiers["customer_id"].duplicated()
    if dup.any():
        raise ParameterError(f"tiers repeat customer(s) "
                             f"{tiers['customer_id'][dup].unique()[:5].tolist()}; one row per "
                             "customer (assign_tiers at one as_of)")
    bad = ~tiers["tier"].isin(TIERS)
    if bad.any():
        raise ParameterError(f"tiers hold tier(s) {sorted(map(str, tiers['tier'][bad].unique()))}"
                             f" not in {list(TIERS)}")
    rows = tiers[_TIERS_NEEDED].astype({"customer_id": object}).reset_index(drop=True)
    desc = f"description_{lang}"
    rows.insert(4, "description", tiers[desc].to_numpy() if desc in tiers.columns else "")
    if customers is not None:
        if not isinstance(customers, pd.DataFrame) or not {"customer_id", "name"} <= set(
                customers.columns):
            raise ParameterError("customers must be a DataFrame with customer_id and name (the "
                                 "customers table)")
        names = mask_pii(customers[["customer_id", "name"]].drop_duplicates("customer_id"),
                         "customers")
        rows.insert(1, "name", names.set_index("customer_id")["name"]
                    .reindex(rows["customer_id"]).to_numpy())
    if features is not None:
        if not isinstance(features, pd.DataFrame) or "customer_id" not in features.columns:
            raise ParameterError("features must be a DataFrame with customer_id, as "
                                 "customer_features returns (the frame the tiers came from)")
        if features["customer_id"].duplicated().any():
            raise ParameterError("features repeat a customer; pass customer_features at the "
                                 "tiers' as_of (one row per customer)")
        cols = [c for c in SHOWN_FEATURES if c in features.columns]
        extra = features.set_index("customer_id")[cols].reindex(rows["customer_id"])
        rows = pd.concat([rows, extra.reset_index(drop=True)], axis=1)
        if "outstanding_minor" in rows.columns:  # largest balance first: who matters most
            rows = rows.sort_values(["outstanding_minor", "customer_id"],
                                    ascending=[False, True], kind="stable", na_position="last")
    return rows.reset_index(drop=True)


def tier_explorer(
    tiers: pd.DataFrame,
    features: pd.DataFrame | None = None,
    *,
    customers: pd.DataFrame | None = None,
    lang: str = "zh",
    tier: str | None = None,
    max_rows: int = 20,
) -> w.VBox:
    """Pick a tier and see its customers, the rule that placed each and the values it saw.

    The tier list gives each tier's customers; picking a tier lists them
    (largest outstanding first when the features are given), with the rule
    that placed each, its description in ``lang`` and the values the rule saw
    (``dpd=45; worst_dpd_12m=60``). The rule list narrows the tier to the
    customers one rule placed; the filter keeps the rows whose id, name, rule
    or values contain a text; the slider turns the pages.

    Parameters
    ----------
    tiers : DataFrame
        From :func:`creditkit.segmentation.assign_tiers`.
    features : DataFrame, optional
        From :func:`creditkit.segmentation.customer_features` at the same
        date: the columns of :data:`SHOWN_FEATURES` present are shown beside
        each customer.
    customers : DataFrame, optional
        The customers table (``customer_id``, ``name``): names are shown,
        masked.
    lang : {"zh", "en"}
    tier : str, optional
        The tier shown first (default: the best tier with customers).
    max_rows : int, default 20
        Customers per page.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``tier`` (Dropdown), ``rule`` (Dropdown, ``""`` = all
        rules), ``filter`` (Text), ``page`` (IntSlider), ``table`` (HTML) and
        ``selected_`` (the rows the controls select, every page).

    Raises
    ------
    ParameterError
        Tiers or features not as returned by their functions, a repeated
        customer, an unknown tier, ``max_rows`` not positive, unknown ``lang``.

    Examples
    --------
    >>> t = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...     "tier": ["high_risk", "high_risk", "prime"],
    ...     "rule_id": ["high_risk_dpd_30", "high_risk_history", "prime"],
    ...     "values_seen": ["dpd=41", "worst_dpd_12m=75", "pd=0.01"]})
    >>> view = tier_explorer(t, lang="en", tier="high_risk")
    >>> [o[0] for o in view.tier.options]
    ['Prime · 1', 'Standard · 0', 'High risk · 2', 'Restricted · 0']
    >>> view.rule.value = "high_risk_history"; view.selected_["values_seen"].tolist()
    ['worst_dpd_12m=75']
    >>> "High risk: 1 customer(s)" in view.table.value
    True
    """
    check_lang(lang)
    if not isinstance(max_rows, int) or isinstance(max_rows, bool) or max_rows < 1:
        raise ParameterError(f"max_rows must be a positive int, got {max_rows!r}")
    rows = _prepare(tiers, features, customers, lang)
    counts = rows["tier"].value_counts().reindex(list(TIERS), fill_value=0)
    # amounts a rule saw are written as money when the book has one currency
    currency = rows["currency"].dropna().unique() if "currency" in rows.columns else []
    currency = str(currency[0]) if len(currency) == 1 else None
    if tier is None:
        tier = next((t for t in TIERS if counts[t]), TIERS[0])
    elif tier not in TIERS:
        raise ParameterError(f"tier must be one of {list(TIERS)}; got {tier!r}")
    # every searched column as lower-case text once, so a keystroke is one vectorised search
    searched = [rows[c].astype("str").str.lower() for c in _SEARCHED if c in rows.columns]

    picker = w.Dropdown(options=[(f"{tier_text(t, lang)} · {int(counts[t]):,}", t)
                                 for t in TIERS], value=tier,
                        description=label("tier", lang), tooltip=label("tier_pick_tip", lang))
    rule = w.Dropdown(options=[(label("all_rules", lang), "")], value="",
                      description=label("rule_id", lang), tooltip=label("tier_rule_tip", lang),
                      layout=w.Layout(width="70%"))
    text = w.Text(value="", placeholder=label("filter_hint", lang),
                  description=label("filter", lang), tooltip=label("filter_tip", lang))
    page = w.IntSlider(value=1, min=1, max=1, description=label("page", lang),
                       tooltip=label("page_tip", lang).format(n=max_rows))
    table = w.HTML(tooltip="")
    box = w.VBox([picker, rule, text, page, table])
    box.add_class("ck-tier-explorer")  # found by the JupyterLab test whatever the language
    box.tier, box.rule, box.filter, box.page, box.table = picker, rule, text, page, table
    box.selected_ = rows.iloc[:0]

    def select() -> pd.DataFrame:
        keep = (rows["tier"] == picker.value).to_numpy().copy()
        if rule.value:
            keep &= (rows["rule_id"] == rule.value).to_numpy()
        needle = text.value.strip().lower()
        if needle:
            hit = np.zeros(len(rows), dtype=bool)
            for cells in searched:
                hit |= cells.str.contains(needle, regex=False, na=False).to_numpy(dtype=bool)
            keep &= hit
        return rows.loc[keep]

    def render(_: object = None) -> None:
        chosen = select()
        box.selected_ = chosen
        pages = max(1, -(-len(chosen) // max_rows))
        if page.max != pages:
            page.max = pages
        at = min(page.value, pages)
        start = (at - 1) * max_rows
        note = label("tier_explorer_summary", lang).format(
            tier=tier_text(picker.value, lang), n=f"{len(chosen):,}") + " · " + label(
            "page_of", lang).format(page=at, pages=pages, rows=f"{len(chosen):,}")
        shown = chosen.iloc[start:start + max_rows].drop(columns="tier")
        # the rule told in the view's language: its description (the id only without one),
        # and the fields it read by their labels
        if shown["description"].astype("string").fillna("").ne("").all():
            shown = shown.drop(columns="rule_id")
        shown["values_seen"] = values_text(shown["values_seen"], lang,
                                           currency=currency).to_numpy()
        table.value = widget_table_html(shown, lang=lang, max_rows=max_rows, note=note)

    def to_first_page(_: object = None) -> None:
        if page.value != 1:
            page.value = 1  # renders
        else:
            render()

    def on_tier(_: object = None) -> None:
        mine = rows.loc[rows["tier"] == picker.value]
        per_rule = mine.groupby("rule_id", sort=False).agg(
            n=("customer_id", "size"), description=("description", "first"))
        options = [(label("all_rules", lang), "")]
        for rid, n, desc in per_rule.itertuples():
            shown = (f"{desc} · {int(n):,}" if isinstance(desc, str) and desc
                     else f"{rid} · {int(n):,}")
            options.append((shown, rid))
        with rule.hold_trait_notifications():
            rule.options = options
            rule.value = ""
        to_first_page()

    picker.observe(on_tier, names="value")
    rule.observe(to_first_page, names="value")
    text.observe(to_first_page, names="value")
    page.observe(render, names="value")
    on_tier()
    return box
