"""Bill and invoice numbers in free-text references (付款附言).

A payer writes ``INV-0000123`` as ``inv0000123``, ``INV0000123``, ``inv 123``,
``ＩＮＶ－０００１２３`` (full-width), ``INV-00001`` (truncated by the bank's
field) or ``INV0000132`` (a typo). Text is normalised (NFKC, so full-width
characters become ASCII; upper case; separators dropped) and read as tokens
(letters followed by digits, or a bare number), then matched against the ids
of bills and invoices at decreasing levels of certainty:

===========  ======  ==============================================================
level        score   rule
===========  ======  ==============================================================
exact        1.00    the token is the id, separators and case aside
number       0.97    same letters, same number once leading zeros are dropped
             (a token with leading zeros must have the id's full width)
bare         0.90    a bare number equal to the number of one of the payer's bills
truncated    0.80    the token is the id with its last 1-3 characters cut off
typo         0.80    one character substituted, dropped, added or two swapped
===========  ======  ==============================================================

Fuzzy levels are searched only for tokens with no sure match, and only inside
blocks: ids sharing the token's head (all but its last two characters, found by
binary search in the sorted ids), and the ids of the payer's own bills. No
token is compared with every id, so the number of candidate pairs grows with
the data, not with its square (``tests/collections/test_reconcile_scale.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz.distance import OSA
from rapidfuzz.process import cpdist

__all__ = ["LEVELS", "declared_count", "id_keys", "match_references", "normalise_text",
           "reference_tokens"]

#: Match levels (index = level code) and their scores.
LEVELS: dict[str, float] = {"exact": 1.0, "number": 0.97, "bare": 0.9, "truncated": 0.8,
                            "typo": 0.8}
_SCORES = np.array(list(LEVELS.values()))
# RE2 syntax (Arrow): letters then digits, or a bare number not glued to letters or digits
_TOKEN = (r"(?P<prefix>[A-Z]{1,5})[\s\-_/#.:]*(?P<digits>\d{3,})"
          r"|(?:^|[^A-Z0-9])(?P<bare>\d{4,})")
_MAX_DIGITS = 18  # a number beyond int64 is matched as text only
_MAX_TOKENS = 4  # tokens read per reference


def _arrow(values: pd.Series) -> pa.Array:
    arr = pa.array(pd.Series(values), type=pa.string(), from_pandas=True)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _normalised(values: pd.Series) -> pa.Array:
    return pc.utf8_upper(pc.utf8_normalize(_arrow(values), "NFKC"))


def _series(arr: pa.Array, index=None) -> pd.Series:
    return pd.Series(arr, dtype="str", index=index)


def normalise_text(values: pd.Series) -> pd.Series:
    """NFKC (full-width to ASCII) and upper case; missing stays missing.

    Examples
    --------
    >>> normalise_text(pd.Series(["ｉｎｖ－００１２", None])).tolist()
    ['INV-0012', nan]
    """
    index = values.index if isinstance(values, pd.Series) else None
    return _series(_normalised(values), index)


def _keys(ids: pd.Series) -> pa.Array:
    return pc.replace_substring_regex(_normalised(ids), r"[^A-Z0-9]", "")


def id_keys(ids: pd.Series) -> pd.Series:
    """Ids as match keys: normalised, every character but letters and digits dropped.

    Examples
    --------
    >>> id_keys(pd.Series(["INV-0000123", "ｂ０１"])).tolist()
    ['INV0000123', 'B01']
    """
    return _series(_keys(ids), ids.index if isinstance(ids, pd.Series) else None)


def declared_count(references: pd.Series) -> np.ndarray:
    """The N of "… 等N笔" (N bills paid together) per reference, 0 when not said.

    Examples
    --------
    >>> declared_count(pd.Series(["货款 INV-0000123 等２笔", "还款", None])).tolist()
    [2, 0, 0]
    """
    found = pc.extract_regex(_normalised(references), r"等\s*(?P<n>\d{1,2})\s*笔")
    n = pc.fill_null(pc.struct_field(found, [0]), "0")
    return np.asarray(pc.cast(n, pa.int64()).to_numpy(zero_copy_only=False), np.int64)


def _number(digits: pa.Array) -> np.ndarray:
    digits = pc.fill_null(digits, "")
    length = pc.utf8_length(digits)
    ok = pc.and_(pc.greater_equal(length, 1), pc.less_equal(length, _MAX_DIGITS))
    return np.asarray(pc.cast(pc.if_else(ok, digits, "-1"), pa.int64()).to_numpy(
        zero_copy_only=False), np.int64)


def reference_tokens(references: pd.Series) -> pd.DataFrame:
    """Number-like tokens of each reference: ``row`` (position), ``prefix``, ``digits``, ``key``.

    Examples
    --------
    >>> tokens = reference_tokens(pd.Series(["货款 inv-0012 等2笔", "８８８８ B123"]))
    >>> tokens[["row", "key"]].values.tolist()
    [[0, 'INV0012'], [1, '8888'], [1, 'B123']]
    """
    text = _normalised(references)
    idx = np.arange(len(text))
    rows, prefixes, digits = [], [], []
    for _ in range(_MAX_TOKENS):
        found = pc.extract_regex(text, _TOKEN)
        valid = np.asarray(found.is_valid().to_numpy(zero_copy_only=False), bool)
        if not valid.any():
            break
        found = found.filter(pa.array(valid))
        bare = pc.struct_field(found, [2])
        is_bare = pc.not_equal(bare, "")
        rows.append(idx[valid])
        prefixes.append(pc.if_else(is_bare, "", pc.struct_field(found, [0])))
        digits.append(pc.if_else(is_bare, bare, pc.struct_field(found, [1])))
        text = pc.replace_substring_regex(text.filter(pa.array(valid)), "^.*?(?:" + _TOKEN + ")",
                                          "", max_replacements=1)
        idx = idx[valid]
    if not rows:
        empty = pa.array([], pa.string())
        rows, prefixes, digits = [np.zeros(0, np.int64)], [empty], [empty]
    prefix = pa.concat_arrays(prefixes)
    digit = pa.concat_arrays(digits)
    out = pd.DataFrame({"row": np.concatenate(rows).astype(np.int64), "prefix": _series(prefix),
                        "digits": _series(digit),
                        "key": _series(pc.binary_join_element_wise(prefix, digit, "")),
                        "num": _number(digit)})
    out = out.sort_values("row", kind="stable")
    return out.drop_duplicates(["row", "key"]).reset_index(drop=True)


def _index(ids: pd.Series, bill_pos: np.ndarray) -> pd.DataFrame:
    key = _keys(ids)
    parts = pc.extract_regex(key, r"^(?P<prefix>[A-Z]*)(?P<digits>\d+)$")
    ok = parts.is_valid()
    prefix = pc.if_else(ok, pc.struct_field(parts, [0]), pa.scalar(None, pa.string()))
    digit = pc.if_else(ok, pc.struct_field(parts, [1]), pa.scalar(None, pa.string()))
    out = pd.DataFrame({"key": _series(key), "prefix": _series(prefix), "digits": _series(digit),
                        "bill": bill_pos, "num": _number(digit)})
    return out[out["key"].notna() & (out["key"] != "")]


def _pairs(rows: np.ndarray, bills: np.ndarray, level: int, via=None) -> pd.DataFrame:
    via = np.zeros(len(rows), np.int8) if via is None else np.asarray(via, np.int8)
    return pd.DataFrame({"row": np.asarray(rows, np.int64), "bill": np.asarray(bills, np.int64),
                         "level": np.full(len(rows), level, np.int8), "via": via})


def _ranges(ukeys: np.ndarray, starts: np.ndarray, max_block: int):
    """For each start text, the index range of sorted keys beginning with it (capped)."""
    lo = np.searchsorted(ukeys, starts, side="left")
    hi = np.searchsorted(ukeys, np.array([s + "\uffff" for s in starts], dtype=object),
                         side="left")
    size = np.where(hi - lo <= max_block, hi - lo, 0)
    which = np.repeat(np.arange(len(starts)), size)
    offset = np.arange(len(which)) - np.repeat(np.cumsum(size) - size, size)
    return which, lo[which] + offset


def match_references(
    references: pd.Series,
    bills: pd.DataFrame,
    *,
    payer: np.ndarray,
    bill_payer: np.ndarray,
    max_block: int = 200,
) -> tuple[pd.DataFrame, int]:
    """Candidate (payment row, bill position) pairs named by the references.

    Parameters
    ----------
    references : Series
        Free text per payment.
    bills : DataFrame
        ``bill_id`` and ``invoice_id`` (an invoice names all its bills).
    payer : ndarray of int
        Customer code of each payment (-1 when unknown); a known payer only
        matches its own bills.
    bill_payer : ndarray of int
        Customer code of each bill, in the same coding.
    max_block : int
        Largest block searched for a truncated or mistyped token.

    Returns
    -------
    (DataFrame, int)
        Pairs with ``row``, ``bill``, ``level`` (code into :data:`LEVELS`),
        ``via`` (0: the bill's id, 1: its invoice's) and ``score``, the best level
        per pair; and the number of candidate pairs compared by the fuzzy levels.

    Examples
    --------
    >>> bills = pd.DataFrame({"bill_id": ["B1", "B2"], "invoice_id": ["INV-0000123",
    ...                       "INV-0000456"]})
    >>> refs = pd.Series(["付款ＩＮＶ０００１２３", "inv 456", "INV-00004", "INV0000213"])
    >>> pairs, _ = match_references(refs, bills, payer=np.array([0, 0, 0, 0]),
    ...                             bill_payer=np.array([0, 0]))
    >>> pairs[["row", "bill", "level"]].values.tolist()
    [[0, 0, 4], [1, 1, 1], [2, 1, 3], [3, 0, 4]]
    """
    pos = np.arange(len(bills), dtype=np.int64)
    index = pd.concat([_index(bills["bill_id"], pos).assign(via=0),
                       _index(bills["invoice_id"], pos).assign(via=1)],
                      ignore_index=True).drop_duplicates(["key", "bill"])
    tokens = reference_tokens(references)
    tokens["payer"] = payer[tokens["row"].to_numpy()] if len(tokens) else np.zeros(0, np.int64)
    found = []
    # exact
    m = tokens.merge(index[["key", "bill", "via"]], on="key")
    found.append(_pairs(m["row"], m["bill"], 0, m["via"]))
    # number: same letters, same number, no zero-padding shorter than the id's
    t = tokens[(tokens["prefix"] != "") & (tokens["num"] >= 0)]
    m = t.merge(index[["prefix", "num", "digits", "bill", "via"]], on=["prefix", "num"],
                suffixes=("", "_id"))
    if len(m):
        ok = ~m["digits"].str.startswith("0") | (
            m["digits"].str.len() == m["digits_id"].str.len())
        m = m[ok.to_numpy(dtype=bool)]
    found.append(_pairs(m["row"], m["bill"], 1, m["via"]))
    # bare number within the payer's own bills
    t = tokens[(tokens["prefix"] == "") & (tokens["payer"] >= 0) & (tokens["num"] >= 0)]
    m = t.merge(index[["num", "bill", "via"]], on="num")
    m = m[m["payer"].to_numpy() == bill_payer[m["bill"].to_numpy()]]
    found.append(_pairs(m["row"], m["bill"], 2, m["via"]))
    sure = pd.concat(found, ignore_index=True)
    sure = sure[_own(sure, payer, bill_payer)]
    # fuzzy: only tokens with letters whose row has no sure match
    fz = tokens[(tokens["prefix"] != "") & (tokens["digits"].astype(object).str.len() >= 3)
                & ~tokens["row"].isin(sure["row"])].reset_index(drop=True)
    fuzzy, compared = _fuzzy(fz, index, bill_payer, max_block)
    fuzzy = fuzzy[_own(fuzzy, payer, bill_payer)]
    out = pd.concat([sure, fuzzy], ignore_index=True).sort_values(
        ["row", "bill", "level", "via"])
    out = out.drop_duplicates(["row", "bill"]).reset_index(drop=True)
    out["score"] = _SCORES[out["level"].to_numpy()]
    return out, compared


def _own(pairs: pd.DataFrame, payer: np.ndarray, bill_payer: np.ndarray) -> np.ndarray:
    p = payer[pairs["row"].to_numpy()]
    return (p < 0) | (p == bill_payer[pairs["bill"].to_numpy()])


def _fuzzy(fz: pd.DataFrame, index: pd.DataFrame, bill_payer: np.ndarray, max_block: int):
    if fz.empty:
        return _pairs([], [], 3), 0
    u = pc.unique(pa.array(index["key"], type=pa.string(), from_pandas=True))
    ukeys = u.take(pc.sort_indices(u)).to_numpy(zero_copy_only=False).astype(object)
    keys = fz["key"].to_numpy(dtype=object)
    klen = np.array([len(k) for k in keys])
    # truncated: the token starts some ids that are 1-3 characters longer
    which, at = _ranges(ukeys, keys, max_block)
    cand_len = np.array([len(k) for k in ukeys[at]], dtype=np.int64)
    keep = (cand_len > klen[which]) & (cand_len <= klen[which] + 3)
    trunc = pd.DataFrame({"t": which[keep], "key": ukeys[at[keep]], "level": 3})
    # typo, block 1: ids sharing the token's head (all but the last two characters)
    heads = np.array([k[:-2] for k in keys], dtype=object)
    which2, at2 = _ranges(ukeys, heads, max_block)
    typo1 = pd.DataFrame({"t": which2, "key": ukeys[at2]})
    # typo, block 2: the payer's own bills
    own = fz[fz["payer"] >= 0].reset_index()
    idx = index.assign(payer=bill_payer[index["bill"].to_numpy()])
    typo2 = own[["index", "payer"]].merge(idx[["payer", "key"]], on="payer").rename(
        columns={"index": "t"})[["t", "key"]]
    typo = pd.concat([typo1, typo2], ignore_index=True).drop_duplicates()
    compared = len(trunc) + len(typo)
    near_len = np.abs(typo["key"].str.len().to_numpy() - klen[typo["t"].to_numpy()]) <= 1
    typo = typo[near_len]
    dist = cpdist(keys[typo["t"].to_numpy()].tolist(), typo["key"].tolist(), scorer=OSA.distance,
                  workers=1) if len(typo) else np.zeros(0)
    typo = typo[np.asarray(dist) == 1].assign(level=4)
    cand = pd.concat([trunc, typo], ignore_index=True)
    cand["row"] = fz["row"].to_numpy()[cand["t"].to_numpy()]
    m = cand.merge(index[["key", "bill", "via"]], on="key")
    return _pairs(m["row"], m["bill"], 0, m["via"]).assign(
        level=m["level"].to_numpy(np.int8)), compared
