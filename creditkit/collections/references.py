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
blocks. Ids of the form letters-then-digits are packed as integers (letters,
number of digits, number): a token looks up the ids it would be with its last
1-3 digits restored (truncated) and every number one edit away from it (a digit
changed, two swapped, one dropped or added, anywhere; or its letters one edit
from an id's letters). The payer's own bills are compared one by one. No
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
    arr = _arrow(values)
    if pc.all(pc.string_is_ascii(arr)).as_py() is not False:  # NFKC leaves ASCII as it is
        return pc.ascii_upper(arr)
    return pc.utf8_upper(pc.utf8_normalize(arr, "NFKC"))


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


def _pairs(rows: np.ndarray, bills: np.ndarray, level: int, via=None) -> pd.DataFrame:
    via = np.zeros(len(rows), np.int8) if via is None else np.asarray(via, np.int8)
    return pd.DataFrame({"row": np.asarray(rows, np.int64), "bill": np.asarray(bills, np.int64),
                         "level": np.full(len(rows), level, np.int8), "via": via})


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
    tokens = reference_tokens(references)
    tokens["payer"] = payer[tokens["row"].to_numpy()] if len(tokens) else np.zeros(0, np.int64)
    index = _Index(bills)
    found = []
    # exact
    m = tokens.merge(index.exact(tokens["key"]), on="key")
    found.append(_pairs(m["row"], m["bill"], 0, m["via"]))
    # number: same letters, same number, no zero-padding shorter than the id's
    t = tokens[(tokens["prefix"] != "") & (tokens["num"] >= 0)]
    m = t.merge(index.numbered(t["num"].to_numpy()), on=["prefix", "num"],
                suffixes=("", "_id"))
    if len(m):
        ok = ~m["digits"].str.startswith("0") | (
            m["digits"].str.len() == m["digits_id"].str.len())
        m = m[ok.to_numpy(dtype=bool)]
    found.append(_pairs(m["row"], m["bill"], 1, m["via"]))
    # bare number within the payer's own bills
    t = tokens[(tokens["prefix"] == "") & (tokens["payer"] >= 0) & (tokens["num"] >= 0)]
    m = t.merge(index.numbered(t["num"].to_numpy())[["num", "bill", "via"]], on="num")
    m = m[m["payer"].to_numpy() == bill_payer[m["bill"].to_numpy()]]
    found.append(_pairs(m["row"], m["bill"], 2, m["via"]))
    sure = pd.concat(found, ignore_index=True)
    sure = sure[_own(sure, payer, bill_payer)]
    # fuzzy: only tokens with letters whose row has no sure match
    fz = tokens[(tokens["prefix"] != "") & (tokens["digits"].astype(object).str.len() >= 3)
                & ~np.isin(tokens["row"].to_numpy(), sure["row"].to_numpy())].reset_index(
                    drop=True)
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


class _Index:
    """Every bill and invoice number as a match key, read in one pass over the ids.

    Arrow arrays over bills then invoices (``bill`` positions, ``via`` 0 or 1).
    The lookups filter these arrays with hash sets built from the tokens first,
    so only the ids a token can match ever reach a pandas frame.
    """

    def __init__(self, bills: pd.DataFrame) -> None:
        n = len(bills)
        # an invoice of several bills is read once: its distinct numbers, then taken per bill
        invoices = pc.dictionary_encode(_arrow(bills["invoice_id"]))
        inv = _id_parts(_series(invoices.dictionary))
        parts = [_id_parts(bills["bill_id"]), tuple(a.take(invoices.indices) for a in inv)]
        self.key, self.prefix, self.digits = (pa.concat_arrays([p[i] for p in parts])
                                              for i in range(3))
        self.bill = np.tile(np.arange(n, dtype=np.int64), 2)
        self.via = np.repeat(np.array([0, 1], np.int8), n)
        inv_num = _number(inv[2])
        at = np.asarray(pc.fill_null(invoices.indices, -1).to_numpy(zero_copy_only=False),
                        np.int64)
        self.num = np.r_[_number(parts[0][2]),
                         np.where(at >= 0, inv_num[np.maximum(at, 0)] if len(inv_num) else -1,
                                  -1)]
        self._codes = None

    def _frame(self, at: np.ndarray, **cols) -> pd.DataFrame:
        at = pa.array(at, pa.int64())
        return pd.DataFrame({**{c: _series(getattr(self, c).take(at)) for c in cols},
                             "bill": self.bill[at.to_numpy()], "via": self.via[at.to_numpy()]})

    def exact(self, keys: pd.Series) -> pd.DataFrame:
        """Ids whose key is one of ``keys``: ``key``, ``bill``, ``via``."""
        hit = pc.is_in(self.key, value_set=_arrow(pd.Series(keys.unique())))
        f = self._frame(np.flatnonzero(_bools(hit)), key=True)
        return f[f["key"] != ""].drop_duplicates(["key", "bill"])

    def numbered(self, nums: np.ndarray) -> pd.DataFrame:
        """Ids whose number is one of ``nums``: prefix, digits, num, bill, via."""
        at = np.flatnonzero(_bools(pc.is_in(pa.array(self.num), value_set=pa.array(
            np.unique(nums[nums >= 0])))) & (self.num >= 0))
        f = self._frame(at, prefix=True, digits=True).assign(num=self.num[at])
        return f.drop_duplicates(["prefix", "num", "digits", "bill"])

    def codes(self) -> tuple[np.ndarray, pa.Array]:
        """Per id: (prefix code, width, number) packed in one int64 (-1 when not of that form);
        and the prefixes the codes refer to."""
        if self._codes is None:
            enc = pc.dictionary_encode(self.prefix)
            pcode = np.asarray(pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False),
                               np.int64)
            width = np.asarray(pc.fill_null(pc.utf8_length(self.digits), 0).to_numpy(
                zero_copy_only=False), np.int64)
            self._codes = (_pack(pcode, width, self.num), enc.dictionary)
        return self._codes

    def keys_at(self, at: np.ndarray) -> pa.Array:
        return self.key.take(pa.array(at, pa.int64()))


def _bools(arr: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), bool)


_ID = r"^(?P<prefix>[A-Z]*)[^A-Z0-9]*(?P<digits>\d+)$"
_WIDTH_BITS, _NUM_BITS = 5, 50  # a code: prefix (8 bits), digits' width, number
_MAX_CODE_WIDTH = 15  # 10**15 < 2**50


_SEPARATORS = "".join(chr(c) for c in range(128) if not chr(c).isalnum())  # ASCII, not A-Z0-9
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _id_parts(ids: pd.Series) -> tuple[pa.Array, pa.Array, pa.Array]:
    """(key, prefix, digits) of each id; prefix and digits null unless letters then digits.

    Most ids are ASCII letters, separators, digits (``INV-0000123``): those are cut by
    trimming (trailing digits, then separators; what is left must be letters), much faster
    than the regular expression, which reads only the others.
    """
    text = _normalised(ids)
    rest = pc.utf8_rtrim(text, characters="0123456789")
    letters = pc.ascii_rtrim(rest, characters=_SEPARATORS)
    fast = _bools(pc.and_(pc.greater(pc.utf8_length(text), pc.utf8_length(rest)),
                          pc.or_(pc.equal(letters, ""), pc.ascii_is_alpha(letters))))
    if not fast.any():
        return _id_parts_regex(text)
    digits = pc.ascii_ltrim(text, characters=_UPPER + _SEPARATORS)
    key = pc.binary_join_element_wise(letters, digits, "")
    if fast.all():
        return key, letters, digits
    slow = np.flatnonzero(~fast)
    mask = pa.array(~fast)
    parts = _id_parts_regex(text.take(pa.array(slow)))
    return tuple(pc.replace_with_mask(a, mask, b.cast(a.type))
                 for a, b in zip((key, letters, digits), parts, strict=True))


def _id_parts_regex(text: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
    """(key, prefix, digits) of normalised ids by the regular expression :data:`_ID`."""
    found = pc.extract_regex(text, _ID)
    ok = _bools(found.is_valid())
    prefix = pc.if_else(pa.array(ok), pc.struct_field(found, [0]), pa.scalar(None, pa.string()))
    digits = pc.if_else(pa.array(ok), pc.struct_field(found, [1]), pa.scalar(None, pa.string()))
    key = pc.binary_join_element_wise(prefix, digits, "")
    odd = np.flatnonzero(~ok & _bools(text.is_valid()))
    if len(odd):  # other shapes (separators inside the number, letters after digits)
        k2 = pc.replace_substring_regex(text.take(pa.array(odd)), r"[^A-Z0-9]", "")
        f2 = pc.extract_regex(k2, r"^(?P<prefix>[A-Z]*)(?P<digits>\d+)$")
        mask = np.zeros(len(text), bool)
        mask[odd] = True
        mask = pa.array(mask)
        key = pc.replace_with_mask(key, mask, k2)
        ok2 = f2.is_valid()
        prefix = pc.replace_with_mask(prefix, mask, pc.if_else(ok2, pc.struct_field(f2, [0]),
                                                               pa.scalar(None, pa.string())))
        digits = pc.replace_with_mask(digits, mask, pc.if_else(ok2, pc.struct_field(f2, [1]),
                                                               pa.scalar(None, pa.string())))
    return key, prefix, digits


_POW10 = 10 ** np.arange(_MAX_CODE_WIDTH + 1, dtype=np.int64)


def _pack(pcode: np.ndarray, width: np.ndarray, num: np.ndarray) -> np.ndarray:
    # powers of ten by table look-up: an elementwise integer power is many times slower
    ok = ((pcode >= 0) & (pcode < 256) & (width >= 1) & (width <= _MAX_CODE_WIDTH) & (num >= 0)
          & (num < _POW10[np.clip(width, 0, _MAX_CODE_WIDTH)]))
    w = np.clip(width, 0, 31)
    return np.where(ok, ((np.maximum(pcode, 0) << _WIDTH_BITS | w) << _NUM_BITS)
                    | np.where(ok, num, 0), -1)


class _SortedCodes:
    """The ids' packed codes sorted once; a range of codes is found by bisection."""

    def __init__(self, code: np.ndarray) -> None:
        valid = np.flatnonzero(code >= 0)
        o = np.argsort(code[valid], kind="stable")
        self.at, self.code = valid[o], code[valid][o]

    def between(self, token: np.ndarray, low: np.ndarray, high: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
        """(token, id position) for every id whose code is in [low, high) of its token
        (codes of -1 ask for nothing)."""
        token = np.asarray(token, np.int64)
        lo = np.searchsorted(self.code, low, side="left")
        size = np.where(low >= 0, np.searchsorted(self.code, high, side="left") - lo, 0)
        start = np.cumsum(size) - size
        offset = np.arange(int(size.sum())) - np.repeat(start, size)
        return np.repeat(token, size), self.at[np.repeat(lo, size) + offset]


def _neighbours(pcode: np.ndarray, width: np.ndarray, num: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """(token, code) of every number one edit away: a digit changed, two neighbours swapped,
    one dropped or one added (same letters)."""
    ts, cs = [], []
    for w in np.unique(width):
        sel = np.flatnonzero(width == w)
        n = num[sel]
        place = 10 ** np.arange(w - 1, -1, -1, dtype=np.int64)  # value of each position
        d = n[:, None] // place[None, :] % 10  # (tokens, w) digits
        ten = np.arange(10, dtype=np.int64)
        # changed digit
        sub = n[:, None, None] + (ten[None, None, :] - d[:, :, None]) * place[None, :, None]
        ok = ten[None, None, :] != d[:, :, None]
        ts.append(np.broadcast_to(sel[:, None, None], sub.shape)[ok])
        cs.append(_pack(pcode[sel][:, None, None].repeat(w, 1).repeat(10, 2)[ok], w, sub[ok]))
        # swapped neighbours
        if w > 1:
            sw = (n[:, None] + (d[:, 1:] - d[:, :-1]) * place[None, :-1]
                  + (d[:, :-1] - d[:, 1:]) * place[None, 1:])
            ok = d[:, 1:] != d[:, :-1]
            ts.append(np.broadcast_to(sel[:, None], sw.shape)[ok])
            cs.append(_pack(np.broadcast_to(pcode[sel][:, None], sw.shape)[ok], w, sw[ok]))
            # a digit too many in the token: the id has it dropped
            dr = n[:, None] // (place[None, :] * 10) * place[None, :] + n[:, None] % place[None, :]
            ts.append(np.repeat(sel, w))
            cs.append(_pack(np.repeat(pcode[sel], w), w - 1, dr.ravel()))
        # a digit missing: the id has one more, anywhere
        if w < _MAX_CODE_WIDTH:
            hi = np.r_[place * 10, 1]  # split points: before each position and at the end
            lo = np.r_[place, 1]
            ins = (n[:, None, None] // lo[None, :, None] * hi[None, :, None]
                   + ten[None, None, :] * lo[None, :, None] + n[:, None, None] % lo[None, :, None])
            ts.append(np.broadcast_to(sel[:, None, None], ins.shape).ravel())
            cs.append(_pack(np.broadcast_to(pcode[sel][:, None, None], ins.shape).ravel(), w + 1,
                            ins.ravel()))
    if not ts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    t, c = np.concatenate(ts), np.concatenate(cs)
    return t[c >= 0], c[c >= 0]


def _prefix_typos(prefixes: list[str], known: list[str]) -> pd.DataFrame:
    """(prefix, other) pairs of letters one edit apart, among the ids' own prefixes."""
    pairs = [(p, k) for p in prefixes for k in known if k and OSA.distance(p, k) == 1]
    return pd.DataFrame(pairs, columns=["prefix", "other"])


def _fuzzy(fz: pd.DataFrame, index: _Index, bill_payer: np.ndarray, max_block: int):
    """Truncated and mistyped numbers, searched through blocks only.

    Numbers of the form letters-then-digits (up to 15 digits) are packed as integers;
    a token asks for the ids it would be with its last 1-3 digits restored
    (truncated), and for every number one edit away from it (a typo anywhere: at
    most 21 × digits + 10 look-ups); ids of other shapes, and every id of the
    payer's own bills, are compared one by one (block: the payer). A token whose
    block holds more than ``max_block`` ids is left alone.
    """
    if fz.empty:
        return _pairs([], [], 3), 0
    code, known = index.codes()
    keys = fz["key"].to_numpy(dtype=object)
    klen = np.array([len(k) for k in keys], dtype=np.int64)
    tcode = np.asarray(pc.fill_null(pc.index_in(_arrow(fz["prefix"]), value_set=known), -1)
                       .to_numpy(zero_copy_only=False), np.int64)
    width = fz["digits"].str.len().to_numpy(np.int64)
    num = fz["num"].to_numpy(np.int64)
    probe = _pack(tcode, width, num)
    found, own_pairs = [], 0
    # truncated: an id with its last j digits cut off is the token, so its code lies in the
    # range of (letters, width + j, number × 10^j ...) codes: a bisection of the sorted codes
    has = probe >= 0
    lookup = _SortedCodes(code)
    ok = np.flatnonzero(has)
    for j in (1, 2, 3):
        fits = ok[width[ok] + j <= _MAX_CODE_WIDTH]
        low = _pack(tcode[fits], width[fits] + j, num[fits] * 10 ** j)
        t, at = lookup.between(fits, low, low + 10 ** j)
        found.append(pd.DataFrame({"t": t, "at": at, "level": 3}))
    # typo: every number one edit away (letters: the ids' prefixes one edit away)
    t_n, c_n = _neighbours(tcode[ok], width[ok], num[ok])
    t_n = ok[t_n]
    pt = _prefix_typos(sorted(set(fz["prefix"])), known.to_pylist())
    if len(pt):
        alt = fz[["prefix"]].reset_index().merge(pt, on="prefix")
        a = alt["index"].to_numpy()
        ac = np.asarray(pc.index_in(_arrow(alt["other"]), value_set=known).to_numpy(
            zero_copy_only=False), np.int64)
        t_n = np.r_[t_n, a]
        c_n = np.r_[c_n, _pack(ac, width[a], num[a])]
    if len(c_n):
        t, at = lookup.between(t_n, c_n, c_n + 1)
        found.append(pd.DataFrame({"t": t, "at": at, "level": 4}))
    # typo, block: the payer's own bills (any shape of id)
    own = fz[fz["payer"] >= 0]
    if len(own):
        b_own = np.flatnonzero(np.isin(bill_payer, own["payer"].unique()))
        n_b = len(bill_payer)
        at = np.r_[b_own, b_own + n_b]
        ids = pd.DataFrame({"at": at, "payer": np.r_[bill_payer[b_own], bill_payer[b_own]]})
        pairs = own[["payer"]].reset_index().merge(ids, on="payer")
        t, at = pairs["index"].to_numpy(), pairs["at"].to_numpy()
        own_pairs = len(t)
        cand = index.keys_at(at).to_numpy(zero_copy_only=False)
        valid = np.array([k is not None and k != "" for k in cand], dtype=bool)
        t, at, cand = t[valid], at[valid], cand[valid]
        near = np.abs(np.array([len(k) for k in cand], dtype=np.int64) - klen[t]) <= 1
        t, at, cand = t[near], at[near], cand[near]
        dist = np.asarray(cpdist(keys[t].tolist(), cand.tolist(), scorer=OSA.distance,
                                 workers=1)) if len(t) else np.zeros(0)
        found.append(pd.DataFrame({"t": t[dist == 1], "at": at[dist == 1], "level": 4}))
    if not found:
        return _pairs([], [], 3), 0
    cand = pd.concat(found, ignore_index=True)
    cand["c"] = index.keys_at(cand["at"].to_numpy()).to_numpy(zero_copy_only=False)
    cand = cand[cand["c"].notna() & (cand["c"] != "")]
    # a block larger than max_block (distinct ids) is too vague to search
    size = cand.drop_duplicates(["t", "c"]).groupby("t").size()
    cand = cand[cand["t"].map(size).to_numpy() <= max_block]
    compared = int(size[size <= max_block].sum()) + own_pairs
    rows = fz["row"].to_numpy()[cand["t"].to_numpy()]
    at = cand["at"].to_numpy()
    return _pairs(rows, index.bill[at], 0, index.via[at]).assign(
        level=cand["level"].to_numpy(np.int8)), compared
