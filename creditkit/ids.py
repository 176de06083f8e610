"""Chinese identity numbers: check characters and vectorised validators.

Two national standards define the identifiers credit files carry:

- **GB 11643-1999** citizen identity number (居民身份证号码): 6-digit
  administrative region code, 8-digit birth date ``YYYYMMDD``, 3-digit
  sequence (odd for men, even for women) and a check character from ISO 7064
  MOD 11-2: ``sum(d_i * w_i) mod 11`` with weights ``2**(17-i) mod 11`` mapped
  through ``"10X98765432"``.
- **GB 32100-2015** unified social credit code (统一社会信用代码) of
  organisations: registration authority, organisation type, 6-digit region
  code, 9-character organisation code (GB 11714) and a check character over
  the 31-character set ``0-9A-Z`` without ``I O S V Z``:
  ``31 - (sum(c_i * w_i) mod 31)`` with weights ``3**i mod 31``.

The validators take a Series (or anything list-like) and return a boolean
Series on the same index: missing values and malformed strings are ``False``.
Cleaning normalises before it validates (full-width to half-width, spaces
removed, 15-digit legacy numbers converted); these functions only check.

Examples
--------
>>> import pandas as pd
>>> id_number_check_digit("11010519491231002")
'X'
>>> check_id_number(pd.Series(["11010519491231002X", "110105194912310021", None])).tolist()
[True, False, False]
>>> check_credit_code(pd.Series(["91350100M000100Y43", "91350100M000100Y44"])).tolist()
[True, False]
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = [
    "CREDIT_CODE_CHARS",
    "check_credit_code",
    "check_id_number",
    "credit_code_check_ascii",
    "credit_code_check_char",
    "id_check_ascii",
    "id_number_check_digit",
]

_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)

#: The 31 characters a unified social credit code may use (GB 32100-2015).
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CC_WEIGHTS = np.array(
    [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64)
_CC_ASCII = np.frombuffer(CREDIT_CODE_CHARS.encode(), dtype=np.uint8)
_CC_VALUE = np.full(256, -1, dtype=np.int64)  # ASCII byte -> value 0..30, -1 if not allowed
_CC_VALUE[_CC_ASCII] = np.arange(31)
_CC_VALUE[np.frombuffer(CREDIT_CODE_CHARS.lower().encode(), dtype=np.uint8)[10:]] = np.arange(
    10, 31)

# First two digits of the region code: provinces, Taiwan (71), Hong Kong (81), Macao (82).
_PROVINCES = frozenset(
    [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
     50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83])
_PROVINCE_OK = np.zeros(100, dtype=bool)
_PROVINCE_OK[list(_PROVINCES)] = True


def id_check_ascii(body: np.ndarray) -> np.ndarray:
    """Check characters of ID numbers, vectorised over ASCII bytes.

    Parameters
    ----------
    body : ndarray of uint8, shape (n, 17)
        The first 17 characters of each ID number, as ASCII digit bytes.

    Returns
    -------
    ndarray of uint8, shape (n,)
        The 18th character of each number, as an ASCII byte (``X`` is 88).

    Examples
    --------
    >>> import numpy as np
    >>> body = np.frombuffer(b"11010519491231002", dtype=np.uint8).reshape(1, 17)
    >>> bytes(id_check_ascii(body))
    b'X'
    """
    digits = body.astype(np.int64) - 48
    return _ID_CHECK[(digits @ _ID_WEIGHTS) % 11]


def credit_code_check_ascii(body: np.ndarray) -> np.ndarray:
    """Check characters of unified social credit codes, vectorised over ASCII bytes.

    Parameters
    ----------
    body : ndarray of uint8, shape (n, 17)
        The first 17 characters of each code, as ASCII bytes of
        :data:`CREDIT_CODE_CHARS`.

    Returns
    -------
    ndarray of uint8, shape (n,)
        The 18th character of each code, as an ASCII byte.

    Examples
    --------
    >>> import numpy as np
    >>> body = np.frombuffer(b"91350100M000100Y4", dtype=np.uint8).reshape(1, 17)
    >>> bytes(credit_code_check_ascii(body))
    b'3'
    """
    values = _CC_VALUE[body]
    return _CC_ASCII[(31 - (values @ _CC_WEIGHTS) % 31) % 31]


def _as_series(values: Iterable[str] | pd.Series) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    return pd.Series(list(values) if not isinstance(values, pd.Index) else values, dtype=object)


def _ascii_matrix(strings: pd.Series, width: int) -> np.ndarray:
    """``(n, width)`` uint8 matrix of ASCII strings already known to be ``width`` long."""
    if strings.empty:
        return np.empty((0, width), dtype=np.uint8)
    raw = np.asarray(strings.tolist(), dtype=f"S{width}")
    return raw.view(np.uint8).reshape(-1, width)


def _bodies(first17: str | Iterable[str] | pd.Series, pattern: str, what: str):
    from creditkit.exceptions import ParameterError

    scalar = isinstance(first17, str)
    s = _as_series([first17] if scalar else first17)
    text = s.astype("str")
    ok = text.str.fullmatch(pattern).fillna(False).astype(bool)
    if not ok.all():
        bad = s[~ok].head(3).tolist()
        raise ParameterError(
            f"expected the first 17 characters of {what}; got {bad!r}; "
            "pass exactly 17 characters (normalise with creditkit.cleaning first)")
    return scalar, s, _ascii_matrix(text.str.upper(), 17)


def id_number_check_digit(first17: str | Iterable[str] | pd.Series) -> str | pd.Series:
    """The GB 11643 (ISO 7064 MOD 11-2) check character of resident ID numbers.

    Parameters
    ----------
    first17 : str or Series of str
        The first 17 digits of one or more ID numbers.

    Returns
    -------
    str or Series of str
        ``"0"``-``"9"`` or ``"X"``; a Series on the input's index when given one.

    Raises
    ------
    ParameterError
        When a value is not exactly 17 digits.

    Examples
    --------
    >>> id_number_check_digit("44030419900101001")
    '1'
    >>> id_number_check_digit(["11010519491231002", "44030419900101001"]).tolist()
    ['X', '1']
    """
    scalar, s, body = _bodies(first17, r"[0-9]{17}", "a resident ID number (17 digits)")
    check = id_check_ascii(body).view("S1").astype(str)
    return str(check[0]) if scalar else pd.Series(check, index=s.index, dtype="str")


def credit_code_check_char(first17: str | Iterable[str] | pd.Series) -> str | pd.Series:
    """The GB 32100 check character of unified social credit codes.

    Parameters
    ----------
    first17 : str or Series of str
        The first 17 characters (digits and upper-case letters without
        ``I O S V Z``) of one or more codes.

    Returns
    -------
    str or Series of str
        One character of :data:`CREDIT_CODE_CHARS` per code.

    Raises
    ------
    ParameterError
        When a value is not 17 allowed characters.

    Examples
    --------
    >>> credit_code_check_char("91350100M000100Y4")
    '3'
    """
    scalar, s, body = _bodies(
        first17, r"[0-9A-HJ-NP-RTUWXYa-hj-np-rtuwxy]{17}",
        "a unified social credit code (17 of 0-9A-Z without I O S V Z)")
    check = credit_code_check_ascii(body).view("S1").astype(str)
    return str(check[0]) if scalar else pd.Series(check, index=s.index, dtype="str")


def check_id_number(
    values: Iterable[str] | pd.Series, *, strict: bool = True
) -> pd.Series:
    """Whether each value is a valid 18-digit resident ID number.

    A value passes when it is 17 digits followed by the right GB 11643 check
    character (``X`` in either case). With ``strict`` the region code must
    start with a real province code and the birth date must be a calendar
    date from 1900 on.

    Parameters
    ----------
    values : Series or list-like of str
        ID numbers, already normalised (no spaces, half-width).
    strict : bool, default True
        Also check the province code and the birth date.

    Returns
    -------
    Series of bool
        On the input's index; missing and malformed values are ``False``.

    Examples
    --------
    >>> check_id_number(["11010519491231002X", "11010519491231002x", "11010519491331002X"]).tolist()
    [True, True, False]
    """
    s = _as_series(values)
    text = s.astype("str")
    out = text.str.fullmatch(r"[0-9]{17}[0-9Xx]").fillna(False).to_numpy(dtype=bool, copy=True)
    if out.any():
        m = _ascii_matrix(text[out].str.upper(), 18)
        good = id_check_ascii(m[:, :17]) == m[:, 17]
        if strict:
            province = (m[:, 0].astype(np.int64) - 48) * 10 + (m[:, 1] - 48)
            birth = pd.to_datetime(text[out].str.slice(6, 14), format="%Y%m%d", errors="coerce")
            good &= _PROVINCE_OK[province] & (birth.dt.year >= 1900).to_numpy(dtype=bool)
        out[out] = good
    return pd.Series(out, index=s.index, dtype=bool)


def check_credit_code(values: Iterable[str] | pd.Series) -> pd.Series:
    """Whether each value is a valid unified social credit code (GB 32100).

    Parameters
    ----------
    values : Series or list-like of str
        Codes, already normalised (no spaces, half-width); letters in either case.

    Returns
    -------
    Series of bool
        On the input's index; missing and malformed values are ``False``.

    Examples
    --------
    >>> check_credit_code(["91350100M000100Y43", "91350100M000100Y4", None]).tolist()
    [True, False, False]
    """
    s = _as_series(values)
    text = s.astype("str")
    out = text.str.fullmatch(r"[0-9A-HJ-NP-RTUWXYa-hj-np-rtuwxy]{18}").fillna(False)
    out = out.to_numpy(dtype=bool, copy=True)
    if out.any():
        m = _ascii_matrix(text[out].str.upper(), 18)
        out[out] = credit_code_check_ascii(m[:, :17]) == m[:, 17]
    return pd.Series(out, index=s.index, dtype=bool)
