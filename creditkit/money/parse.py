"""Amounts read from text to integer minor units (re-exported by :mod:`creditkit.money`).

The rules the parser follows are listed in the docstring of :mod:`creditkit.money`.

Examples
--------
>>> to_minor_units("1.5万")
1500000
"""

from __future__ import annotations

import decimal
import re
import unicodedata
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from creditkit.exceptions import MoneyParseError, ParameterError
from creditkit.money._fast import as_arrow_strings, fast_parse
from creditkit.money.iso import (
    MARKERS,
    check_rounding,
    minor_unit_exponent,
)

__all__ = [
    "amount_errors",
    "parse_amounts",
    "to_minor_units",
]

_INT64_MAX = 2**63 - 1
_MISSING = {"", "nan", "none", "null", "na", "n/a", "#n/a", "nat", "-", "--", "—", "<na>"}

_MARKER_ALT = "|".join(re.escape(m) for m in sorted(MARKERS, key=len, reverse=True))
_PREFIX = re.compile(rf"^(?:{_MARKER_ALT}|[A-Z]{{3}}(?![A-Z]))")
_SUFFIX = re.compile(rf"(?:{_MARKER_ALT}|(?<![A-Z])[A-Z]{{3}})$")
_UNITS = {"百万": 10**6, "千万": 10**7, "万": 10**4, "亿": 10**8, "千": 10**3, "K": 10**3}
_UNIT_RE = re.compile(r"(百万|千万|万|亿|千|(?<=[\d.\s])K)$")  # not the K of SEK, DKK
_REFUSED_UNIT = re.compile(r"\d\s*(M|MN|MM|BN|B)$")
# ASCII digits only (re.ASCII): after NFKC full-width digits are ASCII, while Arabic-Indic
# (٣), Devanagari (३) and other scripts' digits are not amounts a Chinese ledger writes
_NUMBER = {
    ".": re.compile(r"(?:(\d{1,3})(?P<g>[, '])\d{3}(?:(?P=g)\d{3})*|\d+)(?:\.\d*)?|\.\d+",
                    re.ASCII),
    ",": re.compile(r"(?:(\d{1,3})(?P<g>[. '])\d{3}(?:(?P=g)\d{3})*|\d+)(?:,\d*)?|,\d+",
                    re.ASCII),
}
_FOREIGN_DIGIT = re.compile(r"(?![0-9])\d")
# Exact arithmetic: the default context (28 digits) would round long inputs silently.
_CTX = decimal.Context(prec=60, traps=[decimal.InvalidOperation, decimal.Inexact])
_OTHER_MINUS = dict.fromkeys(map(ord, "\u2212\u2012\u2013\ufe63"), "-")


def _fail(value: Any, why: str, fix: str) -> MoneyParseError:
    return MoneyParseError(f"cannot read {value!r} as money: {why}; {fix}")


def _check_decimal(decimal_mark: str) -> None:
    if decimal_mark not in _NUMBER:
        raise ParameterError(f"decimal must be '.' or ','; got {decimal_mark!r}")


def _peel(text: str, original: Any) -> tuple[str, bool, int, set[str]]:
    """Strip signs, currency markers and magnitude words around a number."""
    negatives, plus, unit, markers = 0, 0, 1, set()
    t = text
    while True:
        t = t.strip()
        if not t:
            break
        if t[0] == "(" and t[-1] == ")":
            negatives, t = negatives + 1, t[1:-1]
        elif t[0] in "-+":
            negatives, plus, t = negatives + (t[0] == "-"), plus + (t[0] == "+"), t[1:]
        elif t[-1] == "-":
            negatives, t = negatives + 1, t[:-1]
        elif m := _PREFIX.match(t):
            markers.add(m.group())
            t = t[m.end():]
        elif m := _SUFFIX.search(t):
            markers.add(m.group())
            t = t[: m.start()]
        elif unit == 1 and (m := _UNIT_RE.search(t)):
            unit = _UNITS[m.group()]
            t = t[: m.start()]
        else:
            break
    if negatives + plus > 1:
        raise _fail(original, "it has more than one sign", "keep one of -, ( ) or a trailing -")
    return t, negatives == 1, unit, markers


def _check_markers(markers: set[str], currency: str, original: Any) -> None:
    for m in markers:
        allowed = MARKERS.get(m)
        if allowed is None:
            try:
                minor_unit_exponent(m)
            except ParameterError:
                raise _fail(original, f"{m!r} is not an ISO 4217 currency code",
                            "remove the text around the number") from None
            allowed = frozenset({m})
        if currency not in allowed:
            raise _fail(original, f"it is marked {m!r} ({'/'.join(sorted(allowed))}) "
                        f"but currency={currency!r}",
                        "split the rows by currency and parse each with its own currency=")


def _scale(d: Decimal, exp: int, rounding: str | None, original: Any, currency: str) -> int:
    if len(d.as_tuple().digits) > _CTX.prec - 10:
        raise _fail(original, f"it has more than {_CTX.prec - 10} digits", "check the value")
    scaled = d.scaleb(exp, context=_CTX)
    integral = scaled.to_integral_value(rounding=rounding or decimal.ROUND_HALF_EVEN,
                                        context=_CTX)
    if integral != scaled and rounding is None:
        raise _fail(original, f"it has more decimals than {currency} allows ({exp})",
                    "round it at the source or pass rounding='ROUND_HALF_EVEN' "
                    "(or another decimal rounding mode)")
    out = int(integral)
    if abs(out) > _INT64_MAX:
        raise _fail(original, "it does not fit in int64 minor units", "check the value")
    return out


def _parse_text(s: str, currency: str, exp: int, decimal_mark: str,
                rounding: str | None) -> int:
    t = unicodedata.normalize("NFKC", s).translate(_OTHER_MINUS).strip()
    if t.lower() in _MISSING:
        raise _fail(s, "the amount is missing", "fill it in, or parse_amounts(errors='coerce')")
    t = t.upper()
    core, negative, unit, markers = _peel(t, s)
    _check_markers(markers, currency, s)
    if not _NUMBER[decimal_mark].fullmatch(core):
        other = "," if decimal_mark == "." else "."
        if _FOREIGN_DIGIT.search(core):
            fix = ("it holds digits of another script (such as ٣); write the amount with "
                   "ASCII 0-9 or full-width ０-９ digits")
        elif _NUMBER[other].fullmatch(core):
            fix = f"the separators fit decimal={other!r}; pass decimal={other!r}"
        elif re.fullmatch(r"[\d.,]+E[+-]?\d+", core):
            fix = ("scientific notation may hide rounding (Excel?); "
                   "export the column with all digits")
        elif _REFUSED_UNIT.search(t):
            fix = "M/mn/bn mean different things in different trades; multiply it out"
        else:
            fix = ("write it like 1,234.56, ¥1,234.56, (123.45), 1.5万 "
                   "(group separators must make groups of 3 digits)")
        raise _fail(s, "it is not a number creditkit understands", fix)
    number = core.replace(" ", "").replace("'", "")
    if decimal_mark == ".":
        number = number.replace(",", "")
    else:
        number = number.replace(".", "").replace(",", ".")
    try:
        d = _CTX.multiply(Decimal(number), unit)
    except decimal.Inexact:
        raise _fail(s, f"it has more than {_CTX.prec - 10} digits", "check the value") from None
    return _scale(-d if negative else d, exp, rounding, s, currency)


def _to_minor(value: Any, currency: str, exp: int, decimal_mark: str,
              rounding: str | None) -> int:
    if isinstance(value, str):
        return _parse_text(value, currency, exp, decimal_mark, rounding)
    if isinstance(value, bool | np.bool_):
        raise _fail(value, "a boolean is not an amount", "pass a number or a string")
    if isinstance(value, int | np.integer):
        return _scale(Decimal(int(value)), exp, rounding, value, currency)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _fail(value, "the amount is missing or infinite", "pass a finite amount")
        return _scale(value, exp, rounding, value, currency)
    if isinstance(value, float | np.floating):
        if not np.isfinite(value):
            raise _fail(value, "the amount is missing or infinite",
                        "fill it in, or parse_amounts(errors='coerce')")
        return _scale(Decimal(repr(float(value))), exp, rounding, value, currency)
    if value is None or value is pd.NA:
        raise _fail(value, "the amount is missing", "fill it in, or parse_amounts(errors='coerce')")
    raise _fail(value, f"type {type(value).__name__} is not an amount",
                "pass a str, int or Decimal")


def to_minor_units(value: str | int | Decimal | float, currency: str = "CNY", *,
                   decimal: str = ".", rounding: str | None = None) -> int:
    """Read one amount as integer minor units of ``currency``.

    Parameters
    ----------
    value : str, int, Decimal or float
        The amount. ``int``/``Decimal`` are major units (``5`` = 5 yuan). A
        ``float`` is read via ``repr`` and must not need rounding (see module
        docstring). Strings may carry separators, currency markers,
        full-width characters, accounting negatives and ``万``/``亿``.
    currency : str, default "CNY"
        ISO 4217 code; it fixes the number of decimals (CNY 2, JPY 0, KWD 3).
    decimal : {".", ","}, default "."
        The decimal mark in ``value``; the other one is a group separator.
    rounding : str, optional
        A ``decimal`` rounding mode name such as ``"ROUND_HALF_EVEN"`` to
        round surplus decimals. By default surplus non-zero decimals raise.

    Returns
    -------
    int
        The amount in minor units.

    Raises
    ------
    MoneyParseError
        Naming the value, why it is not money, and how to fix it.
    ParameterError
        For an unknown ``decimal`` or ``rounding``.

    Examples
    --------
    >>> to_minor_units("(1,234.50)")
    -123450
    >>> to_minor_units("1 234,56", decimal=",")
    123456
    >>> to_minor_units("1.005", rounding="ROUND_HALF_EVEN")
    100
    >>> to_minor_units("1.005")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    creditkit.exceptions.MoneyParseError: cannot read '1.005' as money: it has more decimals ...
    """
    _check_decimal(decimal)
    check_rounding(rounding, allow_none=True)
    exp = minor_unit_exponent(currency)
    return _to_minor(value, currency.upper(), exp, decimal, rounding)


# --- vectorised ---------------------------------------------------------------

def parse_amounts(series: pd.Series, currency: str = "CNY", *, decimal: str = ".",
                  errors: str = "raise", rounding: str | None = None) -> pd.Series:
    """Parse a column of amounts to minor units (``Int64``), vectorised.

    Plain forms (``1234.56``, ``-1,234.56``) are parsed with Arrow string
    kernels; the rest (markers, full-width, ``万``, accounting negatives...)
    go once per distinct value through :func:`to_minor_units`'s rules.

    Parameters
    ----------
    series : Series
        Text, integer (major units), float (see :func:`to_minor_units`) or
        Decimal values. It is not modified.
    currency : str, default "CNY"
        ISO 4217 code of every amount in ``series``.
    decimal : {".", ","}, default "."
        The decimal mark.
    errors : {"raise", "coerce"}, default "raise"
        ``"coerce"`` turns unreadable and missing amounts into ``<NA>`` so that
        cleaning can quarantine them by row.
    rounding : str, optional
        Rounding mode for surplus decimals; by default they are errors.

    Returns
    -------
    Series
        ``Int64`` minor units, same index and name as ``series``.

    Raises
    ------
    MoneyParseError
        With ``errors="raise"``: how many values failed, the first ones with
        their index labels, and the fix for the first.
    ParameterError
        For a bad ``errors``, ``decimal`` or ``rounding``, or a non-Series.

    Examples
    --------
    >>> import pandas as pd
    >>> parse_amounts(pd.Series(["1,234.56", "￥12", "(3.5)", "x"]), errors="coerce").tolist()
    [123456, 1200, -350, <NA>]
    """
    _check_series(series)
    if errors not in ("raise", "coerce"):
        raise ParameterError(f"errors must be 'raise' or 'coerce'; got {errors!r}")
    values, ok, why = _parse_vector(series, currency, decimal, rounding)
    if errors == "raise" and not ok.all():
        bad = np.flatnonzero(~ok)
        labels = series.index[bad[:5]].tolist()
        shown = series.iloc[bad[:5]].tolist()
        where = f"column {series.name!r}" if series.name is not None else "the series"
        raise MoneyParseError(
            f"{len(bad)} of {len(series)} amount(s) in {where} could not be read "
            f"(index {labels}: {shown}); first: {why[bad[0]]}; "
            "or pass errors='coerce' to get <NA> and quarantine them")
    out = pd.array(values, dtype="Int64")
    out[~ok] = pd.NA
    return pd.Series(out, index=series.index, name=series.name, copy=False)


def amount_errors(series: pd.Series, currency: str = "CNY", *, decimal: str = ".",
                  rounding: str | None = None) -> pd.Series:
    """Why each amount of ``series`` cannot be read (``<NA>`` where it can).

    The reasons :func:`parse_amounts` would give, one per row, for a
    quarantine table. Same parameters as :func:`parse_amounts`.

    Returns
    -------
    Series
        ``str`` messages naming the value, the problem and the fix; same index.

    Raises
    ------
    ParameterError
        For a non-Series or a bad ``decimal``/``rounding``/``currency``.

    Examples
    --------
    >>> import pandas as pd
    >>> amount_errors(pd.Series(["1.00", "1,23"])).tolist()  # doctest: +ELLIPSIS
    [nan, "cannot read '1,23' as money: ... pass decimal=','"]
    """
    _check_series(series)
    _, ok, why = _parse_vector(series, currency, decimal, rounding)
    return pd.Series(np.where(ok, None, why), index=series.index, name=series.name, dtype="str")


def _check_series(series: Any) -> None:
    if not isinstance(series, pd.Series):
        raise ParameterError(f"expected a pandas Series, got {type(series).__name__}; "
                             "use to_minor_units for one value")
    if pd.api.types.is_bool_dtype(series.dtype):
        raise ParameterError("got a boolean column; pass amounts")


def _parse_vector(series: pd.Series, currency: str, decimal_mark: str,
                  rounding: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Minor units, readable mask and reasons (``""`` where readable) for a Series."""
    _check_decimal(decimal_mark)
    check_rounding(rounding, allow_none=True)
    exp = minor_unit_exponent(currency)
    cur = currency.upper()
    n = len(series)
    why = np.full(n, "", dtype=object)
    dtype = series.dtype
    if pd.api.types.is_integer_dtype(dtype):
        ok = ~series.isna().to_numpy()
        raw = series.to_numpy(dtype=np.int64, na_value=0)
        if (np.abs(raw) > _INT64_MAX // 10**exp).any():
            raise MoneyParseError(f"amounts in {series.name!r} overflow int64 minor units of {cur}")
        why[~ok] = _missing_message(None)
        return raw * 10**exp, ok, why
    if pd.api.types.is_string_dtype(dtype) and (
        not pd.api.types.is_object_dtype(dtype)
        or pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty")
    ):
        values, ok = fast_parse(as_arrow_strings(series), exp, decimal_mark, cur)
    else:
        values, ok = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    rest = np.flatnonzero(~ok)
    if len(rest):
        raw_rest = series.to_numpy(dtype=object)[rest]
        try:
            inverse, uniq = pd.factorize(raw_rest, use_na_sentinel=False)
        except TypeError:  # unhashable values (lists...): one by one, they will fail anyway
            inverse, uniq = np.arange(len(raw_rest)), raw_rest
        parsed = np.zeros(len(uniq), dtype=np.int64)
        good = np.zeros(len(uniq), dtype=bool)
        reasons = np.full(len(uniq), "", dtype=object)
        for i, v in enumerate(uniq):  # once per distinct value the vectorised tiers left
            try:
                parsed[i] = _to_minor(v, cur, exp, decimal_mark, rounding)
                good[i] = True
            except MoneyParseError as exc:
                reasons[i] = str(exc)
        values[rest], ok[rest], why[rest] = parsed[inverse], good[inverse], reasons[inverse]
    return values, ok, why


def _missing_message(value: Any) -> str:
    return str(_fail(value, "the amount is missing", "fill it in"))
