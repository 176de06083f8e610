"""Text plumbing shared by the cleaning normalisers: blanks, uniques, results.

Every normaliser works on the distinct values of a column (``pd.factorize``)
and broadcasts the answer back, so a million rows with a few thousand
distinct dates cost a few thousand parses. Each returns a frame with the
normalised value(s) and a ``reason`` column: ``<NA>`` when the cell is fine
or blank, else a reason code from :mod:`creditkit.cleaning.reasons`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

__all__ = ["BLANK_TOKENS", "as_text", "decode_bytes", "is_blank", "nfkc", "on_uniques"]

#: Cell texts that mean "no value": Excel error values and the usual null spellings.
BLANK_TOKENS = frozenset({
    "", "#n/a", "#na", "n/a", "na", "nan", "nat", "null", "none", "nil", "-", "--", "—",
    "#value!", "#ref!", "#div/0!", "#name?", "#null!", "#num!", "#n/a n/a", "<na>",
    "无", "空",
})


_STRIP = " \t\r\n\v\f\u00a0\u3000\ufeff"
_LONGEST_TOKEN = max(len(t) for t in BLANK_TOKENS)


def decode_bytes(s: pd.Series) -> pd.Series:
    """Bytes cells of an object column as UTF-8 text (a copy; ``s`` is not changed).

    Bytes that are not UTF-8 get U+FFFD for the bad bytes, so that they can never
    read as a valid amount, date or ID and are quarantined with a reason.

    Examples
    --------
    >>> import pandas as pd
    >>> decode_bytes(pd.Series([b"12.50", b"\\xff1", "3"], dtype=object)).tolist()
    ['12.50', '\ufffd1', '3']
    """
    if ptypes.infer_dtype(s, skipna=True) not in ("bytes", "mixed"):
        return s  # the usual all-text column: one C-level scan
    is_bytes = s.map(lambda v: isinstance(v, bytes | bytearray), na_action="ignore")
    is_bytes = is_bytes.fillna(False).astype(bool)
    if not is_bytes.any():
        return s
    out = s.copy()
    out[is_bytes] = s[is_bytes].map(lambda b: bytes(b).decode("utf-8", errors="replace"))
    return out


def _as_text_direct(s: pd.Series) -> pd.Series:
    if not (ptypes.is_string_dtype(s) or ptypes.is_object_dtype(s)):
        if ptypes.is_float_dtype(s):
            # 1234.0 read by Excel for a whole amount is "1234", not "1234.0"
            num = s.astype("float64")
            # only below 2**53 is a float whole and exact; inf, nan and larger floats stay
            # text ("inf", "1e+20") for the parsers to refuse
            whole = np.isfinite(num) & (num == np.round(num)) & (num.abs() < 2.0**53)
            txt = num.astype(str)
            txt = txt.where(~whole, num.where(whole, 0).round().astype("int64").astype(str))
            s = txt.where(s.notna(), None)
        else:
            s = s.astype(object).where(s.notna(), None)
    if ptypes.is_object_dtype(s):
        s = decode_bytes(s)
    # \ufeff is a byte-order mark glued to a value by a careless export
    out = s.astype("str").str.strip(_STRIP)
    short = (out.str.len() <= _LONGEST_TOKEN).to_numpy(dtype=bool, na_value=False)
    blank = out.isna().to_numpy(copy=True)
    if short.any():
        blank[short] |= out[short].str.lower().isin(BLANK_TOKENS).to_numpy(dtype=bool)
    return out.where(~blank, None)


def as_text(s: pd.Series) -> pd.Series:
    """``s`` as stripped text (``str`` dtype) with blanks and null tokens as ``<NA>``.

    Low-cardinality columns (dates, currencies, kinds) are done once per
    distinct value; nearly unique ones (ids) directly.

    Examples
    --------
    >>> import pandas as pd
    >>> as_text(pd.Series([" a ", "#N/A", None, 3])).tolist()
    ['a', nan, nan, '3']
    """
    # ids are nearly all distinct: hashing them costs more than the text work it saves
    if len(s) < 64 or s.iloc[:4096].nunique() > 1024:
        return _as_text_direct(s).rename(s.name)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    txt = _as_text_direct(pd.Series(np.asarray(uniques, dtype=object) if not isinstance(
        uniques, pd.Index) else uniques, copy=False).reset_index(drop=True))
    txt = pd.concat([txt, pd.Series([None], dtype="str")], ignore_index=True)
    out = txt.take(np.where(codes < 0, len(txt) - 1, codes))
    out.index = s.index
    return out.rename(s.name)


def nfkc(s: pd.Series) -> pd.Series:
    """Unicode NFKC (full-width to half-width), applied only to the non-ASCII cells.

    Examples
    --------
    >>> import pandas as pd
    >>> nfkc(pd.Series(["Ｃ００１", "C002", None])).tolist()
    ['C001', 'C002', nan]
    """
    wide = ~s.str.isascii().fillna(True).astype(bool)
    if not wide.any():
        return s
    return s.where(~wide, s[wide].str.normalize("NFKC"))


def is_blank(s: pd.Series) -> pd.Series:
    """True where a cell is empty, whitespace or a null token such as ``#N/A``.

    Examples
    --------
    >>> import pandas as pd
    >>> is_blank(pd.Series(["", " ", "#N/A", "x"])).tolist()
    [True, True, True, False]
    """
    return as_text(s).isna()


def on_uniques(s: pd.Series, fn: Callable[[pd.Series], pd.DataFrame]) -> pd.DataFrame:
    """Apply ``fn`` to the distinct non-blank texts of ``s`` and broadcast back.

    ``fn`` receives a ``str`` Series with a fresh RangeIndex and returns a
    frame aligned with it. Blank cells get ``<NA>`` in every output column.

    Examples
    --------
    >>> import pandas as pd
    >>> f = lambda u: pd.DataFrame({"up": u.str.upper()})
    >>> on_uniques(pd.Series(["a", "b", "a", None]), f)["up"].tolist()
    ['A', 'B', 'A', nan]
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    text = as_text(pd.Series(uniques, copy=False).reset_index(drop=True))
    # two raw values can share a text (" a" and "a"): fn sees each text once
    codes2, texts = pd.factorize(text, use_na_sentinel=True)
    uniq = pd.Series(np.asarray(texts, dtype=object), dtype="str")
    res = fn(uniq)
    # one extra all-NA row that blank cells (code -1) point at
    res = res.reindex(pd.RangeIndex(len(uniq) + 1))
    step = np.where(codes2 < 0, len(uniq), codes2)
    full = np.where(codes < 0, len(uniq), step[np.maximum(codes, 0)]) if len(step) else \
        np.full(len(codes), len(uniq))
    out = res.iloc[full]
    out.index = s.index
    return out
