"""Validation rules per table, as a vectorised rule table with reason codes.

Each rule is a boolean mask over rows with a reason code and the column it
concerns. Rules are whole-column operations (no loop over rows); a row's
``reason`` is its first failing rule in :data:`~creditkit.cleaning.reasons.REASONS`
order and its ``message`` names the others.

Why not pandera for this: pandera validates a typed frame and reports
failure cases per check; cleaning needs, per source row, a reason code
from the parsing step (an impossible date never reaches a typed column),
cross-row rules (key conflicts, references into other tables) and a
first-reason-plus-message with zh/en labels. A rule table of masks does that
in one pass. The clean output's contract is then checked by
``creditkit.schema.validate`` (and, in the tests, by an independent pandera
schema).

Duplicate keys, decided as a credit analyst would: rows with the same key
and the same normalised content are one record exported twice, so later
copies are *merged* into the first (recorded in ``merged``). Rows with the
same key but different content (two amounts for bill B1) cannot be settled
by a machine — keeping the first would silently choose an amount — so *all*
rows of that key are quarantined as ``duplicate_key_conflict``, including a
copy that was otherwise valid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditkit.cleaning.reasons import REASONS

__all__ = ["REQUIRED", "Rule", "first_reasons", "route_duplicates"]

#: Fields that must have a value, per table (currency and invoice_id get defaults).
REQUIRED: dict[str, tuple[str, ...]] = {
    "customers": ("customer_id", "name", "kind"),
    "bills": ("bill_id", "customer_id", "issue_date", "due_date", "amount_minor"),
    "payments": ("payment_id", "paid_date", "amount_minor"),
}

_ORDER = {code: i for i, code in enumerate(REASONS)}


@dataclass(frozen=True)
class Rule:
    """One failed-check mask: ``mask`` is True on rows that fail.

    ``got``, when given, is what a message quotes for the row instead of the raw
    cell (the Excel error behind a blank, hidden characters made visible).
    """

    reason: str
    column: str
    mask: pd.Series
    got: pd.Series | None = None


def _as_bool(mask: pd.Series, index: pd.Index) -> np.ndarray:
    if not mask.index.equals(index):
        mask = mask.reindex(index)
    return mask.to_numpy(dtype=bool, na_value=False)


def first_reasons(rules: list[Rule], index: pd.Index,
                  raw: dict[str, pd.Series]) -> pd.DataFrame:
    """Per row: first failing ``reason``, its ``column`` and a ``message``.

    Parameters
    ----------
    rules : list of Rule
        Masks aligned on ``index``.
    index : Index
        The rows.
    raw : dict
        Field -> raw cell text, quoted in messages.

    Returns
    -------
    DataFrame
        ``reason``, ``column``, ``message``; ``<NA>`` on rows that pass.

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.RangeIndex(2)
    >>> r = [Rule("invalid_amount", "amount_minor", pd.Series([True, False])),
    ...      Rule("missing_required", "bill_id", pd.Series([True, False]))]
    >>> out = first_reasons(r, idx, {"amount_minor": pd.Series(["x", "1"])})
    >>> out["reason"].tolist()
    ['missing_required', nan]
    >>> out["message"][0]
    'bill_id: a required value is blank; also invalid_amount(amount_minor)'
    """
    rules = sorted(rules, key=lambda r: _ORDER[r.reason])
    masks = [_as_bool(r.mask, index) for r in rules]
    n = len(index)
    any_fail = np.zeros(n, dtype=bool)
    for m in masks:
        any_fail |= m
    # all text work happens on the failing rows only
    pos = np.flatnonzero(any_fail)
    reason = np.full(len(pos), None, dtype=object)
    column = np.full(len(pos), None, dtype=object)
    message = np.full(len(pos), None, dtype=object)
    also = pd.Series("", index=pos, dtype="str")
    for r, m in zip(rules, masks, strict=True):
        hit = m[pos]
        if not hit.any():
            continue
        first = hit & pd.isna(reason)
        later = hit & ~first
        if first.any():
            text = f"{r.column}: {REASONS[r.reason]}"
            msg = np.full(int(first.sum()), text, dtype=object)
            got = r.got if r.got is not None else raw.get(r.column)
            if got is not None:
                vals = got.reindex(index).to_numpy(dtype=object)[pos[first]]
                has = ~pd.isna(vals)
                msg[has] = (text + " (got '" + pd.Series(vals[has], dtype="str")
                            + "')").to_numpy(dtype=object)
            reason[first] = r.reason
            column[first] = r.column
            message[first] = msg
        if later.any():
            also[pos[later]] = also[pos[later]] + ", " + r.reason + "(" + r.column + ")"
    has_also = (also.str.len() > 0).to_numpy()
    message[has_also] = (pd.Series(message[has_also], dtype="str") + "; also "
                         + also[has_also].str.slice(2).reset_index(drop=True)).to_numpy()
    out = pd.DataFrame({"reason": pd.Series(None, index=index, dtype="str"),
                        "column": pd.Series(None, index=index, dtype="str"),
                        "message": pd.Series(None, index=index, dtype="str")})
    if len(pos):
        rows = index[pos]
        out.loc[rows, "reason"] = reason
        out.loc[rows, "column"] = column
        out.loc[rows, "message"] = message
    return out


def route_duplicates(key: pd.Series, content: pd.Series, failed: pd.Series
                     ) -> tuple[pd.Series, pd.Series]:
    """Find key conflicts and exact duplicates.

    Parameters
    ----------
    key : Series
        Row keys (``<NA>`` rows are ignored: they fail ``missing_required``).
    content : Series
        A hash of each row's normalised content (raw text for rows that failed).
    failed : Series of bool
        Rows already failing another rule.

    Returns
    -------
    conflict : Series of bool
        Rows whose key appears with more than one distinct content.
    survivor : Series of Int64
        For an exact duplicate of an earlier passing row, the position of that
        row; ``<NA>`` otherwise.

    Examples
    --------
    >>> import pandas as pd
    >>> c, s = route_duplicates(pd.Series(["a", "a", "b", "b"]), pd.Series([1, 1, 2, 3]),
    ...                         pd.Series([False] * 4))
    >>> c.tolist(), s.tolist()
    ([False, False, True, True], [<NA>, 0, <NA>, <NA>])
    """
    # only keys that repeat can conflict or duplicate: the groupbys run on those rows alone
    rep = (key.notna() & key.duplicated(keep=False)).to_numpy()
    conflict = pd.Series(False, index=key.index)
    survivor = pd.Series(pd.NA, index=key.index, dtype="Int64")
    if not rep.any():
        return conflict, survivor
    frame = pd.DataFrame({"key": key[rep], "content": content[rep],
                          "pos": np.flatnonzero(rep)})
    n_content = frame.groupby("key", sort=False)["content"].transform("nunique")
    conflict[frame.index[(n_content > 1).to_numpy()]] = True
    ok = frame[~(conflict | failed)[rep].to_numpy()]
    first_pos = ok.groupby(["key", "content"], sort=False)["pos"].transform("first")
    dup = (first_pos != ok["pos"]).to_numpy()
    survivor[ok.index[dup]] = first_pos[dup].to_numpy()
    return conflict, survivor
