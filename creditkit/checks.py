"""Checks of the inputs every concept shares: one rule each, one owner.

Every public function of creditkit that takes an ``as_of`` date, a report
language, a 0/1 target or a feature matrix checks it here, so that the same
input is accepted or refused the same way everywhere, with the same message.
A new concept uses these functions; it never writes its own version of them
(``tests/test_checks.py`` fails when one is written out again).

The rules:

- **Dates** (:func:`check_date`, :func:`check_as_of`): a string, ``date``,
  ``datetime``, ``numpy.datetime64`` or ``pandas.Timestamp``; a time of day is
  dropped (dates are at midnight); a timezone-aware value is refused, because
  which calendar day it means depends on the timezone and creditkit will not
  guess it.
- **Language** (:func:`check_lang`): ``"zh"`` or ``"en"``.
- **Target** (:func:`check_target`): one value per row, each 0 (good) or
  1 (bad), no missing values; returned as ``int8``.
- **Feature matrix** (:func:`check_frame`): a DataFrame (or anything with
  ``to_pandas``) or a dense 2-d array, whose columns are named ``x0, x1, …``;
  column names must be unique.
- **A table a function reads** (:func:`check_table`): a DataFrame holding the
  columns it needs; the message names the missing ones, what arrived and the fix.
- **A result passed on** (:func:`check_instance`): a view of another step's
  result (a run, a review, a worklist) is given that result, or is told which
  call makes one.

Examples
--------
>>> from creditkit.checks import check_as_of, check_lang, check_target
>>> check_as_of("2025-06-30 17:45")
Timestamp('2025-06-30 00:00:00')
>>> check_lang("en")
'en'
>>> check_target([0, 1, 1.0]).tolist()
[0, 1, 1]
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from creditkit.exceptions import ParameterError, SchemaError

__all__ = [
    "LANGS",
    "check_as_of",
    "check_date",
    "check_frame",
    "check_instance",
    "check_lang",
    "check_table",
    "check_target",
    "date_to_day",
]

#: The report languages: Chinese and English.
LANGS: tuple[str, ...] = ("zh", "en")

_DATE_TYPES = (str, _dt.date, np.datetime64, pd.Timestamp)


def check_date(value: Any, name: str = "date") -> pd.Timestamp:
    """``value`` as a timezone-naive ``pandas.Timestamp`` at midnight.

    Parameters
    ----------
    value : str, datetime.date, datetime.datetime, numpy.datetime64 or pandas.Timestamp
        The date. A time of day is dropped.
    name : str, default "date"
        The parameter's name, used in the error message.

    Returns
    -------
    pandas.Timestamp
        Timezone-naive, at midnight.

    Raises
    ------
    ParameterError
        When ``value`` is not a date, is missing (NaT), or carries a timezone.

    Examples
    --------
    >>> import datetime
    >>> check_date(datetime.date(2025, 1, 31), "start")
    Timestamp('2025-01-31 00:00:00')
    >>> check_date("2025-13-01", "start")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: start must be a date, got '2025-13-01' (str); ...
    """
    ts = None
    if isinstance(value, _DATE_TYPES):
        try:
            ts = pd.Timestamp(value)
        except (TypeError, ValueError, OverflowError):
            ts = None
    if ts is None or pd.isna(ts):
        raise ParameterError(
            f"{name} must be a date, got {value!r} ({type(value).__name__}); "
            f"pass e.g. {name}='2025-06-30' or a pandas Timestamp"
        )
    if ts.tzinfo is not None:
        raise ParameterError(
            f"{name} must be timezone-naive, got {ts}; which calendar day it means depends on "
            f"the timezone: convert it and drop the zone first, e.g. "
            f"{name}=ts.tz_convert('Asia/Shanghai').tz_localize(None)"
        )
    return ts.normalize()


def check_as_of(as_of: Any, name: str = "as_of") -> pd.Timestamp:
    """The ``as_of`` date of a calculation, checked by the rule of :func:`check_date`.

    ``as_of`` is always explicit: nothing in creditkit reads the clock.

    Parameters
    ----------
    as_of : date-like
        The date the calculation looks from.
    name : str, default "as_of"
        The parameter's name, used in the error message.

    Returns
    -------
    pandas.Timestamp

    Raises
    ------
    ParameterError
        As :func:`check_date`.

    Examples
    --------
    >>> check_as_of("2025/06/30")
    Timestamp('2025-06-30 00:00:00')
    """
    return check_date(as_of, name)


def date_to_day(value: Any, name: str = "as_of") -> int:
    """Days since 1970-01-01 of a date checked by :func:`check_date`.

    The ledger engine counts in whole days; this is its entry point for dates.

    Parameters
    ----------
    value : date-like
    name : str, default "as_of"

    Returns
    -------
    int

    Raises
    ------
    ParameterError
        As :func:`check_date`.

    Examples
    --------
    >>> date_to_day("1970-01-31")
    30
    """
    ts = check_date(value, name)
    return int(np.datetime64(ts.to_datetime64(), "D").astype(np.int64))


def check_lang(lang: Any) -> str:
    """``lang`` if it is a report language (``"zh"`` or ``"en"``).

    Parameters
    ----------
    lang : str

    Returns
    -------
    str

    Raises
    ------
    ParameterError
        For any other value.

    Examples
    --------
    >>> check_lang("zh")
    'zh'
    >>> check_lang("fr")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: lang must be one of ('zh', 'en'), got 'fr'; ...
    """
    if not isinstance(lang, str) or lang not in LANGS:
        raise ParameterError(
            f"lang must be one of {LANGS}, got {lang!r}; "
            "pass lang='zh' for Chinese or lang='en' for English"
        )
    return lang


def check_table(df: Any, columns: Sequence[str], *, name: str, fix: str) -> pd.DataFrame:
    """``df`` if it is a DataFrame with ``columns``; else an error naming what is missing.

    Parameters
    ----------
    df : object
        What the caller passed.
    columns : sequence of str
        The columns the function reads; others are allowed.
    name : str
        What the table is (``"payments"``), in the message.
    fix : str
        How to fix it, ending the message.

    Returns
    -------
    DataFrame
        ``df``, unchanged (not copied).

    Raises
    ------
    ParameterError
        ``df`` is not a DataFrame.
    SchemaError
        A column is missing: ``missing column(s) [...] in <name>; got [...]; <fix>``.

    Examples
    --------
    >>> import pandas as pd
    >>> check_table(pd.DataFrame({"a": [1]}), ["a", "b"], name="demo", fix="add b")
    Traceback (most recent call last):
    ...
    creditkit.exceptions.SchemaError: missing column(s) ['b'] in demo; got ['a']; add b
    """
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"{name} must be a DataFrame with columns {list(columns)}; got "
                             f"{type(df).__name__}; {fix}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SchemaError(f"missing column(s) {missing} in {name}; got "
                          f"{list(map(str, df.columns))}; {fix}")
    return df


def check_instance(value: Any, kind: type | tuple[type, ...], where: str, made_by: str) -> Any:
    """``value`` if it is a ``kind``; else an error saying which call makes one.

    Parameters
    ----------
    value : object
        What the caller passed.
    kind : type or tuple of types
        What ``where`` needs.
    where : str
        The function (or parameter) that needs it, first in the message.
    made_by : str
        What the caller should pass, in words: ``"a DunningRun (dunning_run(...))"``.

    Returns
    -------
    object
        ``value``, unchanged.

    Raises
    ------
    ParameterError
        ``where needs <made_by>; got <type of value>``.

    Examples
    --------
    >>> check_instance(3, int, "f", "a whole number")
    3
    >>> check_instance("3", int, "f", "a whole number")
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: f needs a whole number; got str
    """
    if not isinstance(value, kind):
        raise ParameterError(f"{where} needs {made_by}; got {type(value).__name__}")
    return value


def check_target(
    y: Any,
    n_rows: int | None = None,
    *,
    name: str = "y",
    who: str = "this estimator",
    both_classes: bool = False,
) -> np.ndarray:
    """The 0/1 target (1 = bad) as ``int8``, checked.

    Parameters
    ----------
    y : array-like
        One outcome per row: 0 = good, 1 = bad (``True``/``False`` and
        ``0.0``/``1.0`` are accepted).
    n_rows : int, optional
        The number of rows ``y`` must have (the rows of ``X``).
    name : str, default "y"
        The parameter's name, used in the error message.
    who : str, default "this estimator"
        What needs the target, used when ``y`` is ``None``.
    both_classes : bool, default False
        Require at least one good and one bad.

    Returns
    -------
    numpy.ndarray
        ``int8`` zeros and ones.

    Raises
    ------
    ParameterError
        When ``y`` is None, not 1-d, of the wrong length, holds anything but
        0/1 (missing values included), or holds one class when both are needed.

    Examples
    --------
    >>> check_target([True, False]).tolist()
    [1, 0]
    >>> check_target([0, 2])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: Unknown label type: y must hold only 0 (good) ...
    """
    if y is None:
        raise ParameterError(
            f"{who} requires y to be passed, but the target y is None; "
            "pass the 0/1 target (1 = bad), e.g. y=df['target']"
        )
    if isinstance(y, pd.DataFrame) and y.shape[1] == 1:
        y = y.iloc[:, 0]
    arr = y.to_numpy() if isinstance(y, pd.Series) else np.asarray(y)
    if arr.ndim != 1 or (n_rows is not None and len(arr) != n_rows):
        want = f" with one value per row of X ({n_rows})" if n_rows is not None else ""
        raise ParameterError(
            f"{name} must be 1-d{want}; got shape {arr.shape}; pass the target column"
        )
    if len(arr) == 0:
        raise ParameterError(f"{name} is empty; pass at least one good and one bad")
    try:
        num = arr.astype(np.float64)
    except (TypeError, ValueError):
        num = np.full(len(arr), np.nan)
    ok = (num == 0.0) | (num == 1.0)
    if not ok.all():
        odd = pd.unique(pd.Series(arr[~ok], dtype=object))[:5].tolist()
        raise ParameterError(
            f"Unknown label type: {name} must hold only 0 (good) and 1 (bad), without missing "
            f"values; got also {odd}; map the target to 0/1 and drop unknown outcomes"
        )
    out = num.astype(np.int8)
    if both_classes and out.min() == out.max():
        raise ParameterError(
            f"{name} holds only 1 class ({'bads' if out[0] else 'goods'}); "
            "this needs both goods (0) and bads (1)"
        )
    return out


def check_frame(X: Any, where: str = "X") -> tuple[pd.DataFrame, bool]:
    """A feature matrix as a DataFrame, and whether it came in as one.

    Parameters
    ----------
    X : DataFrame, polars DataFrame or 2-d array-like
        A 2-d array gets columns ``x0, x1, …``.
    where : str, default "X"
        What is checking, used in the error message.

    Returns
    -------
    (pandas.DataFrame, bool)
        The frame (not copied when it is one already) and whether ``X`` was a frame.

    Raises
    ------
    ParameterError
        For ``None``, text or mappings, an array that is not 2-d, complex data,
        or duplicate column names.
    TypeError
        For sparse matrices (scikit-learn's convention).

    Examples
    --------
    >>> import numpy as np
    >>> frame, was_frame = check_frame(np.zeros((2, 2)))
    >>> list(frame.columns), was_frame
    (['x0', 'x1'], False)
    """
    if isinstance(X, pd.DataFrame):
        frame, was_frame = X, True
    elif hasattr(X, "to_pandas") and not isinstance(X, np.ndarray):  # polars and friends
        frame, was_frame = X.to_pandas(), True
    else:
        if hasattr(X, "toarray") or type(X).__module__.startswith("scipy.sparse"):
            raise TypeError(f"{where}: sparse input is not supported; got {type(X).__name__}; "
                            "pass a dense frame or array")
        if X is None or isinstance(X, str | bytes | dict):
            raise ParameterError(f"{where}: X must be a pandas DataFrame (or a 2-d array); got "
                                 f"{type(X).__name__}; pass one column per variable")
        arr = np.asarray(X)
        if arr.ndim != 2:
            raise ParameterError(
                f"{where}: Expected 2D array, got {arr.ndim}D array instead (shape {arr.shape}); "
                "Reshape your data either using array.reshape(-1, 1) or pass a DataFrame")
        if arr.dtype.kind == "c":
            raise ParameterError(f"{where}: Complex data not supported; got dtype {arr.dtype}")
        frame = pd.DataFrame(arr, columns=[f"x{i}" for i in range(arr.shape[1])])
        was_frame = False
    dup = frame.columns[frame.columns.duplicated()].unique().tolist()
    if dup:
        raise ParameterError(
            f"{where}: duplicate column name(s) {dup[:10]}; each variable needs one column: "
            "rename or drop the copies"
        )
    return frame, was_frame
