"""Money: amounts parsed to integer minor units, formatted for people, converted by FX.

Money in creditkit is an ``int64`` count of minor units (fen, cents) next to an
ISO 4217 ``currency``. ``Decimal`` is used only while parsing and converting;
no amount ever passes through a float.

What the parser accepts (and decides)
-------------------------------------
- Grouped or plain numbers: ``1,234.56``, ``1234.56``, ``1 234,56`` with
  ``decimal=","``. Group separators must make groups of three digits, so
  ``1,23`` raises instead of being read as 123 or 1.23.
- Full-width digits and punctuation (``１２３４.５０``, ``￥``, ``（１２）``),
  via Unicode NFKC normalisation.
- Currency markers before or after the number: ``¥ ￥ CN¥ RMB CNY 人民币 元``,
  ``US$ USD 美元 $``, ``HK$ 港币``, ``€ EUR``, ``JP¥ 日元``... A marker that
  contradicts ``currency`` raises (``US$5`` read as CNY is an error, not 5 yuan).
- Negatives: ``-123.45``, ``(123.45)`` (accounting) and ``123.45-`` (trailing
  minus, as SAP and some bank exports write them). Two negative marks raise.
- Chinese magnitude words ``万`` (10^4), ``亿`` (10^8), ``千`` (10^3),
  ``百万``, ``千万`` and the suffix ``k``/``K`` (10^3): ``1.5万`` = 15,000.00.
  ``M``/``m``/``mn``/``bn`` are refused: their meaning differs between trades.
- More decimals than the currency has (``1.005`` yuan) raise unless trailing
  zeros, or unless you pass ``rounding="ROUND_HALF_EVEN"`` (any ``decimal``
  rounding mode name). The default never loses money silently.
- Scientific notation (``1.23E+05``) raises: it usually means Excel rounded
  the value before export.
- ``int`` and ``Decimal`` inputs are amounts in major units (``5`` = 5 yuan).
  A ``float`` is read through its ``repr`` (``0.1`` -> ``"0.1"``) and is
  accepted when that text has no more decimals than the currency allows.
- Blank, ``NaN``, ``NULL``, ``#N/A``, ``-`` are missing: they raise (or give
  ``<NA>`` in :func:`parse_amounts` with ``errors="coerce"``).

Examples
--------
>>> to_minor_units("￥1,234.56")
123456
>>> to_minor_units("1.5万")
1500000
>>> format_minor(-123456, "CNY")
'-¥1,234.56'
"""

from __future__ import annotations

from creditkit.money.format import format_minor
from creditkit.money.fx import FXTable
from creditkit.money.iso import ROUNDING_MODES, minor_unit_exponent
from creditkit.money.parse import amount_errors, parse_amounts, to_minor_units

__all__ = [
    "ROUNDING_MODES",
    "FXTable",
    "amount_errors",
    "format_minor",
    "minor_unit_exponent",
    "parse_amounts",
    "to_minor_units",
]
