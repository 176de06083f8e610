"""Minor units written for people: ``123456`` CNY -> ``'¥1,234.56'``.

Re-exported by :mod:`creditkit.money`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from creditkit.checks import check_lang
from creditkit.exceptions import ParameterError
from creditkit.money.iso import minor_unit_exponent

__all__ = ["format_minor"]

_SYMBOLS = {"CNY": "¥", "USD": "US$", "HKD": "HK$", "EUR": "€", "GBP": "£", "JPY": "JP¥",
            "KRW": "₩", "TWD": "NT$", "SGD": "S$", "AUD": "A$", "CAD": "C$"}


def format_minor(amount_minor: int | pd.Series, currency: str = "CNY", *,
                 lang: str = "zh", symbol: bool = True) -> str | pd.Series:
    """Format minor units for people: ``123456`` CNY -> ``'¥1,234.56'``.

    Parameters
    ----------
    amount_minor : int or Series of int
        Minor units (``<NA>`` in a Series formats as ``""``).
    currency : str, default "CNY"
        ISO 4217 code; it fixes the decimals.
    lang : {"zh", "en"}, default "zh"
        ``"zh"`` writes CNY as ``¥``, ``"en"`` as ``CN¥``; other currencies use
        an unambiguous symbol (``US$``, ``HK$``, ``€``, ``JP¥``) or the ISO code.
    symbol : bool, default True
        Without a symbol: ``'1,234.56'``.

    Returns
    -------
    str or Series of str
        Text that :func:`to_minor_units` reads back to the same amount.

    Raises
    ------
    ParameterError
        For an unknown ``lang`` or a non-integer amount.

    Examples
    --------
    >>> format_minor(123456)
    '¥1,234.56'
    >>> format_minor(-5, "USD", lang="en")
    '-US$0.05'
    >>> format_minor(1500, "JPY")
    'JP¥1,500'
    """
    check_lang(lang)
    exp = minor_unit_exponent(currency)
    cur = currency.upper()
    sym = ""
    if symbol:
        sym = "CN¥" if (cur == "CNY" and lang == "en") else _SYMBOLS.get(cur, cur + " ")
    if isinstance(amount_minor, pd.Series):
        return amount_minor.map(lambda a: "" if pd.isna(a) else _format_one(a, exp, sym))
    return _format_one(amount_minor, exp, sym)


def _format_one(amount: Any, exp: int, sym: str) -> str:
    if isinstance(amount, bool | np.bool_) or not isinstance(amount, int | np.integer):
        raise ParameterError(f"format_minor expects integer minor units; got {amount!r} "
                             f"({type(amount).__name__}); parse it with to_minor_units first")
    a = int(amount)
    whole, frac = divmod(abs(a), 10**exp)
    text = f"{whole:,}" + (f".{frac:0{exp}d}" if exp else "")
    return ("-" if a < 0 else "") + sym + text

