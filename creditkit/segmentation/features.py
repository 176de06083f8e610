"""Customer features at a date: what tier, tag, alert and restriction rules read, in one call.

Each column comes from its owner, nothing is recomputed here:

- the score today (``scorecard``, ``points``, ``pd``) from
  :func:`creditkit.behaviour.current_scores` (B card, or C card when past
  due), and ``score_band``, the grade of the points in the limit policy of
  the customer's kind (:func:`creditkit.scoring.assign_grades`);
- the balance today (``dpd``, ``outstanding_minor``, ``past_due_minor``,
  ``net_balance_minor``, ``written_off_minor``) from
  :func:`creditkit.aging.customer_aging` at ``as_of``;
- the history (``worst_dpd_{w}m`` for 3, 6 and 12 months up to
  ``history_months``, ``months_delinquent_{w}m``), ``months_on_book``,
  ``utilisation``, ``auto_debit_share``, ``n_channels``, ``active_plans`` and
  ``spend_trend`` from :func:`creditkit.behaviour.behaviour_features`, whose
  month-end states are one :func:`creditkit.aging.aging_at_dates` call.

``broken_promises`` counts the customer's promises to pay (the optional
``promises`` table) whose ``pay_by`` fell in the last ``history_months``
months and that were broken, judged at ``as_of`` by
:func:`creditkit.collections.promise_outcomes` (the dunning run's rule).
Without a ``promises`` table it is missing (``<NA>``) for everyone: nobody
recorded promises, so a rule on it matches no one (a missing value satisfies
no condition) rather than reading "no promise broken".

Examples
--------
>>> feature_fields()["dpd"], feature_fields()["industry"]
('number', 'text')
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from creditkit.aging import customer_aging
from creditkit.behaviour import behaviour_features, card_windows, current_scores, shipped_cards
from creditkit.checks import check_as_of
from creditkit.collections.promises import promise_outcomes
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.scoring import assign_grades, load_policy

__all__ = ["HISTORY_WINDOWS", "customer_features", "feature_fields"]

#: The history windows (months) of the worst-dpd columns, cut at ``history_months``.
HISTORY_WINDOWS: tuple[int, ...] = (3, 6, 12)

_STATIC = {"customer_id": "text", "kind": "text", "region": "text", "industry": "text",
           "currency": "text", "external_rating": "text", "months_on_book": "number",
           "scorecard": "text", "points": "number", "pd": "number", "score_band": "text",
           "dpd": "number", "outstanding_minor": "number", "past_due_minor": "number",
           "net_balance_minor": "number", "written_off_minor": "number",
           "has_write_off": "flag", "outstanding_other_currency": "flag",
           "credit_limit_minor": "number", "utilisation": "number",
           "auto_debit_share": "number", "n_channels": "number", "active_plans": "number",
           "spend_trend": "number", "broken_promises": "number"}


def feature_fields(history_months: int = 24) -> dict[str, str]:
    """Every column of :func:`customer_features` a rule may read, with what it holds.

    Parameters
    ----------
    history_months : int, default 24
        Window columns (``worst_dpd_{w}m``, ``months_delinquent_{w}m``) are
        listed for every ``w`` from 1 to this.

    Returns
    -------
    dict
        Column name to ``"number"``, ``"text"`` or ``"flag"``.

    Examples
    --------
    >>> "worst_dpd_12m" in feature_fields(), "worst_dpd_13m" in feature_fields(12)
    (True, False)
    """
    out = dict(_STATIC)
    for w in range(1, history_months + 1):
        out[f"worst_dpd_{w}m"] = "number"
        out[f"months_delinquent_{w}m"] = "number"
    return out


def _windows(history_months: object) -> tuple[int, ...]:
    if isinstance(history_months, bool) or not isinstance(history_months, int | np.integer) \
            or not 1 <= int(history_months) <= 24:
        raise ParameterError(f"history_months must be a whole number of months from 1 to 24; "
                             f"got {history_months!r}; the default is 12")
    h = int(history_months)
    return tuple(sorted({w for w in HISTORY_WINDOWS if w < h} | {h}))


def _given_behaviour(behaviour: object, day: pd.Timestamp,
                     wins: tuple[int, ...]) -> pd.DataFrame:
    """Behaviour features handed in: at ``day``, with the windows' columns."""
    need = ["customer_id", "as_of", *(f"worst_dpd_{w}m" for w in wins),
            *(f"months_delinquent_{w}m" for w in wins)]
    if not isinstance(behaviour, pd.DataFrame) or any(c not in behaviour.columns for c in need):
        raise ParameterError(f"behaviour must be behaviour_features at as_of with the windows "
                             f"{list(wins)} (columns {need}); pass None to build them")
    dates = pd.to_datetime(behaviour["as_of"]).unique()
    if len(dates) > 1 or (len(dates) == 1 and pd.Timestamp(dates[0]) != day):
        shown = [str(pd.Timestamp(d).date()) for d in dates[:3]]
        raise ParameterError(f"behaviour holds the date(s) {shown}, not as_of {day.date()}; "
                             "pass the rows of as_of only")
    return behaviour.reset_index(drop=True)


def _score_bands(points: pd.Series, kinds: pd.Series) -> pd.Series:
    """The policy grade of each customer's points, per customer kind (missing when unknown)."""
    policy = load_policy()
    band = pd.Series(pd.NA, index=points.index, dtype="string")
    for kind in policy["kind"].unique():
        rows = (kinds == kind).fillna(False).to_numpy(dtype=bool) & points.notna().to_numpy()
        if rows.any():
            band[rows] = assign_grades(points[rows].to_numpy(), kind, policy).to_numpy()
    return band


def _aging(tables: Mapping[str, pd.DataFrame], as_of: pd.Timestamp,
           currency: pd.Series) -> pd.DataFrame:
    """Today's balance per customer in its own currency; worst dpd over every currency."""
    ag = customer_aging(tables["bills"], tables["payments"], as_of=as_of)
    own = currency.reindex(ag["customer_id"]).to_numpy()
    mine = pd.isna(own) | (ag["currency"].to_numpy() == own)
    cols = ["outstanding_minor", "past_due_minor", "net_balance_minor", "written_off_minor"]
    money = ag.loc[mine].groupby("customer_id")[cols].sum()
    other = ag.loc[~mine & (ag["outstanding_minor"] != 0).to_numpy()]
    out = ag.groupby("customer_id").agg(dpd=("worst_dpd", "max"))
    out = out.join(money).fillna(0).astype("int64")
    out["outstanding_other_currency"] = out.index.isin(other["customer_id"])
    if len(other):
        warnings.warn(f"{other['customer_id'].nunique()} customer(s) owe in a currency other "
                      "than their own (customers.currency); outstanding_minor counts their own "
                      "currency only and outstanding_other_currency flags them", stacklevel=3)
    return out


def customer_features(tables: Mapping[str, pd.DataFrame], *, as_of: object,
                      cards: Mapping | None = None, history_months: int = 12,
                      behaviour: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per customer at ``as_of``: the inputs of tier, tag and alert rules.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``customers``, ``bills``, ``payments`` and optionally
        ``transactions`` and ``promises`` (promises to pay, as
        :func:`creditkit.collections.promise_outcomes` reads them), as
        :func:`creditkit.datasets.make_portfolio` returns or
        :func:`creditkit.store.load_portfolio` reads.
    as_of : date-like
        Nothing dated after it is used.
    cards : dict {"B": BehaviourCard, "C": BehaviourCard}, optional
        The cards that give the score today (default: the shipped cards).
    history_months : int, default 12
        The longest dpd history; worst dpd over 3, 6 and 12 months (those
        shorter than it) and over ``history_months``.
    behaviour : DataFrame, optional
        The behaviour features at ``as_of`` over those windows, when already
        built (one date's rows of
        :func:`creditkit.behaviour.behaviour_features_at_dates`, which a
        replay over many dates computes in one pass); built here otherwise.

    Returns
    -------
    DataFrame
        Sorted by customer_id: ``customer_id``, ``as_of``, ``kind``,
        ``region``, ``industry``, ``currency``, ``external_rating``,
        ``months_on_book``, ``scorecard``, ``points``, ``pd``, ``score_band``,
        ``dpd``, ``outstanding_minor``, ``past_due_minor``,
        ``net_balance_minor``, ``written_off_minor`` (int64, own currency),
        ``has_write_off``, ``outstanding_other_currency`` (bool),
        ``worst_dpd_{w}m``, ``months_delinquent_{w}m``,
        ``credit_limit_minor``, ``utilisation``, ``auto_debit_share``,
        ``n_channels``, ``active_plans``, ``spend_trend``,
        ``broken_promises`` (promises broken in the last ``history_months``
        months; ``<NA>`` without a ``promises`` table).
        Every customer on file at ``as_of`` has a row.

    Raises
    ------
    SchemaError
        A required table or column is missing.
    ParameterError
        Bad ``as_of`` or ``history_months``; cards of the wrong kind.

    Warns
    -----
    UserWarning
        Some customers owe in a currency other than their own.

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(200, seed=3, end="2025-06-30")
    >>> f = customer_features(book, as_of="2025-06-30")
    >>> f.columns[:4].tolist(), bool((f["worst_dpd_12m"] >= f["worst_dpd_3m"]).all())
    (['customer_id', 'as_of', 'kind', 'region'], True)
    """
    day = check_as_of(as_of)
    wins = _windows(history_months)
    for name in ("customers", "bills", "payments"):
        if not isinstance(tables, Mapping) or name not in tables:
            got = sorted(tables) if isinstance(tables, Mapping) else type(tables).__name__
            raise SchemaError(f"customer_features needs the table {name!r}; got {got}; pass the "
                              "tables of make_portfolio or load_portfolio")
    beh = behaviour_features(tables, as_of=day, windows=wins) if behaviour is None \
        else _given_behaviour(behaviour, day, wins)
    cards = shipped_cards() if cards is None else cards
    # the cards read features over their own windows: reuse ours when they are the same
    same = card_windows(cards) == tuple(wins) if isinstance(cards, Mapping) else False
    scores = current_scores(tables, as_of=day, cards=cards, features=beh if same else None)
    cust = tables["customers"].drop_duplicates("customer_id").set_index("customer_id")
    ids = beh["customer_id"]
    out = pd.DataFrame({"customer_id": ids.to_numpy(dtype=object), "as_of": beh["as_of"]})
    for col in ("kind", "region", "industry", "currency", "external_rating"):
        values = cust[col].reindex(ids) if col in cust.columns else pd.Series(pd.NA, index=ids)
        out[col] = values.astype("string").to_numpy()
    out["months_on_book"] = beh["months_on_book"].to_numpy()
    sc = scores.set_index("customer_id").reindex(ids)
    out["scorecard"] = sc["scorecard"].astype("string").to_numpy()
    out["points"] = sc["points"].to_numpy(dtype="float64")
    out["pd"] = sc["pd"].to_numpy(dtype="float64")
    out["score_band"] = _score_bands(out["points"], out["kind"]).to_numpy()
    currency = cust["currency"] if "currency" in cust.columns else pd.Series(dtype=object)
    ag = _aging(tables, day, currency).reindex(ids)
    for col in ("dpd", "outstanding_minor", "past_due_minor", "net_balance_minor",
                "written_off_minor"):
        out[col] = ag[col].fillna(0).astype("int64").to_numpy()
    out["has_write_off"] = out["written_off_minor"].to_numpy() > 0
    out["outstanding_other_currency"] = ag["outstanding_other_currency"].fillna(False) \
        .astype(bool).to_numpy()
    for w in wins:
        out[f"worst_dpd_{w}m"] = beh[f"worst_dpd_{w}m"].to_numpy()
    for w in wins:
        out[f"months_delinquent_{w}m"] = beh[f"months_delinquent_{w}m"].to_numpy()
    limit = cust["credit_limit_minor"].reindex(ids) if "credit_limit_minor" in cust.columns \
        else pd.Series(pd.NA, index=ids)
    out["credit_limit_minor"] = pd.array(limit.to_numpy(), dtype="Int64")
    for col in ("utilisation", "auto_debit_share", "n_channels", "active_plans", "spend_trend"):
        out[col] = beh[col].to_numpy()
    out["broken_promises"] = _broken_promises(tables, day, ids, wins[-1])
    return out


def _broken_promises(tables: Mapping[str, pd.DataFrame], as_of: pd.Timestamp, ids: pd.Series,
                     months: int) -> pd.arrays.IntegerArray:
    """Promises broken with ``pay_by`` in the last ``months`` months (NA without promises)."""
    promises = tables.get("promises")
    if promises is None:
        return pd.array([pd.NA] * len(ids), dtype="Int64")
    p = promise_outcomes(promises, tables["payments"], as_of=as_of)
    start = as_of - pd.DateOffset(months=months)
    broken = p[(p["promise"] == "broken") & (p["pay_by"] > start)]
    counts = broken["customer_id"].value_counts().reindex(ids.astype(str)).fillna(0)
    return pd.array(counts.to_numpy(dtype="int64"), dtype="Int64")
