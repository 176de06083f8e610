"""Two snapshot dates side by side: tier migration, score PSI, limit changes, restrictions.

Tier migration and the customers who changed tier come from
:func:`creditkit.segmentation.tier_migration` and
:func:`~creditkit.segmentation.tier_changes`, the score PSI from
:func:`creditkit.scoring.psi_table` (bands from the first date's scores), so
these numbers are the ones the tier and scorecard reports show.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from creditkit.exceptions import ParameterError

__all__ = ["DateComparison", "compare_dates", "compare_snapshots"]


@dataclass
class DateComparison:
    """What changed between two snapshot dates.

    Attributes
    ----------
    date_a, date_b : Timestamp
    summary : DataFrame
        One row per figure (``figure``, ``a``, ``b``, ``change``): customers,
        outstanding and past due (minor units, all currencies), customers
        past due, 30+ and 90+ outstanding, restricted customers, open alerts,
        mean score, score PSI.
    migration : DataFrame
        :func:`creditkit.segmentation.tier_migration` (customers).
    tier_changes : DataFrame
        :func:`creditkit.segmentation.tier_changes`: who moved, by which rules.
    psi : float
        Score PSI of ``b`` against ``a`` (NaN when either has no score).
    psi_table : DataFrame
        Its bands.
    limit_changes : DataFrame
        ``customer_id``, ``limit_a_minor``, ``limit_b_minor``, ``change_minor``
        for customers on file at both dates whose limit changed.
    new_restrictions, cleared_restrictions : DataFrame
        ``customer_id``, ``level_a``, ``level_b``, ``reason`` (at ``b``):
        customers restricted at ``b`` and not at ``a`` (or at another
        level), and those restricted at ``a`` and not at ``b``.
    """

    date_a: pd.Timestamp
    date_b: pd.Timestamp
    summary: pd.DataFrame
    migration: pd.DataFrame
    tier_changes: pd.DataFrame
    psi: float
    psi_table: pd.DataFrame
    limit_changes: pd.DataFrame
    new_restrictions: pd.DataFrame
    cleared_restrictions: pd.DataFrame


def _restricted(level: pd.Series) -> pd.Series:
    """Under a restriction: a level other than ``none`` (NULL: not evaluated)."""
    return level.notna() & (level.astype(object) != "none")


def _figures(s: pd.DataFrame) -> dict[str, float]:
    out = s["outstanding_minor"].fillna(0).astype("int64")
    dpd = s["dpd"].fillna(0)
    return {"customers": len(s), "outstanding_minor": int(out.sum()),
            "past_due_minor": int(s["past_due_minor"].fillna(0).astype("int64").sum()),
            "customers_past_due": int((dpd > 0).sum()),
            "outstanding_dpd30_minor": int(out[dpd > 30].sum()),
            "outstanding_dpd90_minor": int(out[dpd > 90].sum()),
            "restricted": int(_restricted(s["restriction_level"]).sum()),
            "open_alerts": int(s["open_alerts"].fillna(0).sum()),
            "mean_score": float(s["score"].mean()) if s["score"].notna().any() else np.nan}


def compare_snapshots(a: pd.DataFrame, b: pd.DataFrame) -> DateComparison:
    """Compare two snapshots (frames of :func:`creditkit.store.portfolio_at`).

    Parameters
    ----------
    a, b : DataFrame
        The first and the second date's rows.

    Returns
    -------
    DateComparison

    Raises
    ------
    ParameterError
        A frame that is not a snapshot of one date.

    Examples
    --------
    >>> a = pd.DataFrame({"as_of": pd.Timestamp("2025-05-31"), "customer_id": ["x", "y"],
    ...     "tier": ["prime", "standard"], "score": [620.0, 580.0], "limit_minor": [100, 100],
    ...     "restriction_level": [None, None]})
    >>> b = a.assign(as_of=pd.Timestamp("2025-06-30"), tier=["prime", "high_risk"],
    ...              limit_minor=[100, 50], restriction_level=[None, "stop_new_credit"])
    >>> c = compare_snapshots(a, b)
    >>> int(c.migration.loc["standard", "high_risk"]), c.limit_changes["change_minor"].tolist()
    (1, [-50])
    >>> c.new_restrictions[["customer_id", "level_b"]].values.tolist()
    [['y', 'stop_new_credit']]
    """
    from creditkit.schema import TABLES
    from creditkit.scoring import psi_table
    from creditkit.segmentation import tier_changes, tier_migration

    frames = []
    for name, s in (("a", a), ("b", b)):
        if not isinstance(s, pd.DataFrame) or "customer_id" not in s.columns \
                or "as_of" not in s.columns or s["as_of"].nunique() > 1:
            raise ParameterError(f"{name} must be the snapshot of one date (portfolio_at); got "
                                 f"{type(s).__name__}")
        s = s.reindex(columns=TABLES["snapshots"].names)
        frames.append(s)
    a, b = frames
    date_a = pd.Timestamp(a["as_of"].iloc[0]) if len(a) else pd.NaT
    date_b = pd.Timestamp(b["as_of"].iloc[0]) if len(b) else pd.NaT
    ta, tb = (s.loc[s["tier"].notna(), ["customer_id", "tier", "tier_rule", "tier_values"]]
              .rename(columns={"tier_rule": "rule_id", "tier_values": "values_seen"})
              for s in (a, b))
    migration = tier_migration(ta, tb)
    changes = tier_changes(ta, tb)
    sa, sb = a["score"].dropna().to_numpy(float), b["score"].dropna().to_numpy(float)
    if len(sa) and len(sb):
        ptab = psi_table(sa, sb, bands=10)
        value = float(ptab["psi"].sum())
    else:
        ptab, value = pd.DataFrame(columns=["bin", "base_count", "current_count", "base_share",
                                            "current_share", "psi"]), float("nan")
    both = a[["customer_id", "limit_minor", "restriction_level"]].merge(
        b[["customer_id", "limit_minor", "restriction_level", "restriction_reason"]],
        on="customer_id", how="outer", suffixes=("_a", "_b"), indicator=True)
    on_both = both["_merge"] == "both"
    la, lb = both["limit_minor_a"], both["limit_minor_b"]
    moved = on_both & ((la != lb) & ~(la.isna() & lb.isna())).fillna(True)
    limits = pd.DataFrame({"customer_id": both["customer_id"][moved].to_numpy(),
                           "limit_a_minor": pd.array(la[moved], dtype="Int64"),
                           "limit_b_minor": pd.array(lb[moved], dtype="Int64")})
    limits["change_minor"] = limits["limit_b_minor"] - limits["limit_a_minor"]
    on_a, on_b = _restricted(both["restriction_level_a"]), _restricted(both["restriction_level_b"])
    ra = both["restriction_level_a"].where(on_a)
    rb = both["restriction_level_b"].where(on_b)
    new = on_b & (~on_a | (ra != rb))
    cleared = on_a & ~on_b

    def restr(mask: pd.Series) -> pd.DataFrame:
        return pd.DataFrame({"customer_id": both["customer_id"][mask].to_numpy(),
                             "level_a": ra[mask].to_numpy(), "level_b": rb[mask].to_numpy(),
                             "reason": both["restriction_reason"][mask].to_numpy()})

    fa, fb = _figures(a), _figures(b)
    fa["score_psi"], fb["score_psi"] = np.nan, value
    summary = pd.DataFrame({"figure": list(fa), "a": list(fa.values()), "b": list(fb.values())})
    summary["change"] = summary["b"] - summary["a"]
    return DateComparison(date_a, date_b, summary, migration, changes, value, ptab,
                          limits.sort_values("customer_id").reset_index(drop=True),
                          restr(new), restr(cleared))


def compare_dates(store: str | Path, a: object, b: object, *, wait: float = 30.0
                  ) -> DateComparison:
    """Compare the snapshots of two dates in the store (see :func:`compare_snapshots`).

    Parameters
    ----------
    store : str or Path
    a, b : date-like
        Two snapshot dates (:func:`creditkit.store.snapshot_dates`).
    wait : float, default 30
        Seconds to wait while another process writes the store.

    Returns
    -------
    DateComparison

    Raises
    ------
    DataReadError
        A date without a snapshot (the dates there are listed).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.store import write_snapshot
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> snap = pd.DataFrame({"customer_id": ["x", "y"], "tier": ["prime", "standard"],
    ...                      "outstanding_minor": [10, 20]})
    >>> _ = write_snapshot(path, snap, as_of="2025-05-31")
    >>> _ = write_snapshot(path, snap.assign(outstanding_minor=[0, 25]), as_of="2025-06-30")
    >>> c = compare_dates(path, "2025-05-31", "2025-06-30")
    >>> float(c.summary.set_index("figure").loc["outstanding_minor", "change"])
    -5.0
    """
    from creditkit.store import portfolio_at

    return compare_snapshots(portfolio_at(store, a, wait=wait), portfolio_at(store, b, wait=wait))
