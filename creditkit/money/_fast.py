"""Vectorised amount parsing with Arrow string kernels (used by creditkit.money.parse_amounts).

Two tiers: plain numbers (``-1,234.56``), then NFKC-normalised text with the
currency's markers, accounting brackets and trailing minus. Whatever neither
matches goes to the full scalar parser, so these tiers only need to agree
with it on what they accept (tests check that).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from creditkit.money.iso import MARKERS


def _number_pattern(exp: int, decimal_mark: str) -> str:
    group = "," if decimal_mark == "." else r"\."
    frac = rf"(?:{re.escape(decimal_mark)}(?P<frac>\d{{0,{exp}}}))?" if exp else ""
    return rf"(?P<int>\d{{1,15}}|\d{{1,3}}(?:{group}\d{{3}}){{1,4}}){frac}"


def _marked_pattern(exp: int, decimal_mark: str, currency: str) -> str:
    """Signs, brackets and the markers allowed for ``currency`` around a plain number."""
    allowed = [m for m, cs in MARKERS.items() if currency in cs] + [currency]
    alt = "|".join(re.escape(m) for m in sorted(allowed, key=len, reverse=True))
    return (rf"(?i)^(?P<lp>\(?)\s*(?P<s1>[-+]?)\s*(?:{alt})?\s*(?P<s2>-?)\s*"
            rf"{_number_pattern(exp, decimal_mark)}"
            rf"\s*(?:{alt})?\s*(?P<rp>\)?)\s*(?P<s3>-?)$")


def _regex_parse(arr: pa.Array, pattern: str, exp: int,
                 decimal_mark: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse the forms ``pattern`` matches with Arrow kernels: values, matched mask.

    Sign groups are ``s*`` (``-`` negates, ``+`` counts as a sign) and ``lp``/``rp``
    (accounting brackets); a match with unbalanced brackets or two signs is left
    unmatched so that the full parser reports it.
    """
    m = pc.extract_regex(arr, pattern)
    matched = pc.fill_null(pc.is_valid(m), False).to_numpy(zero_copy_only=False)
    n = len(arr)
    values = np.zeros(n, dtype=np.int64)
    if not matched.any():
        return values, matched
    sub = pc.filter(m, pa.array(matched))
    names = [sub.type.field(i).name for i in range(sub.type.num_fields)]

    def has(field: str, text: str) -> np.ndarray:
        return pc.equal(sub.field(field), text).to_numpy(zero_copy_only=False)

    negs = sum((has(f, "-").astype(np.int64) for f in names if f.startswith("s")),
               np.zeros(len(sub), dtype=np.int64))
    signs = negs + sum((has(f, "+").astype(np.int64) for f in names if f.startswith("s")), 0)
    if "lp" in names:
        lp, rp = has("lp", "("), has("rp", ")")
        negs, signs = negs + lp, signs + lp
        good = (lp == rp) & (signs <= 1)
    else:
        good = signs <= 1
    group = "," if decimal_mark == "." else "."
    ints = pc.cast(pc.replace_substring(sub.field("int"), group, ""), pa.int64())
    minor = ints.to_numpy(zero_copy_only=False) * (10**exp)
    if exp:
        frac = pc.utf8_rpad(pc.fill_null(sub.field("frac"), ""), exp, "0")
        minor = minor + pc.cast(frac, pa.int64()).to_numpy(zero_copy_only=False)
    idx = np.flatnonzero(matched)
    values[idx] = np.where(negs % 2 == 1, -minor, minor)
    matched[idx[~good]] = False
    return values, matched


def fast_parse(arr: pa.Array, exp: int, decimal_mark: str,
                currency: str) -> tuple[np.ndarray, np.ndarray]:
    """Two vectorised tiers: plain numbers, then NFKC text with markers/brackets."""
    trimmed = pc.utf8_trim_whitespace(arr)
    plain = rf"^(?P<s1>-?){_number_pattern(exp, decimal_mark)}$"
    values, ok = _regex_parse(trimmed, plain, exp, decimal_mark)
    rest = np.flatnonzero(~ok & pc.is_valid(arr).to_numpy(zero_copy_only=False))
    if len(rest):
        sub = pc.utf8_normalize(pc.take(trimmed, pa.array(rest)), "NFKC")
        v2, ok2 = _regex_parse(sub, _marked_pattern(exp, decimal_mark, currency), exp,
                               decimal_mark)
        values[rest[ok2]] = v2[ok2]
        ok[rest[ok2]] = True
    return values, ok


def as_arrow_strings(s: pd.Series) -> pa.Array:
    arr = s.array
    if hasattr(arr, "__arrow_array__"):
        out = pa.array(arr)
        if isinstance(out, pa.ChunkedArray):
            out = out.combine_chunks()
        if pa.types.is_large_string(out.type) or pa.types.is_string(out.type):
            return out
    return pa.array(s.to_numpy(dtype=object, na_value=None), type=pa.large_string())
