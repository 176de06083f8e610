"""Development samples of behaviour and collection cards: monthly snapshots stacked.

A development sample holds, for each observation date, every customer known
then, with the features known at that date (:func:`behaviour_features`) and
the target that followed it (:func:`behaviour_target`). Excluded customers
stay in, with their reason, so the sample's construction can be shown and
counted; only rows with ``in_sample`` are fitted. :func:`oot_split` keeps the
latest dates out of the fit (out-of-time validation), and
:func:`development_summary` counts each date's rows, bads and exclusions.

All dates are computed together (:func:`behaviour_features_at_dates`,
:func:`behaviour_target_at_dates`: one ``aging_at_dates`` and one sort of the
ledger each), with the rows of the one-date functions at every date.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from creditkit.behaviour._inputs import check_dates, check_windows
from creditkit.behaviour.history import behaviour_features_at_dates
from creditkit.behaviour.target import REASONS, behaviour_target_at_dates, check_kind
from creditkit.checks import check_date
from creditkit.exceptions import ParameterError

__all__ = ["development_sample", "development_summary", "oot_split", "reconciled_payments"]

_TARGET_COLS = ["kind", "perf_dpd", "written_off", "target", "in_sample", "reason"]


def development_sample(
    tables: Mapping[str, pd.DataFrame],
    *,
    dates: Sequence[object],
    windows: Sequence[int] = (3, 6, 12),
    horizon_months: int = 6,
    bad_dpd: int = 30,
    cure_days: int = 30,
    kind: str = "B",
    data_end: object | None = None,
    static: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Features and target of every customer at each of ``dates``, stacked.

    Parameters
    ----------
    tables : dict of str to DataFrame
        As :func:`behaviour_features`.
    dates : sequence of date-like
        Observation dates, increasing (e.g. month ends).
    windows, horizon_months, bad_dpd, cure_days, kind, data_end
        As :func:`behaviour_features` and :func:`behaviour_target`.
    static : DataFrame, optional
        Characteristics fixed since onboarding, one row per ``customer_id``
        (e.g. the application score at origination, which a B card commonly
        uses beside behaviour): their columns are added at every date, missing
        for customers it lacks. Only pass what was known at onboarding.

    Returns
    -------
    DataFrame
        ``as_of``, ``customer_id``, the feature columns (then those of
        ``static``), then ``kind``,
        ``dpd``, ``perf_dpd``, ``written_off``, ``target``, ``in_sample``,
        ``reason``: one row per (date, customer known then).

    Raises
    ------
    ParameterError, SchemaError
        As the two functions it calls; ``dates`` empty or not increasing.

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(200, seed=3, end="2025-12-31")
    >>> s = development_sample(book, dates=["2025-01-31", "2025-02-28"], windows=(3,))
    >>> s["as_of"].dt.strftime("%m").unique().tolist()
    ['01', '02']
    """
    days = check_dates(dates)
    wins = check_windows(windows)
    check_kind(kind)
    extra = check_static(static)
    # features and targets of all dates, each from one aging_at_dates and one sort; each
    # date's rows see only that date's past (features) or performance window (targets)
    feats = behaviour_features_at_dates(tables, dates=days, windows=wins)
    tgt = behaviour_target_at_dates(tables, dates=days, kind=kind,
                                    horizon_months=horizon_months, bad_dpd=bad_dpd,
                                    cure_days=cure_days, data_end=data_end)
    out = tgt[["as_of", "customer_id"]].join(feats.drop(columns=["as_of", "customer_id"]))
    if extra is not None:
        out = out.join(extra.reindex(out["customer_id"]).reset_index(drop=True))
    return pd.concat([out, tgt[_TARGET_COLS]], axis=1)


def check_static(static: object) -> pd.DataFrame | None:
    """``static`` indexed by customer_id (unique), or None."""
    if static is None:
        return None
    if not isinstance(static, pd.DataFrame) or "customer_id" not in static.columns:
        raise ParameterError("static must be a DataFrame with a customer_id column and one row "
                             "per customer, e.g. applications[['customer_id', 'score']]")
    if static["customer_id"].duplicated().any():
        dup = static.loc[static["customer_id"].duplicated(), "customer_id"].head(3).tolist()
        raise ParameterError(f"static repeats customer_id {dup}; keep one row per customer")
    return static.set_index(static["customer_id"].astype(object)).drop(columns="customer_id")


def _check_sample(sample: object) -> pd.DataFrame:
    need = ["as_of", "customer_id", "target", "in_sample", "reason"]
    if not isinstance(sample, pd.DataFrame):
        raise ParameterError(f"sample must be a DataFrame from development_sample, got "
                             f"{type(sample).__name__}")
    missing = [c for c in need if c not in sample.columns]
    if missing:
        raise ParameterError(f"sample lacks column(s) {missing}; build it with "
                             "creditkit.behaviour.development_sample")
    return sample


def oot_split(sample: pd.DataFrame, *, oot_dates: int | object = 1
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a development sample by date: fit on earlier dates, validate on later ones.

    Parameters
    ----------
    sample : DataFrame
        From :func:`development_sample`.
    oot_dates : int or date-like, default 1
        An int ``k``: the last ``k`` observation dates are out of time; a date:
        the dates after it are.

    Returns
    -------
    (DataFrame, DataFrame)
        The development part and the out-of-time part (all rows, excluded
        ones too; fit on ``in_sample`` rows).

    Raises
    ------
    ParameterError
        ``k`` not in 1 … (number of dates − 1), or a cutoff leaving one part empty.

    Examples
    --------
    >>> s = pd.DataFrame({"as_of": pd.to_datetime(["2025-01-31", "2025-02-28", "2025-03-31"]),
    ...     "customer_id": ["A", "A", "A"], "target": [0, 1, 0], "in_sample": True,
    ...     "reason": "included"})
    >>> dev, oot = oot_split(s, oot_dates=1)
    >>> len(dev), len(oot)
    (2, 1)
    """
    s = _check_sample(sample)
    dates = np.sort(s["as_of"].unique())
    if isinstance(oot_dates, numbers.Integral) and not isinstance(oot_dates, bool):
        if not 1 <= oot_dates < len(dates):
            raise ParameterError(
                f"oot_dates={oot_dates} leaves no date to fit or to validate: the sample has "
                f"{len(dates)} date(s); pass 1 … {len(dates) - 1} or a cutoff date")
        cut = pd.Timestamp(dates[len(dates) - int(oot_dates) - 1])
    else:
        cut = check_date(oot_dates, "oot_dates")
    late = (s["as_of"] > cut).to_numpy()
    if late.all() or not late.any():
        raise ParameterError(f"cutoff {cut.date()} leaves one part empty (dates "
                             f"{pd.Timestamp(dates[0]).date()} … {pd.Timestamp(dates[-1]).date()})")
    return s.loc[~late], s.loc[late]


def development_summary(sample: pd.DataFrame) -> pd.DataFrame:
    """Per observation date: rows, rows in the sample, bads, bad rate, exclusions by reason.

    Parameters
    ----------
    sample : DataFrame
        From :func:`development_sample`.

    Returns
    -------
    DataFrame
        ``as_of``, ``n``, ``n_in_sample``, ``bads``, ``bad_rate`` (bads ÷
        n_in_sample), then one count column per reason of :data:`REASONS`
        (they add up to ``n``).

    Examples
    --------
    >>> s = pd.DataFrame({"as_of": pd.to_datetime(["2025-01-31"] * 3),
    ...     "customer_id": ["A", "B", "C"], "target": pd.array([1, 0, None], dtype="Int8"),
    ...     "in_sample": [True, True, False], "reason": ["included", "included", "no_history"]})
    >>> development_summary(s)[["n", "bads", "bad_rate", "no_history"]].values.tolist()
    [[3.0, 1.0, 0.5, 1.0]]
    """
    s = _check_sample(sample)
    unknown = sorted(set(s["reason"]) - set(REASONS))
    if unknown:
        raise ParameterError(f"unknown reason(s) {unknown} in sample.reason; expected {REASONS}")
    g = s.groupby("as_of", sort=True)
    out = pd.DataFrame({
        "n": g.size(),
        "n_in_sample": g["in_sample"].sum(),
        "bads": s.loc[s["in_sample"].astype(bool)].groupby("as_of")["target"].sum(),
    }).fillna({"bads": 0})
    out["bads"] = out["bads"].astype(np.int64)
    out["n_in_sample"] = out["n_in_sample"].astype(np.int64)
    out["bad_rate"] = np.where(out["n_in_sample"] > 0, out["bads"] / out["n_in_sample"].where(
        out["n_in_sample"] > 0, 1), np.nan)
    counts = pd.crosstab(s["as_of"], s["reason"]).reindex(columns=list(REASONS), fill_value=0)
    out = out.join(counts.astype(np.int64)).fillna(0)
    return out.rename_axis("as_of").reset_index()


def reconciled_payments(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables with each payment's missing ``customer_id`` filled from the true allocations.

    A payment whose payer is not identified counts for no customer in the
    ledger engine, so the customer it paid for looks past due. Behaviour cards
    are fitted on a reconciled ledger; on generator data (``truth=True``) the
    ``allocations`` table says which bill each payment paid, hence whose it is.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Holding ``payments``, ``bills`` and ``allocations`` (payment_id, bill_id).

    Returns
    -------
    dict of str to DataFrame
        A new dict; ``payments`` is a copy with ``customer_id`` filled where
        the allocations name the payment; the other frames are the same objects.

    Raises
    ------
    SchemaError
        ``allocations`` is missing: generate with ``make_portfolio(..., truth=True)``.

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(300, seed=6, kind="b2b", truth=True)
    >>> before = int(book["payments"]["customer_id"].isna().sum())
    >>> after = int(reconciled_payments(book)["payments"]["customer_id"].isna().sum())
    >>> after < before
    True
    """
    from creditkit.exceptions import SchemaError

    if not isinstance(tables, Mapping) or "allocations" not in tables:
        raise SchemaError("tables lacks 'allocations' (which bill each payment paid); generate "
                          "the portfolio with make_portfolio(..., truth=True)")
    bills, pays, alloc = tables["bills"], tables["payments"], tables["allocations"]
    owner = alloc[["payment_id", "bill_id"]].merge(
        bills[["bill_id", "customer_id"]], on="bill_id", how="inner"
    ).drop_duplicates("payment_id").set_index("payment_id")["customer_id"]
    out = dict(tables)
    out["payments"] = pays.assign(customer_id=pays["customer_id"].fillna(
        pays["payment_id"].map(owner)))
    return out
