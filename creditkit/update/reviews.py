"""Whose credit file is due for re-evaluation (定期更新客户资信档案).

The review policy is a CSV the analyst edits (shipped default
``creditkit/update/data/review_policy.csv``): ``tier,every_months``, one row
per tier, plus ``any_restriction`` for a customer under any restriction
level whatever the tier (high-risk and restricted customers at least
quarterly, the others yearly). A customer is due when their last review (the
store's ``reviews`` table) — or, never reviewed, the day they opened — is
``every_months`` or more before ``as_of``; the shortest interval that applies
wins.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from creditkit.checks import check_as_of
from creditkit.exceptions import ParameterError

__all__ = ["REVIEW_KEYS", "load_review_policy", "reviews_due"]

#: The rows a review policy may hold besides nothing else: the tiers and ``any_restriction``.
REVIEW_KEYS = ("prime", "standard", "high_risk", "restricted", "any_restriction")


def load_review_policy(source: str | Path | None = None) -> dict[str, int]:
    """The review intervals in months, by tier (and ``any_restriction``), checked line by line.

    Parameters
    ----------
    source : path, optional
        A CSV ``tier,every_months`` (UTF-8); default the shipped one.

    Returns
    -------
    dict of str to int

    Raises
    ------
    ParameterError
        A missing column, an unknown tier, a repeated one, or an interval that
        is not a whole number of months from 1 to 120, naming the line.

    Examples
    --------
    >>> load_review_policy()["high_risk"]
    3
    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
    >>> _ = bad.write_text("tier,every_months\\nprime,12\\nprme,6\\n")
    >>> load_review_policy(bad)
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: r.csv line 3: unknown tier 'prme'; use one of prime, standard, high_risk, restricted, any_restriction
    """  # noqa: E501
    if source is None:
        from importlib import resources

        source = Path(str(resources.files("creditkit.update").joinpath(
            "data", "review_policy.csv")))
    path = Path(source)
    if not path.is_file():
        raise ParameterError(f"review policy {str(path)!r} does not exist; pass a CSV "
                             "tier,every_months or leave it out for the shipped default")
    text = path.read_text(encoding="utf-8-sig")
    table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    cols = [c.strip() for c in table.columns]
    if cols != ["tier", "every_months"]:
        raise ParameterError(f"{path.name} line 1: the columns must be tier,every_months; "
                             f"got {','.join(cols)}")
    out: dict[str, int] = {}
    for i, (tier, months) in enumerate(table.itertuples(index=False), start=2):
        tier, months = str(tier).strip(), str(months).strip()
        if tier not in REVIEW_KEYS:
            raise ParameterError(f"{path.name} line {i}: unknown tier {tier!r}; use one of "
                                 f"{', '.join(REVIEW_KEYS)}")
        if tier in out:
            raise ParameterError(f"{path.name} line {i}: tier {tier!r} appears twice; keep "
                                 "one line per tier")
        if not months.isdigit() or not 1 <= int(months) <= 120:
            raise ParameterError(f"{path.name} line {i}: every_months must be a whole number "
                                 f"of months from 1 to 120; got {months!r}")
        out[tier] = int(months)
    return out


def reviews_due(snapshot: pd.DataFrame, *, as_of: object, policy: dict[str, int],
                reviews: pd.DataFrame | None = None,
                customers: pd.DataFrame | None = None) -> pd.DataFrame:
    """The customers whose re-evaluation is due at ``as_of``.

    Parameters
    ----------
    snapshot : DataFrame
        ``customer_id``, ``tier``, ``restriction_level`` (a snapshot).
    as_of : date-like
    policy : dict
        :func:`load_review_policy`.
    reviews : DataFrame, optional
        ``customer_id``, ``review_date`` (the store's ``reviews``).
    customers : DataFrame, optional
        ``customer_id``, ``open_date``: the start of a customer never reviewed.

    Returns
    -------
    DataFrame
        ``customer_id``, ``tier``, ``restriction_level``, ``every_months``,
        ``last_review``, ``due_date``, ``reason`` (``never_reviewed`` or
        ``review_due``); most overdue first.

    Examples
    --------
    >>> snap = pd.DataFrame({"customer_id": ["a", "b"], "tier": ["high_risk", "prime"],
    ...                      "restriction_level": [None, None]})
    >>> rev = pd.DataFrame({"customer_id": ["a", "b"],
    ...                     "review_date": pd.to_datetime(["2025-01-15", "2025-01-15"])})
    >>> reviews_due(snap, as_of="2025-06-30", policy=load_review_policy(), reviews=rev)[
    ...     ["customer_id", "due_date", "reason"]].astype(str).values.tolist()
    [['a', '2025-04-15', 'review_due']]
    """
    day = check_as_of(as_of)
    ids = snapshot["customer_id"].astype(str).to_numpy()
    tier = snapshot["tier"].astype(object).to_numpy()
    months = pd.Series(tier).map(policy).to_numpy(dtype="float64")
    level = snapshot["restriction_level"] if "restriction_level" in snapshot.columns \
        else pd.Series(None, index=snapshot.index, dtype=object)
    restricted = (level.notna() & (level.astype(object) != "none")).to_numpy()
    if "any_restriction" in policy:
        months = np.where(restricted, np.fmin(months, policy["any_restriction"]), months)
    last = pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
    if reviews is not None and len(reviews):
        seen = reviews.loc[pd.to_datetime(reviews["review_date"]) <= day]
        latest = seen.groupby("customer_id")["review_date"].max()
        last = pd.to_datetime(latest.reindex(ids)).astype("datetime64[ns]")
    start = last.copy()
    if customers is not None and "open_date" in customers.columns:
        opened = customers.drop_duplicates("customer_id").set_index("customer_id")["open_date"]
        start = start.fillna(pd.to_datetime(opened.reindex(ids)))
    has = ~np.isnan(months) & start.notna().to_numpy()
    due = pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
    if has.any():  # start + months, the day clipped to the month's end (as DateOffset)
        st = start[has].to_numpy().astype("datetime64[D]")
        month = st.astype("datetime64[M]") + months[has].astype("int64").astype("timedelta64[M]")
        first = month.astype("datetime64[D]")
        length = ((month + 1).astype("datetime64[D]") - first).astype("int64")
        dom = (st - st.astype("datetime64[M]").astype("datetime64[D]")).astype("int64")
        due[has] = (first + np.minimum(dom, length - 1).astype("timedelta64[D]")).astype(
            "datetime64[ns]")
    hit = has & (due <= day).to_numpy()
    out = pd.DataFrame({
        "customer_id": ids[hit], "tier": tier[hit],
        "restriction_level": snapshot["restriction_level"].to_numpy()[hit]
        if "restriction_level" in snapshot.columns else None,
        "every_months": months[hit].astype("int64"), "last_review": last.to_numpy()[hit],
        "due_date": due.to_numpy()[hit],
        "reason": np.where(last.isna().to_numpy()[hit], "never_reviewed", "review_due")})
    return out.sort_values(["due_date", "customer_id"], kind="stable").reset_index(drop=True)
