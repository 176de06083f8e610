"""Data-quality tables: completeness, validity, uniqueness per column; quarantine by reason.

Definitions (per canonical column of the source rows, malformed lines not
included since their columns are unknown):

- completeness = non-blank cells / rows (``#N/A``, ``NULL``, blanks are blank);
- validity = non-blank cells that passed every rule on that column / non-blank cells;
- uniqueness = distinct valid normalised values / valid cells (1.0 for a clean key).

Examples
--------
>>> import pandas as pd
>>> from creditkit.cleaning import clean_customers
>>> res = clean_customers(pd.DataFrame({"customer_id": ["C1", "C2", "C2"],
...     "name": ["A", "B", ""], "kind": ["个人", "企业", "x"]}))
>>> quality_table(res).set_index("column").loc["kind", ["completeness", "validity"]].tolist()
[1.0, 0.6666666666666666]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditkit.cleaning.quarantine import CleanResult, takes_clean_result
from creditkit.cleaning.reasons import MERGE_REASONS, REASONS
from creditkit.labels import label

__all__ = ["column_stats", "quality_report", "quality_table", "quarantine_counts"]


def column_stats(values: pd.DataFrame, present: dict[str, pd.Series],
                 invalid: dict[str, pd.Series], rows: pd.Series) -> pd.DataFrame:
    """Counts behind :func:`quality_table` (called by the cleaners).

    Parameters
    ----------
    values : DataFrame
        Normalised values per canonical column.
    present : dict
        Column -> non-blank mask of the raw cells (absent columns are left out).
    invalid : dict
        Column -> mask of rows failing a rule on that column.
    rows : Series of bool
        Rows that count (not empty rows).

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"a": ["x", "x", None]})
    >>> column_stats(v, {"a": pd.Series([True, True, False])}, {},
    ...              pd.Series([True] * 3))[["column", "n_present", "n_distinct"]].values.tolist()
    [['a', 2, 1]]
    """
    out = []
    n = int(rows.sum())
    for col in values.columns:
        if col not in present:
            continue
        pres = present[col] & rows
        bad = invalid.get(col, pd.Series(False, index=values.index)) & pres
        valid = pres & ~bad
        out.append((col, n, int(pres.sum()), int(valid.sum()),
                    int(values.loc[valid.to_numpy(), col].nunique())))
    return pd.DataFrame(out, columns=["column", "n_rows", "n_present", "n_valid", "n_distinct"])


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return pd.Series(np.where(den > 0, num / den.where(den > 0, 1), np.nan), index=num.index)


@takes_clean_result
def quality_table(result: CleanResult, *, lang: str | None = None) -> pd.DataFrame:
    """Completeness, validity and uniqueness of each column of the source.

    Parameters
    ----------
    result : CleanResult
        What a ``clean_*`` call returned.
    lang : {"zh", "en"}, optional
        Label column names and column values for people; ``None`` keeps codes.

    Returns
    -------
    DataFrame
        ``column``, ``n_rows``, ``n_present``, ``n_valid``, ``n_distinct``,
        ``completeness``, ``validity``, ``uniqueness`` (floats in [0, 1]).

    Examples
    --------
    >>> import pandas as pd
    >>> from creditkit.cleaning import clean_payments
    >>> res = clean_payments(pd.DataFrame({"payment_id": ["P1", "P2"],
    ...     "paid_date": ["2025-01-01", "2025-02-30"], "amount": ["1", "2"]}))
    >>> quality_table(res).set_index("column").loc["paid_date", "validity"]
    np.float64(0.5)
    """
    t = result.column_stats.copy()
    t["completeness"] = _ratio(t["n_present"], t["n_rows"])
    t["validity"] = _ratio(t["n_valid"], t["n_present"])
    t["uniqueness"] = _ratio(t["n_distinct"], t["n_valid"])
    if lang is not None:
        t["column"] = [label(c, lang) for c in t["column"]]
        t = t.rename(columns=lambda c: label(c, lang))
    return t


@takes_clean_result
def quarantine_counts(result: CleanResult, *, lang: str | None = None) -> pd.DataFrame:
    """Quarantined and merged rows by reason, with money held back per reason.

    Returns
    -------
    DataFrame
        ``reason``, ``label`` (zh/en when ``lang`` is given), ``rows``,
        ``amount_minor`` (readable money of those rows, summed over currencies
        only when there is one currency; else per ``currency``), ``currency``.

    Examples
    --------
    >>> import pandas as pd
    >>> from creditkit.cleaning import clean_bills
    >>> res = clean_bills(pd.DataFrame({"bill_id": ["B1", "B2", "B2"],
    ...     "customer_id": ["C1"] * 3, "issue_date": ["2025-01-01"] * 3,
    ...     "due_date": ["2025-01-31"] * 3, "amount": ["-1", "2", "2"]}))
    >>> quarantine_counts(res)[["reason", "rows", "amount_minor"]].values.tolist()
    [['negative_amount', 1, -100], ['exact_duplicate', 1, 200]]
    """
    parts = [result.quarantine[["reason", "amount_minor", "currency"]],
             result.merged[["reason", "amount_minor", "currency"]]]
    both = pd.concat(parts, ignore_index=True)
    both["currency"] = both["currency"].fillna("")
    if both.empty:
        out = pd.DataFrame({"reason": pd.Series(dtype="str"), "currency": pd.Series(dtype="str"),
                            "rows": pd.Series(dtype="int64"),
                            "amount_minor": pd.Series(dtype="int64")})
    else:
        out = (both.groupby(["reason", "currency"], sort=False, dropna=False)
               .agg(rows=("reason", "size"),
                    amount_minor=("amount_minor", lambda s: int(s.sum(skipna=True))))
               .reset_index())
    order = {r: i for i, r in enumerate([*REASONS, *MERGE_REASONS])}
    # reasons in REASONS order, currencies by code: never the input's row order
    out = (out.assign(_order=out["reason"].map(order))
           .sort_values(["_order", "currency"], kind="stable").drop(columns="_order"))
    out["amount_minor"] = out["amount_minor"].astype("int64")
    out["label"] = [label(r, lang or "en") for r in out["reason"]]
    return out[["reason", "label", "rows", "amount_minor", "currency"]].reset_index(drop=True)


@takes_clean_result
def quality_report(result: CleanResult) -> dict[str, object]:
    """Everything ``quality.json`` holds: summary, invariants, column quality, reasons.

    Examples
    --------
    >>> import pandas as pd
    >>> from creditkit.cleaning import clean_customers
    >>> rep = quality_report(clean_customers(pd.DataFrame({"customer_id": ["C1"],
    ...     "name": ["A"], "kind": ["企业"]})))
    >>> sorted(rep)
    ['columns', 'duplicates', 'invariants', 'log', 'quarantine_by_reason', 'summary']
    """
    q = quality_table(result)
    q = q.astype(object).where(q.notna(), None)
    conflicts = result.quarantine[result.quarantine["reason"] == "duplicate_key_conflict"]
    return {
        "summary": result.summary(),
        "invariants": result.invariants().astype(object).to_dict(orient="records"),
        "columns": q.to_dict(orient="records"),
        "quarantine_by_reason": quarantine_counts(result).to_dict(orient="records"),
        "duplicates": {"exact_rows_merged": len(result.merged),
                       "conflicting_keys": int(conflicts["key"].nunique()),
                       "conflicting_rows": len(conflicts)},
        "log": list(result.log),
    }
