"""Value segments (客户价值分层): RFM on consumption, rule-based segments, k-means by silhouette.

- :func:`rfm_table`: per customer, from the transactions known at ``as_of``
  in a trailing window: **recency** (days since the last transaction),
  **frequency** (transactions) and **monetary** (their net amount, minor
  units, in the customer's own currency). Each customer from their own rows.
- :func:`rfm_scores`: scores 1 (worst) … ``bins`` (best) per dimension, by
  quantiles of the book or by fixed cut-offs the analyst sets.
- :func:`value_segments`: ``high_value`` / ``potential`` / ``ordinary``
  (高价值 / 潜力 / 普通) by a rule table read by :mod:`creditkit.rules`
  (shipped default ``creditkit/segmentation/data/value_rules.csv``).
- :class:`creditkit.segmentation.kmeans.RFMKMeans`: k-means on the
  standardised RFM, ``k`` chosen by silhouette (its own module).
- :func:`tier_value_cross`: credit tier × value segment, and
  :func:`value_at_risk`: the valuable customers in a risky tier, named.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"txn_id": ["1", "2", "3"], "customer_id": ["a", "a", "b"],
...     "txn_date": pd.to_datetime(["2025-05-01", "2025-06-20", "2025-01-10"]),
...     "amount_minor": [1000, 500, 9000], "currency": ["CNY"] * 3})
>>> rfm_table(t, as_of="2025-06-30")[["customer_id", "recency_days", "frequency",
...                                   "monetary_minor"]].values.tolist()
[['a', 10, 2, 1500], ['b', 171, 1, 9000]]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from creditkit.checks import check_as_of, check_lang
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.labels import label
from creditkit.rules import RuleSchema, RuleSet, first_match, load_rules, shipped_rules_path
from creditkit.segmentation.tiers import TIERS

__all__ = [
    "RFM_COLUMNS",
    "VALUE_SCHEMA",
    "VALUE_SEGMENTS",
    "load_value_rules",
    "rfm_scores",
    "rfm_table",
    "segment_label",
    "tier_value_cross",
    "value_at_risk",
    "value_segments",
]

#: The RFM measures; a score column ``<name>_score`` each.
RFM_COLUMNS: tuple[str, ...] = ("recency_days", "frequency", "monetary_minor")
#: Value segments, best first (高价值, 潜力, 普通).
VALUE_SEGMENTS: tuple[str, ...] = ("high_value", "potential", "ordinary")

_SCORES = {f"{c}_score": "number" for c in RFM_COLUMNS}
#: What a value rule may say: a segment; conditions on the RFM measures and scores.
VALUE_SCHEMA = RuleSchema(
    "value rules", outputs={"segment": VALUE_SEGMENTS, "description_zh": None,
                            "description_en": None},
    required=("segment",), catch_all_last=True,
    fields={"recency_days": "number", "frequency": "number", "monetary_minor": "number",
            **_SCORES})


def _months_back(day: pd.Timestamp, months: int) -> pd.Timestamp:
    return day - pd.DateOffset(months=months)


def rfm_table(transactions: pd.DataFrame, *, as_of: object,
              customers: pd.DataFrame | None = None, window_months: int | None = 12,
              ) -> pd.DataFrame:
    """Recency, frequency and monetary value per customer at ``as_of``.

    Parameters
    ----------
    transactions : DataFrame
        ``customer_id``, ``txn_date``, ``amount_minor``, ``currency`` (a
        refund is a negative amount; monetary is net).
    as_of : date-like
        Transactions after it have not happened yet.
    customers : DataFrame, optional
        ``customer_id`` (and ``currency``, ``open_date``): every customer on
        file at ``as_of`` gets a row (no transaction: recency missing,
        frequency and monetary 0), and only transactions in the customer's
        own currency count. Without it, a customer buying in two currencies
        is refused.
    window_months : int or None, default 12
        Transactions in (``as_of`` − window, ``as_of``]; ``None``: all history.

    Returns
    -------
    DataFrame
        Sorted by customer_id: ``customer_id``, ``recency_days`` (Int64),
        ``frequency`` (int64), ``monetary_minor`` (int64), ``currency``.

    Raises
    ------
    SchemaError
        A required column is missing; several currencies for one customer
        without ``customers``.
    ParameterError
        Bad ``as_of`` or ``window_months``.

    Examples
    --------
    >>> t = pd.DataFrame({"customer_id": ["a"], "txn_date": pd.to_datetime(["2024-01-01"]),
    ...                   "amount_minor": [100], "currency": ["CNY"]})
    >>> c = pd.DataFrame({"customer_id": ["a", "b"], "currency": ["CNY", "CNY"]})
    >>> rfm_table(t, as_of="2025-06-30", customers=c)["frequency"].tolist()
    [0, 0]
    """
    day = check_as_of(as_of)
    need = ["customer_id", "txn_date", "amount_minor", "currency"]
    if not isinstance(transactions, pd.DataFrame):
        raise SchemaError(f"transactions must be a DataFrame with {need}; got "
                          f"{type(transactions).__name__}")
    missing = [c for c in need if c not in transactions.columns]
    if missing:
        raise SchemaError(f"transactions lack column(s) {missing}; got "
                          f"{list(transactions.columns)}; rename yours (see creditkit.schema)")
    if window_months is not None and (isinstance(window_months, bool) or not isinstance(
            window_months, int | np.integer) or window_months < 1):
        raise ParameterError(f"window_months must be a whole number of months >= 1 or None; "
                             f"got {window_months!r}")
    t = transactions[need]
    dates = pd.to_datetime(t["txn_date"])
    keep = (dates <= day).to_numpy().copy()
    if window_months is not None:
        keep &= (dates > _months_back(day, int(window_months))).to_numpy()
    t = t.loc[keep]
    own = None
    if customers is not None:
        if not isinstance(customers, pd.DataFrame) or "customer_id" not in customers.columns:
            raise SchemaError("customers must be a DataFrame with customer_id (and currency)")
        cust = customers.drop_duplicates("customer_id")
        if "open_date" in cust.columns:
            cust = cust.loc[(pd.to_datetime(cust["open_date"]) <= day).fillna(True).to_numpy()]
        if "currency" in cust.columns:
            own = cust.set_index("customer_id")["currency"]
            mine = t["currency"].to_numpy() == own.reindex(t["customer_id"]).to_numpy()
            t = t.loc[mine | own.reindex(t["customer_id"]).isna().to_numpy()]
    grouped = t.assign(txn_date=pd.to_datetime(t["txn_date"])).groupby("customer_id")
    n_cur = grouped["currency"].nunique()
    if (n_cur > 1).any():
        raise SchemaError(f"customer(s) {n_cur[n_cur > 1].index[:5].tolist()} buy in several "
                          "currencies; pass customers= so that only their own currency counts")
    out = pd.DataFrame({"last": grouped["txn_date"].max(), "frequency": grouped.size(),
                        "monetary_minor": grouped["amount_minor"].sum(),
                        "currency": grouped["currency"].first()})
    if customers is not None:
        out = out.reindex(pd.Index(cust["customer_id"], name="customer_id"))
        if own is not None:
            out["currency"] = out["currency"].fillna(own.reindex(out.index))
    out = out.sort_index()
    recency = (day - out["last"]).dt.days
    return pd.DataFrame({
        "customer_id": out.index.to_numpy(dtype=object),
        "recency_days": pd.array(recency.to_numpy(), dtype="Int64"),
        "frequency": out["frequency"].fillna(0).to_numpy(dtype=np.int64),
        "monetary_minor": out["monetary_minor"].fillna(0).to_numpy(dtype=np.int64),
        "currency": out["currency"].astype("string").to_numpy()})


def _score(values: pd.Series, *, bins: int, cutoffs: Sequence[float] | None,
           lower_is_better: bool, name: str) -> pd.Series:
    """1 (worst) … bins (best); missing stays missing."""
    x = values.astype("float64")
    if cutoffs is not None:
        edges = np.asarray(list(cutoffs), dtype="float64")
        if edges.ndim != 1 or len(edges) < 1 or np.any(np.diff(edges) <= 0):
            raise ParameterError(f"cutoffs of {name} must be increasing numbers; got "
                                 f"{list(cutoffs)}")
        pos = np.searchsorted(edges, x.to_numpy(), side="right")  # 0 … len(edges)
        k = len(edges) + 1
    else:
        # ranks first, so that ties share a score and a lumpy measure still gets every bin
        pos = np.floor(x.rank(pct=True, method="average").to_numpy() * bins - 1e-9)
        k = bins
    score = ((k - pos) if lower_is_better else (pos + 1)).astype("float64")
    score[x.isna().to_numpy()] = np.nan
    return pd.Series(pd.array(score, dtype="Int64"), index=values.index)


def rfm_scores(rfm: pd.DataFrame, *, method: str = "quantile", bins: int = 5,
               cutoffs: Mapping[str, Sequence[float]] | None = None) -> pd.DataFrame:
    """Add ``recency_days_score``, ``frequency_score``, ``monetary_minor_score`` (higher = better).

    Parameters
    ----------
    rfm : DataFrame
        As :func:`rfm_table`.
    method : {"quantile", "fixed"}, default "quantile"
        ``quantile``: ``bins`` equal shares of the book (ranks, ties shared);
        ``fixed``: the analyst's ``cutoffs``.
    bins : int, default 5
        Scores 1 … bins (quantile method).
    cutoffs : mapping, required for ``fixed``
        Increasing edges per measure (``recency_days``, ``frequency``,
        ``monetary_minor``); a value equal to an edge goes above it. Recency
        scores in reverse (fewer days is better).

    Returns
    -------
    DataFrame
        A copy of ``rfm`` with the three score columns (Int64; missing when
        the customer has no transaction: recency is unknown).

    Examples
    --------
    >>> rfm = pd.DataFrame({"customer_id": list("abcd"), "recency_days": [5, 40, 200, None],
    ...                     "frequency": [9, 3, 1, 0], "monetary_minor": [900, 300, 100, 0]})
    >>> cut = {"recency_days": [30, 90], "frequency": [2, 5], "monetary_minor": [200, 500]}
    >>> rfm_scores(rfm, method="fixed", cutoffs=cut)["recency_days_score"].tolist()
    [3, 2, 1, <NA>]
    """
    if not isinstance(rfm, pd.DataFrame) or not set(RFM_COLUMNS) <= set(rfm.columns):
        raise ParameterError(f"rfm must be a DataFrame with {list(RFM_COLUMNS)}, as rfm_table "
                             "returns")
    if method not in ("quantile", "fixed"):
        raise ParameterError(f"method must be 'quantile' or 'fixed'; got {method!r}")
    if isinstance(bins, bool) or not isinstance(bins, int | np.integer) or not 2 <= bins <= 10:
        raise ParameterError(f"bins must be a whole number from 2 to 10; got {bins!r}")
    if method == "fixed" and (not isinstance(cutoffs, Mapping)
                              or set(cutoffs) != set(RFM_COLUMNS)):
        got = sorted(cutoffs) if isinstance(cutoffs, Mapping) else cutoffs
        raise ParameterError(f"method='fixed' needs cutoffs for exactly {list(RFM_COLUMNS)}; "
                             f"got {got}")
    out = rfm.copy()
    for col in RFM_COLUMNS:
        out[f"{col}_score"] = _score(out[col], bins=bins,
                                     cutoffs=None if method == "quantile" else cutoffs[col],
                                     lower_is_better=col == "recency_days", name=col)
    return out


def segment_label(segment: str, lang: str = "zh") -> str:
    """The label of a value segment in the report language.

    Examples
    --------
    >>> segment_label("high_value", "zh"), segment_label("potential", "en")
    ('高价值', 'Potential')
    """
    check_lang(lang)
    if segment not in VALUE_SEGMENTS:
        raise ParameterError(f"unknown value segment {segment!r}; they are {list(VALUE_SEGMENTS)}")
    return label(f"segment_{segment}", lang)


def load_value_rules(source: Any = None) -> RuleSet:
    """The value-segment rules (default: the shipped ``value_rules.csv``).

    Examples
    --------
    >>> [r.outputs["segment"] for r in load_value_rules().rules]
    ['high_value', 'potential', 'ordinary']
    """
    if source is None:
        source = shipped_rules_path("creditkit.segmentation", "value_rules.csv")
    return load_rules(source, VALUE_SCHEMA)


def value_segments(rfm: pd.DataFrame, rules: Any = None) -> pd.DataFrame:
    """The value segment of each customer by the value rules (first match wins).

    Parameters
    ----------
    rfm : DataFrame
        As :func:`rfm_scores` (measures and scores).
    rules : RuleSet, path, DataFrame or list, optional
        Default: the shipped ``value_rules.csv``.

    Returns
    -------
    DataFrame
        ``customer_id``, ``segment``, ``rule_id``, ``values_seen``.

    Examples
    --------
    >>> rfm = pd.DataFrame({"customer_id": ["a", "b"], "recency_days": [3, 300],
    ...     "frequency": [20, 1], "monetary_minor": [10**6, 10],
    ...     "recency_days_score": [5, 1], "frequency_score": [5, 1],
    ...     "monetary_minor_score": [5, 1]})
    >>> value_segments(rfm)["segment"].tolist()
    ['high_value', 'ordinary']
    """
    ruleset = load_value_rules(rules)
    if not isinstance(rfm, pd.DataFrame) or "customer_id" not in rfm.columns:
        raise ParameterError("rfm must be a DataFrame with customer_id, as rfm_scores returns")
    return first_match(rfm, ruleset)[["customer_id", "segment", "rule_id", "values_seen"]]


def tier_value_cross(tiers: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """Customers per credit tier (rows, best first) × value segment (columns, best first).

    Examples
    --------
    >>> t = pd.DataFrame({"customer_id": ["a", "b"], "tier": ["prime", "high_risk"]})
    >>> s = pd.DataFrame({"customer_id": ["a", "b"], "segment": ["ordinary", "high_value"]})
    >>> int(tier_value_cross(t, s).loc["high_risk", "high_value"])
    1
    """
    both = _joined(tiers, segments)
    table = pd.crosstab(both["tier"], both["segment"])
    return table.reindex(index=list(TIERS), columns=list(VALUE_SEGMENTS), fill_value=0) \
        .astype("int64").rename_axis(index="tier", columns="segment")


def value_at_risk(tiers: pd.DataFrame, segments: pd.DataFrame, *,
                  tiers_at_risk: Sequence[str] = ("high_risk", "restricted"),
                  segment: str = "high_value") -> pd.DataFrame:
    """The customers of a value segment in a risky tier, with the tier's rule: the case to name.

    Examples
    --------
    >>> t = pd.DataFrame({"customer_id": ["a", "b"], "tier": ["prime", "high_risk"],
    ...                   "rule_id": ["prime", "high_risk_dpd_30"]})
    >>> s = pd.DataFrame({"customer_id": ["a", "b"], "segment": ["high_value", "high_value"]})
    >>> value_at_risk(t, s)["customer_id"].tolist()
    ['b']
    """
    bad = sorted(set(tiers_at_risk) - set(TIERS))
    if bad or segment not in VALUE_SEGMENTS:
        raise ParameterError(f"tiers_at_risk must be among {list(TIERS)} and segment one of "
                             f"{list(VALUE_SEGMENTS)}; got {bad or segment!r}")
    both = _joined(tiers, segments)
    pick = both["tier"].isin(list(tiers_at_risk)) & (both["segment"] == segment)
    return both.loc[pick.to_numpy()].reset_index(drop=True)


def _joined(tiers: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    for frame, name, col in ((tiers, "tiers", "tier"), (segments, "segments", "segment")):
        if not isinstance(frame, pd.DataFrame) or not {"customer_id", col} <= set(frame.columns):
            raise ParameterError(f"{name} must be a DataFrame with customer_id and {col}")
    keep = [c for c in ("customer_id", "tier", "rule_id", "values_seen") if c in tiers.columns]
    both = tiers[keep].merge(segments[["customer_id", "segment"]], on="customer_id",
                             how="outer", indicator=True)
    lost = both["_merge"] != "both"
    if lost.any():
        raise ParameterError(f"{int(lost.sum())} customer(s) have a tier or a segment but not "
                             f"both (e.g. {both.loc[lost, 'customer_id'].iloc[:3].tolist()}); "
                             "compute both on the same customers and date")
    return both.drop(columns="_merge").astype({"tier": object, "segment": object})
