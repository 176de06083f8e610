"""Text plumbing shared by the cleaning normalisers: blanks, uniques, results.

Every normaliser works on the distinct values of a column (``pd.factorize``)
and broadcasts the answer back, so a million rows with a few thousand
distinct dates cost a few thousand parses. Each returns a frame with the
normalised value(s) and a ``reason`` column: ``<NA>`` when the cell is fine
or blank, else a reason code from :mod:`creditkit.cleaning.reasons`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

__all__ = ["BLANK_TOKENS", "EXCEL_ERRORS", "as_text", "decode_bytes", "excel_errors",
           "has_invisible", "is_blank", "nfkc", "on_uniques", "show_invisible",
           "strip_invisible"]

#: Cell texts that mean "no value": Excel error values and the usual null spellings.
BLANK_TOKENS = frozenset({
    "", "#n/a", "#na", "n/a", "na", "nan", "nat", "null", "none", "nil", "-", "--", "—",
    "#value!", "#ref!", "#div/0!", "#name?", "#null!", "#num!", "#n/a n/a", "<na>",
    "无", "空",
})


#: Excel's error values: the cell held a formula that failed, not data (``#N/A`` from a
#: VLOOKUP that found nothing, ``#DIV/0!``...). Cleaning names them (reason ``excel_error``)
#: where a value is required; :func:`as_text` still reads them as blank.
EXCEL_ERRORS = frozenset({
    "#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
    "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#GETTING_DATA",
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


def excel_errors(s: pd.Series) -> pd.Series:
    """The Excel error value each cell holds (``#DIV/0!``...), ``<NA>`` elsewhere.

    Case and surrounding spaces are ignored; the value is given in Excel's
    spelling. Non-text cells are never errors.

    Examples
    --------
    >>> import pandas as pd
    >>> excel_errors(pd.Series([" #n/a", "#DIV/0!", "N/A", 3, None])).tolist()
    ['#N/A', '#DIV/0!', nan, nan, nan]
    """
    out = pd.Series(None, index=s.index, dtype="str", name=s.name)
    if not (ptypes.is_string_dtype(s) or ptypes.is_object_dtype(s)) or not len(s):
        return out
    txt = s
    if ptypes.is_object_dtype(s) and ptypes.infer_dtype(s, skipna=True) not in ("string",
                                                                                "empty"):
        # numbers, dates or bytes beside text: only the text cells can be error values
        txt = s.where(s.map(lambda v: isinstance(v, str), na_action="ignore")
                      .fillna(False).astype(bool))
    txt = txt.astype("str")
    # an error value is short and starts with '#': the upper-casing runs on those cells only
    cand = txt.str.contains("#", regex=False).to_numpy(dtype=bool, na_value=False, copy=True)
    if cand.any():
        cand[cand] = (txt[cand].str.len() <= 16).to_numpy(dtype=bool)
    if cand.any():
        up = txt[cand].str.strip(_STRIP).str.upper()
        out[cand] = up.where(up.isin(EXCEL_ERRORS))
    return out


# --- invisible and control characters ------------------------------------------------------
# Terminal escape sequences (ECMA-48), removed whole so that no '[31m' is left behind: CSI
# (colours, cursor moves, clear screen), OSC/DCS/SOS/PM/APC strings (OSC 8 hyperlinks,
# window titles) up to BEL or ST (or the end of the cell), two-character escapes (ESC c),
# and their 8-bit C1 forms. Patterns are written with \xHH escapes or as literal characters,
# which both Python's re and RE2 (pandas' Arrow strings) read the same way.
_ESCAPES = ("(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]"
            "|(?:\x1b[\\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"
            "|\x1b[ -/]*[0-~]")
# C0 and C1 controls and DEL, tab/LF/CR excepted (free text keeps them as white space)
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# zero-width and invisible filler characters: soft hyphen, combining grapheme joiner, Hangul
# fillers, Mongolian vowel separator, ZWSP/ZWNJ/ZWJ, word joiner and invisible operators,
# BOM, tag characters
_ZERO_WIDTH = ("\u00ad\u034f\u115f\u1160\u180e\u200b-\u200d\u2060-\u2064\u3164\ufeff"
               "\uffa0\U000e0000-\U000e007f")
# bidi marks, embeddings, pops and isolates: they change how text is shown, never what it says
_BIDI = "\u061c\u200e\u200f\u202a-\u202c\u2066-\u2069"
# bidi overrides force a display order (U+202E shows 'gnaZ' as 'Zang'): a spoofing signal
_OVERRIDES = "\u202d\u202e"
_INVISIBLE = f"[{_CONTROLS}{_ZERO_WIDTH}{_BIDI}{_OVERRIDES}]"
# in a key or code even tab, LF and CR are hidden content
_INVISIBLE_IN_CODES = f"[\t\n\r{_CONTROLS}{_ZERO_WIDTH}{_BIDI}{_OVERRIDES}]"


def _texts(s: pd.Series) -> pd.Series:
    return s if s.dtype == "str" else s.astype("str")


def _not_plain_ascii(txt: pd.Series) -> np.ndarray:
    """True where a cell is not printable ASCII: the only cells a hidden character can hide in.

    Ids, amounts and dates are nearly all printable ASCII; Arrow tells them apart in
    one pass, so the Unicode regex runs on the rest only.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(txt.array)
    except (TypeError, pa.ArrowException):  # a str dtype not backed by Arrow
        return txt.notna().to_numpy(dtype=bool)
    plain = pc.fill_null(pc.ascii_is_printable(arr), True)
    return ~plain.to_numpy(zero_copy_only=False)


def has_invisible(s: pd.Series, *, code: bool = True) -> pd.Series:
    """True where a text cell holds control, bidi, zero-width or escape characters.

    Parameters
    ----------
    s : Series
        Text cells (blank cells are False).
    code : bool, default True
        The cells are keys or codes (ids, amounts, dates), where tab, line feed
        and carriage return count as hidden too; ``False`` for free text.

    Examples
    --------
    >>> import pandas as pd
    >>> has_invisible(pd.Series(["B1", "B1\\x07", "B\\u200b1", "a\\tb", None])).tolist()
    [False, True, True, True, False]
    >>> has_invisible(pd.Series(["a\\tb", "a\\u202eb"]), code=False).tolist()
    [False, True]
    """
    out = pd.Series(False, index=s.index)
    if not (ptypes.is_string_dtype(s) or ptypes.is_object_dtype(s)):
        return out
    txt = _texts(s)
    cand = _not_plain_ascii(txt)
    if cand.any():
        pattern = _INVISIBLE_IN_CODES if code else _INVISIBLE
        out[cand] = txt[cand].str.contains(pattern, regex=True).fillna(False).to_numpy(
            dtype=bool)
    return out


def strip_invisible(s: pd.Series) -> pd.DataFrame:
    """Free text without invisible formatting: what was removed and what was a spoof.

    Terminal escapes go whole, controls, zero-width characters and bidi marks,
    embeddings and isolates are dropped, CR/CRLF become LF and other line or
    field separators a space; a cell left empty is ``<NA>``. Bidi overrides
    (U+202D/U+202E) are dropped too, and flagged: they make text display in
    another order than it reads, so the caller holds such a value back.

    Returns
    -------
    DataFrame
        ``text`` (the cleaned text), ``stripped`` (something was removed) and
        ``override`` (a bidi override was present), on ``s``'s index.

    Examples
    --------
    >>> import pandas as pd
    >>> out = strip_invisible(pd.Series(["张\\x08三\\x1b[2J", "\\u200b\\u200d", "\\u202egnaZ",
    ...                                  "李四"]))
    >>> out["text"].tolist()
    ['张三', nan, 'gnaZ', '李四']
    >>> out["stripped"].tolist(), out["override"].tolist()
    ([True, True, True, False], [False, False, True, False])
    """
    txt = _texts(s)
    # CR is the one hidden character has_invisible lets through in free text
    hit = (has_invisible(txt, code=False).to_numpy(dtype=bool)
           | _not_plain_ascii(txt) & txt.str.contains("\r", regex=False).to_numpy(
               dtype=bool, na_value=False))
    override = pd.Series(False, index=s.index)
    out = txt.copy()
    if hit.any():
        part = txt[hit]
        override[hit] = part.str.contains(f"[{_OVERRIDES}]", regex=True).to_numpy(dtype=bool)
        part = (part.str.replace(_ESCAPES, "", regex=True)
                .str.replace("\r\n?", "\n", regex=True)
                .str.replace("[\x0b\x0c\x1c-\x1f\x85\u2028\u2029]", " ", regex=True)
                .str.replace(_INVISIBLE, "", regex=True))
        out[hit] = as_text(part).to_numpy(dtype=object)
    return pd.DataFrame({"text": out.astype("str"), "stripped": pd.Series(hit, index=s.index),
                         "override": override}, index=s.index)


def _visible_char(c: str) -> str:
    return f"<U+{ord(c):04X}>"


_SHOW = re.compile(_INVISIBLE_IN_CODES)


def show_invisible(s: pd.Series) -> pd.Series:
    """The cells with each hidden character written as ``<U+XXXX>``, for messages.

    Meant for the few cells a message quotes (it works cell by cell on those
    that hold hidden characters).

    Examples
    --------
    >>> import pandas as pd
    >>> show_invisible(pd.Series(["B1\\x07", "\\u202egnaZ", "ok", None])).tolist()
    ['B1<U+0007>', '<U+202E>gnaZ', 'ok', nan]
    """
    txt = _texts(s)
    hit = has_invisible(txt).to_numpy(dtype=bool)
    if not hit.any():
        return txt
    out = txt.copy()
    out[hit] = txt[hit].map(lambda v: _SHOW.sub(lambda m: _visible_char(m.group()), v))
    return out
