"""Apply a merge map: repoint ledger rows and fold duplicate customers into survivors.

:func:`~creditkit.cleaning.dedupe.find_duplicates` decides *which* customers
are one; this module carries the decision out, and works as well with a map
a person wrote by hand (``{"old id": "surviving id"}``):

- :func:`apply_merge_map` rewrites the customer id of bills, payments or any
  frame; rows, their order and their money are kept;
- :func:`merge_customers` keeps one customer row per cluster, the survivor's
  missing fields filled from its duplicates.

Chains from successive runs (a -> b, b -> c) are followed; a cycle or an id
sent to two survivors is refused.

Examples
--------
>>> import pandas as pd
>>> pay = pd.DataFrame({"payment_id": ["P1", "P2"], "customer_id": ["C3", "C2"]})
>>> apply_merge_map(pay, {"C3": "C2", "C2": "C1"})["customer_id"].tolist()
['C1', 'C1']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
import pandas as pd

from creditkit.exceptions import ParameterError, SchemaError

if TYPE_CHECKING:
    from creditkit.cleaning.dedupe import DedupeResult

__all__ = ["apply_merge_map", "merge_customers"]

#: What the functions accept as a merge map.
MergeMap: TypeAlias = "pd.DataFrame | pd.Series | Mapping | DedupeResult"


def _as_map(merge_map: MergeMap) -> pd.Series:
    if not isinstance(merge_map, pd.DataFrame | pd.Series | Mapping) and isinstance(
            getattr(merge_map, "merge_map", None), pd.DataFrame):
        merge_map = merge_map.merge_map  # a DedupeResult (not imported: dedupe imports us)
    if isinstance(merge_map, pd.DataFrame):
        if not {"old_id", "surviving_id"} <= set(merge_map.columns):
            raise SchemaError(
                f"merge_map frame needs columns old_id and surviving_id; got "
                f"{list(map(str, merge_map.columns))}; pass DedupeResult.merge_map")
        m = pd.Series(merge_map["surviving_id"].to_numpy(object),
                      index=merge_map["old_id"].to_numpy(object))
    elif isinstance(merge_map, pd.Series):
        m = merge_map.astype(object)
    elif isinstance(merge_map, Mapping):
        m = pd.Series(dict(merge_map), dtype=object)
    else:
        raise ParameterError(
            f"merge_map must be a DataFrame (old_id, surviving_id), a Series or a dict; "
            f"got {type(merge_map).__name__}")
    if m.index.duplicated().any():
        dup = m.index[m.index.duplicated()].unique().tolist()[:3]
        raise ParameterError(f"merge_map sends id(s) {dup!r} to two survivors; keep one each")
    m = m[m.index.to_numpy(object) != m.to_numpy(object)]  # a -> a merges nothing
    for _ in range(len(m) + 1):  # follow chains a -> b -> c from successive runs
        chained = m.isin(m.index)
        if not chained.any():
            return m
        m = m.where(~chained, m.map(m))
        if (m.index.to_numpy(object) == m.to_numpy(object)).any():
            break
    raise ParameterError(f"merge_map has a cycle among {m.index[:3].tolist()!r}; "
                         "every chain of merges must end at a surviving id")


def apply_merge_map(
    frame: pd.DataFrame,
    merge_map: MergeMap,
    *,
    customer_id_col: str = "customer_id",
) -> pd.DataFrame:
    """Point rows of merged customers at their surviving customer.

    Parameters
    ----------
    frame : DataFrame
        Bills, payments, or any frame with a customer id column; not modified.
        Rows, their order and every other column (money included) are kept.
    merge_map : DataFrame, Series or dict
        ``DedupeResult.merge_map`` (``old_id``, ``surviving_id``), or a mapping
        old id -> surviving id. Chains (a -> b, b -> c) are followed.
    customer_id_col : str, default "customer_id"
        The column to rewrite.

    Returns
    -------
    DataFrame
        A copy with ``customer_id_col`` rewritten.

    Raises
    ------
    ParameterError
        When ``frame`` is not a DataFrame, or the map is of the wrong type,
        sends an id to two survivors, or has a cycle.
    SchemaError
        When ``customer_id_col`` is missing, or a map frame lacks its columns.

    Examples
    --------
    >>> import pandas as pd
    >>> bills = pd.DataFrame({"bill_id": ["B1", "B2"], "customer_id": ["C2", "C3"],
    ...                       "amount_minor": [100, 250]})
    >>> apply_merge_map(bills, {"C2": "C1"})["customer_id"].tolist()
    ['C1', 'C3']
    """
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(f"apply_merge_map expects a DataFrame, got {type(frame).__name__}")
    if customer_id_col not in frame.columns:
        raise SchemaError(
            f"missing column {customer_id_col!r}; got {list(map(str, frame.columns))}; "
            "pass customer_id_col= to name yours")
    m = _as_map(merge_map)
    s = frame[customer_id_col]
    hit = s.isin(m.index)
    out = frame.copy()
    if hit.any():
        out[customer_id_col] = s.where(~hit, s.map(m)).astype(s.dtype)
    return out


def merge_customers(
    customers: pd.DataFrame,
    merge_map: MergeMap,
    *,
    customer_id_col: str = "customer_id",
) -> pd.DataFrame:
    """Keep one row per merged cluster: the survivor, its gaps filled from its duplicates.

    Parameters
    ----------
    customers : DataFrame
        The customers that were deduplicated; not modified.
    merge_map : DataFrame, Series or dict
        As for :func:`apply_merge_map`.
    customer_id_col : str, default "customer_id"
        The id column.

    Returns
    -------
    DataFrame
        ``len(customers) - len(merged ids)`` rows in the original order of the
        survivors; a survivor's missing field takes the first present value
        among its duplicates (in their original order).

    Raises
    ------
    ParameterError, SchemaError
        As for :func:`apply_merge_map`.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["王伟", "王伟"],
    ...                   "phone": [None, "13800135678"]})
    >>> merge_customers(c, {"C2": "C1"}).values.tolist()
    [['C1', '王伟', '13800135678']]
    """
    keyed = apply_merge_map(customers, merge_map, customer_id_col=customer_id_col)
    old = customers[customer_id_col]
    merged = old.isin(_as_map(merge_map).index).to_numpy()
    involved = keyed[customer_id_col].isin(keyed.loc[merged, customer_id_col]).to_numpy()
    if not involved.any():
        return customers.copy()
    group = keyed[involved].assign(_merged=merged[involved], _pos=np.flatnonzero(involved))
    filled = (group.sort_values(["_merged", "_pos"], kind="stable")
              .groupby(customer_id_col, sort=False).first())
    filled = filled.reset_index()[group.columns].sort_values("_pos")
    out = pd.concat([keyed[~involved].assign(_pos=np.flatnonzero(~involved)),
                     filled.drop(columns="_merged")])
    out = out.sort_values("_pos", kind="stable").drop(columns="_pos").reset_index(drop=True)
    return out.astype(customers.dtypes.to_dict())
