"""Personal numbers inside free text (references, notes): found by shape, confirmed by checksum.

Used by :func:`creditkit.privacy.mask_free_text`. A number in a text is
masked when it is one of:

- a resident ID number: 18 characters whose last is the GB 11643 check
  character of the first 17 (:func:`creditkit.ids.id_check_ascii`), or the
  old 15-digit form (no check character: its birth date ``YYMMDD`` must be a
  calendar-like date); kept: first 3 and last 4;
- a mainland mobile: ``1[3-9]`` and 9 more digits, with or without ``+86`` /
  ``0086`` / ``86`` and with spaces or dashes between groups; kept: ``138****5678``;
- a bank card: 13 to 19 digits (groups of 4 separated by spaces or dashes
  allowed) passing the Luhn check, or any 13 to 19 digits right after 卡号,
  银行卡 or "card no"; kept: first 6 and last 4.

Every other number (amounts, dates, invoice numbers) is left as it is. The
search runs in pyarrow's RE2 over all values at once, one pass per number in
the longest text; the checksums run in numpy over all numbers of one length.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from creditkit.ids import id_check_ascii

__all__ = ["mask_numbers"]

_TOKEN = (
    r"(?:\+86[ -]?|0086[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}"  # mobile, separated
    r"|[0-9]{4}(?:[ -][0-9]{4}){2,3}(?:[ -][0-9]{1,3})?"  # card in groups of four
    r"|[0-9]+[Xx]?"  # any other run of digits
)
# The token starts at the first digit left and must not be followed by another digit.
_FIND = rf"(?s)^(?P<pre>.*?)(?P<tok>{_TOKEN})(?P<post>[^0-9].*|)$"
_CARD_WORD = r"(?i)(?:卡号|银行卡|卡|card(?: ?no\.?| ?number)?)[ :：#]*$"
_ID15 = r"^[1-9][0-9]{5}[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}$"


def _arrow(t: pd.Series) -> pa.Array:
    return pa.chunked_array(pa.array(t.array)).combine_chunks().cast(pa.string())


def _series(values: pa.Array, index: pd.Index) -> pd.Series:
    return pd.Series(pd.array(values, dtype="str"), index=index)


def _matrix(values: np.ndarray, width: int) -> np.ndarray:
    return np.asarray(values.tolist(), dtype=f"S{width}").view(np.uint8).reshape(-1, width)


def _luhn(m: np.ndarray) -> np.ndarray:
    digits = m.astype(np.int64) - 48
    doubled = digits[:, -2::-2] * 2
    total = digits[:, ::-2].sum(axis=1) + (doubled - 9 * (doubled > 9)).sum(axis=1)
    return total % 10 == 0


def _classify(digits: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(is ID number, is mobile, is card) for separator-free tokens."""
    a = _arrow(digits)
    n = len(digits)
    length = pc.utf8_length(a).to_numpy(zero_copy_only=False)
    values = digits.to_numpy(object)
    is_id = np.zeros(n, bool)
    long_shape = pc.match_substring_regex(a, r"^[1-9][0-9]{16}[0-9X]$").to_numpy(
        zero_copy_only=False)
    if long_shape.any():
        m = _matrix(values[long_shape], 18)
        is_id[long_shape] = id_check_ascii(m[:, :17]) == m[:, 17]
    is_id |= pc.match_substring_regex(a, _ID15).to_numpy(zero_copy_only=False)
    mobile = pc.match_substring_regex(a, r"^(?:86)?1[3-9][0-9]{9}$").to_numpy(
        zero_copy_only=False) & ~is_id
    card = np.zeros(n, bool)
    numeric = pc.match_substring_regex(a, r"^[0-9]+$").to_numpy(zero_copy_only=False)
    for width in range(13, 20):
        sel = numeric & (length == width) & ~is_id & ~mobile
        if sel.any():
            card[sel] = _luhn(_matrix(values[sel], width))
    return is_id, mobile, card


def _mask_tokens(tok: pd.Series, named: np.ndarray) -> pd.Series:
    a = pc.utf8_upper(_arrow(tok))
    d = pc.replace_substring_regex(a, r"[ -]|^\+86|^0086", "")
    digits = _series(d, tok.index)
    is_id, mobile, card = _classify(digits)
    # after 卡号 / card no: 13-19 digits are a card even when Luhn fails (mistyped, test data)
    card |= named & pc.match_substring_regex(d, r"^[0-9]{13,19}$").to_numpy(
        zero_copy_only=False) & ~is_id & ~mobile
    mob = pc.replace_substring_regex(d, r"^86(1[0-9]{10})$", r"\1")

    def keep(values: pa.Array, head: int, tail: int) -> pa.Array:
        stars = pc.binary_repeat("*", pc.max_element_wise(
            pc.subtract(pc.utf8_length(values), head + tail), 0))
        return pc.binary_join_element_wise(
            pc.utf8_slice_codeunits(values, 0, head), stars,
            pc.utf8_slice_codeunits(values, -tail), "")
    out = tok.to_numpy(object).copy()
    for sel, masked in ((is_id, keep(d, 3, 4)), (mobile, keep(mob, 3, 4)),
                        (card, keep(d, 6, 4))):
        if sel.any():
            out[sel] = np.asarray(masked.to_pylist(), dtype=object)[sel]
    return pd.Series(out, index=tok.index, dtype="str")


def mask_numbers(t: pd.Series) -> pd.Series:
    """Mask ID numbers, mobiles and card numbers inside texts; the rest of each text is kept.

    Parameters
    ----------
    t : Series of str
        Texts (missing values allowed).

    Returns
    -------
    Series of str
        Same index.

    Examples
    --------
    >>> import pandas as pd
    >>> mask_numbers(pd.Series(["还款 身份证11010519491231002X 手机138-0013-8000",
    ...                         "INV-2025-001 卡号 6222 0212 3456 7890 1"])).tolist()
    ['还款 身份证110***********002X 手机138****8000', 'INV-2025-001 卡号 622202*******8901']
    """
    out = t.astype("str").copy()
    pending = out[out.notna()]
    done = pd.Series("", index=pending.index, dtype="str")
    while len(pending):
        found = pc.extract_regex(_arrow(pending), _FIND)
        # flatten, not field(): a text without a number is a null struct, missing in each group
        groups = found.flatten() if len(found) else [pa.array([], pa.string())] * 3
        pre, tok, post = (_series(g, pending.index) for g in groups)
        hit = tok.notna().to_numpy()
        if (~hit).any():
            out[pending.index[~hit]] = (done[~hit] + pending[~hit]).to_numpy()
        if not hit.any():
            break
        named = pc.match_substring_regex(_arrow(pre[hit]), _CARD_WORD).to_numpy(
            zero_copy_only=False)
        done = done[hit] + pre[hit] + _mask_tokens(tok[hit], named)
        pending = post[hit]
    return out
