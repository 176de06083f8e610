"""Dated FX rate table and exact conversion of minor units (re-exported by creditkit.money)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from creditkit.checks import check_date
from creditkit.exceptions import FXRateError, ParameterError
from creditkit.money.iso import check_rounding, minor_unit_exponent

__all__ = ["FXTable"]

_INT64_MAX = 2**63 - 1


def _to_decimal(value: Any) -> Decimal | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float | np.floating):
        value = repr(float(value))
    try:
        d = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise ParameterError(
            f"FX rate {value!r} is not a number; write rates like '7.10'") from None
    if str(value).strip() == "":
        return None
    if not d.is_finite() or d <= 0:
        raise ParameterError(f"FX rate {value!r} must be a positive finite number")
    return d


def _round_div(num: np.ndarray, den: np.ndarray, mode: str) -> np.ndarray:
    """``num / den`` rounded to an integer with a decimal rounding mode (den > 0)."""
    q = num // den  # floor division, also for object arrays of Python ints
    r = num - q * den  # 0 <= r < den
    inexact = r != 0
    twice = 2 * r
    if mode == "ROUND_FLOOR":
        up = np.zeros_like(inexact)
    elif mode == "ROUND_CEILING":
        up = inexact
    elif mode == "ROUND_DOWN":
        up = inexact & (num < 0)
    elif mode == "ROUND_UP":
        up = inexact & (num > 0)
    else:
        tie = twice == den
        if mode == "ROUND_HALF_UP":
            tie_up = num > 0
        elif mode == "ROUND_HALF_DOWN":
            tie_up = num < 0
        else:  # ROUND_HALF_EVEN
            tie_up = (q % 2) != 0
        up = (twice > den) | (tie & tie_up)
    return q + up.astype(np.int64)


class FXTable:
    """A dated table of exchange rates and exact conversion of minor units.

    Parameters
    ----------
    rates : DataFrame
        Either the wide form ``currency, rate_date, to_CNY[, to_USD, ...]``
        (one column per target currency: units of the target per 1 unit of
        ``currency``), or the long form ``currency, rate_date, to_currency,
        rate``. Rates are strings or ``Decimal`` (``"7.10"``); ints are fine and
        floats are read through ``repr``. Blank cells in the wide form mean "no
        rate". The frame is copied, never modified.

    Raises
    ------
    ParameterError
        Missing columns, unreadable dates, non-positive rates, or two
        different rates for one currency pair on one date.

    Examples
    --------
    >>> import pandas as pd
    >>> fx = FXTable(pd.DataFrame({"currency": ["USD"], "rate_date": ["2025-06-30"],
    ...                            "to_CNY": ["7.10"]}))
    >>> fx.convert(pd.Series([60000]), "USD", "2025-06-30", to="CNY").tolist()
    [426000]
    >>> fx.rate("USD", "2025-07-15")
    Decimal('7.10')
    """

    def __init__(self, rates: pd.DataFrame) -> None:
        if not isinstance(rates, pd.DataFrame):
            raise ParameterError(
                f"FXTable expects a DataFrame of rates, got {type(rates).__name__}")
        cols = list(map(str, rates.columns))
        wide = [c for c in cols if c.startswith("to_") and c != "to_currency"]
        long_form = {"to_currency", "rate"} <= set(cols)
        missing = [c for c in ("currency", "rate_date") if c not in cols]
        if missing or not (wide or long_form):
            raise ParameterError(
                f"FX rates need columns currency, rate_date and either to_<CUR> columns "
                f"(e.g. to_CNY) or to_currency + rate; got {cols}")
        if long_form:
            frame = rates[["currency", "rate_date", "to_currency", "rate"]]
        else:
            frame = rates.melt(id_vars=["currency", "rate_date"], value_vars=wide,
                               var_name="to_currency", value_name="rate")
            frame["to_currency"] = frame["to_currency"].str[3:]
        frame = frame.assign(
            currency=frame["currency"].astype(str).str.strip().str.upper(),
            to_currency=frame["to_currency"].astype(str).str.strip().str.upper(),
            rate=[_to_decimal(v) for v in frame["rate"]],
        )
        frame = frame[frame["rate"].notna()]
        for code in pd.unique(pd.concat([frame["currency"], frame["to_currency"]])):
            minor_unit_exponent(code)
        try:
            dates = pd.to_datetime(frame["rate_date"]).astype("datetime64[ns]")
        except (ValueError, TypeError) as exc:
            raise ParameterError(f"FX rate_date values must be dates: {exc}") from None
        if dates.isna().any():
            raise ParameterError("FX rate table has blank rate_date values; fill or drop them")
        frame = frame.assign(rate_date=dates.dt.normalize())
        key = ["currency", "to_currency", "rate_date"]
        conflict = frame.groupby(key)["rate"].nunique()
        if (conflict > 1).any():
            first = conflict[conflict > 1].index[0]
            raise ParameterError(f"two different FX rates for {first[0]}->{first[1]} on "
                                 f"{first[2].date()}; keep one")
        self.rates_ = (frame.drop_duplicates(key).sort_values(key)
                       .reset_index(drop=True)[[*key, "rate"]])

    def __repr__(self) -> str:
        pairs = sorted(set(zip(self.rates_["currency"], self.rates_["to_currency"], strict=True)))
        return f"FXTable({len(self.rates_)} rates, pairs={[f'{a}->{b}' for a, b in pairs]})"

    def rate(self, currency: str, on: Any, to: str = "CNY") -> Decimal:
        """The rate ``currency`` -> ``to`` in force on ``on`` (latest on or before it).

        Raises
        ------
        FXRateError
            When the table has no such rate on or before ``on``.

        Examples
        --------
        >>> import pandas as pd
        >>> FXTable(pd.DataFrame({"currency": ["USD"], "rate_date": ["2025-06-30"],
        ...     "to_CNY": ["7.10"]})).rate("USD", "2025-06-01")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        creditkit.exceptions.FXRateError: no USD->CNY rate on or before 2025-06-01 ...
        """
        if currency.upper() == to.upper():
            return Decimal(1)
        return self._lookup(pd.Series([currency]), pd.Series([check_date(on, "on")]), to)[0]

    def _lookup(self, cur: pd.Series, on: pd.Series, to: str) -> list[Decimal]:
        table = self.rates_[self.rates_["to_currency"] == to]
        left = pd.DataFrame({"currency": cur.to_numpy(),
                             "on": on.to_numpy().astype("datetime64[ns]"),
                             "pos": np.arange(len(cur))}).sort_values("on", kind="stable")
        right = table[["currency", "rate_date", "rate"]].sort_values("rate_date")
        merged = pd.merge_asof(left, right, left_on="on", right_on="rate_date",
                               by="currency", direction="backward").sort_values("pos")
        miss = merged["rate"].isna().to_numpy()
        if miss.any():
            row = merged[miss].iloc[0]
            c, d = row["currency"], pd.Timestamp(row["on"]).date()
            known = table.loc[table["currency"] == c, "rate_date"]
            hint = (f"the table's {c}->{to} rates start {known.min().date()}" if len(known)
                    else f"the table has no {c}->{to} rates at all")
            raise FXRateError(f"no {c}->{to} rate on or before {d} ({int(miss.sum())} "
                              f"amount(s)); {hint}; add a rate dated on or before {d}")
        return merged["rate"].tolist()

    def convert(self, amount_minor: pd.Series, currency: pd.Series | str, on: Any, to: str = "CNY",
                *, rounding: str = "ROUND_HALF_EVEN") -> pd.Series:
        """Convert minor units to ``to`` at the latest rate on or before each date.

        ``result = amount * rate * 10**(exp_to - exp_from)``, computed exactly as
        a fraction of integers and rounded once with ``rounding``; amounts
        already in ``to`` pass through unchanged.

        Parameters
        ----------
        amount_minor : Series of int
            Minor units (``int64`` or ``Int64``; ``<NA>`` stays ``<NA>``). Not modified.
        currency : Series of str or str
            ISO 4217 code per amount (or one for all).
        on : Series of dates or a date
            The date each amount is converted at.
        to : str, default "CNY"
            Reporting currency.
        rounding : str, default "ROUND_HALF_EVEN"
            A ``decimal`` rounding-mode name (banker's rounding by default).

        Returns
        -------
        Series
            Minor units of ``to``, same index and name as ``amount_minor``.

        Raises
        ------
        FXRateError
            Naming the currency and date with no rate on or before it.
        ParameterError
            For non-integer amounts, blank dates or an unknown rounding.

        Examples
        --------
        >>> import pandas as pd
        >>> fx = FXTable(pd.DataFrame({"currency": ["USD", "USD"],
        ...     "rate_date": ["2025-01-01", "2025-06-30"], "to_CNY": ["7.20", "7.10"]}))
        >>> on = pd.Series(pd.to_datetime(["2025-03-01", "2025-07-01", "2025-07-01"]))
        >>> fx.convert(pd.Series([100, 100, 100]), pd.Series(["USD", "USD", "CNY"]), on).tolist()
        [720, 710, 100]
        """
        check_rounding(rounding)
        if not isinstance(amount_minor, pd.Series) or not pd.api.types.is_integer_dtype(
                amount_minor.dtype) or pd.api.types.is_bool_dtype(amount_minor.dtype):
            got = amount_minor.dtype if isinstance(amount_minor, pd.Series) else type(amount_minor)
            raise ParameterError(
                f"amount_minor must be a Series of integer minor units; got {got}; "
                "parse amounts with creditkit.money.parse_amounts first")
        n = len(amount_minor)
        to = to.upper()
        exp_to = minor_unit_exponent(to)
        cur = (pd.Series([currency] * n) if isinstance(currency, str)
               else pd.Series(np.asarray(currency, dtype=object)))
        if cur.isna().any():
            raise ParameterError(f"{int(cur.isna().sum())} amount(s) have no currency; "
                                 "fill the currency column first")
        cur = cur.astype(str).str.strip().str.upper()
        dates = (pd.Series(pd.to_datetime(on)) if pd.api.types.is_list_like(on)
                 else pd.Series([check_date(on, "on")] * n, dtype="datetime64[ns]"))
        if len(cur) != n or len(dates) != n:
            raise ParameterError(f"currency and on must have one value per amount ({n}); "
                                 f"got {len(cur)} and {len(dates)}")
        na = amount_minor.isna().to_numpy()
        amounts = amount_minor.to_numpy(dtype=np.int64, na_value=0)
        out = amounts.copy()
        foreign = (cur != to).to_numpy() & ~na
        if foreign.any():
            if dates[foreign].isna().any():
                raise ParameterError("blank dates in on= for foreign-currency amounts; "
                                     "give every amount the date to convert at")
            fcur = cur[foreign].reset_index(drop=True)
            rates = self._lookup(fcur, dates[foreign].reset_index(drop=True).dt.normalize(), to)
            pairs = pd.DataFrame({"cur": fcur, "rate": [str(r) for r in rates]})
            codes, uniq = pd.factorize(pd.MultiIndex.from_frame(pairs))
            num = np.empty(len(uniq), dtype=object)
            den = np.empty(len(uniq), dtype=object)
            for i, (c, r) in enumerate(uniq):  # one exact fraction per distinct pair
                f = Fraction(Decimal(r)) * Fraction(10) ** (exp_to - minor_unit_exponent(c))
                num[i], den[i] = f.numerator, f.denominator
            out[foreign] = self._apply(amounts[foreign], num[codes], den[codes], rounding)
        res = pd.Series(out, index=amount_minor.index, name=amount_minor.name)
        if na.any():
            res = res.astype("Int64").mask(na)
        return res

    @staticmethod
    def _apply(amounts: np.ndarray, num: np.ndarray, den: np.ndarray, rounding: str) -> np.ndarray:
        """Round ``amounts * num / den`` row by row; int64 where safe, Python ints otherwise."""
        result = np.empty(len(amounts), dtype=np.int64)
        safe = np.zeros(len(amounts), dtype=bool)
        if max(num, default=0) <= _INT64_MAX and max(den, default=0) <= _INT64_MAX // 2:
            n64, d64 = num.astype(np.int64), den.astype(np.int64)
            safe = np.abs(amounts) <= _INT64_MAX // np.maximum(n64, 1)
            result[safe] = _round_div(amounts[safe] * n64[safe], d64[safe], rounding)
        if not safe.all():
            big = _round_div(amounts[~safe].astype(object) * num[~safe], den[~safe], rounding)
            if any(abs(int(v)) > _INT64_MAX for v in big):
                raise ParameterError("a converted amount does not fit in int64 minor units")
            result[~safe] = big.astype(np.int64)
        return result
