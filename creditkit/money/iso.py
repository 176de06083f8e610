"""ISO 4217 minor units and rounding-mode names, shared by money parsing and FX.

Public names are re-exported from :mod:`creditkit.money`.
"""

from __future__ import annotations

import decimal

from creditkit.exceptions import ParameterError

# ISO 4217 (list one, active codes) grouped by minor-unit exponent. Codes not
# listed raise: guessing 2 decimals for an unknown code could misstate money 100x.
_EXP0 = ("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF")
_EXP3 = "BHD IQD JOD KWD LYD OMR TND"
_EXP4 = "CLF UYW"
_EXP2 = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP "
    "BYN BZD CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP "
    "GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT "
    "LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN "
    "NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP "
    "SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES "
    "WST XCD YER ZAR ZMW ZWG"
)
MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(_EXP2.split(), 2),
    **dict.fromkeys(_EXP0.split(), 0),
    **dict.fromkeys(_EXP3.split(), 3),
    **dict.fromkeys(_EXP4.split(), 4),
}

#: Currency markers written around amounts -> the currencies each may stand for.
DOLLARS = frozenset({"USD", "HKD", "SGD", "AUD", "CAD", "NZD", "TWD", "MOP"})
MARKERS: dict[str, frozenset[str]] = {
    "CN¥": frozenset({"CNY"}), "RMB": frozenset({"CNY"}), "人民币": frozenset({"CNY"}),
    "元": frozenset({"CNY"}), "圆": frozenset({"CNY"}), "块": frozenset({"CNY"}),
    "JP¥": frozenset({"JPY"}), "日元": frozenset({"JPY"}), "円": frozenset({"JPY"}),
    "¥": frozenset({"CNY", "JPY"}),
    "US$": frozenset({"USD"}), "美元": frozenset({"USD"}), "HK$": frozenset({"HKD"}),
    "港币": frozenset({"HKD"}), "港元": frozenset({"HKD"}), "NT$": frozenset({"TWD"}),
    "S$": frozenset({"SGD"}), "A$": frozenset({"AUD"}), "C$": frozenset({"CAD"}),
    "$": DOLLARS, "€": frozenset({"EUR"}), "欧元": frozenset({"EUR"}),
    "£": frozenset({"GBP"}), "英镑": frozenset({"GBP"}), "₩": frozenset({"KRW"}),
    "韩元": frozenset({"KRW"}),
}
#: Names accepted wherever a ``rounding=`` parameter appears (the ``decimal`` module's).
ROUNDING_MODES = (
    decimal.ROUND_HALF_EVEN, decimal.ROUND_HALF_UP, decimal.ROUND_HALF_DOWN,
    decimal.ROUND_UP, decimal.ROUND_DOWN, decimal.ROUND_CEILING, decimal.ROUND_FLOOR,
)


def minor_unit_exponent(currency: str) -> int:
    """Number of decimals of ``currency`` in ISO 4217 (CNY 2, JPY 0, KWD 3).

    Parameters
    ----------
    currency : str
        ISO 4217 alphabetic code, any case.

    Returns
    -------
    int
        The minor-unit exponent: 1 major unit = ``10**exponent`` minor units.

    Raises
    ------
    ParameterError
        For a code that is not an active ISO 4217 currency.

    Examples
    --------
    >>> minor_unit_exponent("CNY"), minor_unit_exponent("jpy"), minor_unit_exponent("KWD")
    (2, 0, 3)
    """
    code = currency.strip().upper() if isinstance(currency, str) else currency
    try:
        return MINOR_UNITS[code]
    except (KeyError, TypeError):
        raise ParameterError(
            f"unknown currency {currency!r}; expected an ISO 4217 code such as "
            "'CNY', 'USD', 'HKD', 'EUR' or 'JPY'"
        ) from None


def check_rounding(rounding: str | None, *, allow_none: bool = False) -> None:
    """Raise ParameterError unless ``rounding`` is a decimal rounding-mode name."""
    if rounding is None and allow_none:
        return
    if rounding not in ROUNDING_MODES:
        raise ParameterError(
            f"unknown rounding {rounding!r}; expected one of {list(ROUNDING_MODES)}"
            + (" or None (surplus decimals raise)" if allow_none else "")
        )
