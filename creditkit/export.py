"""Writing files that leave creditkit: CSV and XLSX that cannot execute, every file atomic.

Every CSV or XLSX creditkit writes goes through :func:`write_csv` or
:func:`write_excel`, and every other output (Parquet, JSON) through
:func:`write_atomic`. Three promises hold for all of them:

- **Nothing executes.** Excel, LibreOffice and Google Sheets read a cell that
  starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
  formula (OWASP "CSV injection"): ``=HYPERLINK(...)`` in a customer key
  becomes a live link, ``+cmd|...`` a DDE call. :func:`neutralise_formulas`
  prefixes one single quote ``'`` to every *text* cell starting with one of
  those characters, or with a quote itself (so the rule can be undone
  exactly). Numbers stored as numbers are not text and stay numbers: ``-5``
  in an ``int64`` column is written as ``-5``; ``"-5"`` in a text column is
  written as ``'-5``. The value stays readable (``'=1+1``).
- **The original is recoverable.** Strip the one leading ``'`` from a text
  cell that starts with one (:func:`restore_formulas` does it for a frame).
  The Parquet outputs (``clean.parquet``) are not neutralised: they keep the
  raw value, for code rather than for spreadsheets.
- **No half-written file.** Each file is written to a temporary file in the
  same folder, then renamed over the target (``os.replace``, atomic on one
  file system): a crash leaves the previous file or none, never a truncated
  one.

Personal data is masked on request (``mask=True``): the frame goes through
:func:`creditkit.privacy.mask_pii` first.

Examples
--------
>>> import pandas as pd
>>> neutralise_formulas(pd.DataFrame({"key": ["=1+1", "B2"], "n": [-5, 3]})).to_dict("list")
{'key': ["'=1+1", 'B2'], 'n': [-5, 3]}
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from pandas.api import types as ptypes

from creditkit.exceptions import ParameterError

__all__ = [
    "FORMULA_STARTS",
    "neutralise_formulas",
    "restore_formulas",
    "write_atomic",
    "write_csv",
    "write_excel",
]

#: First characters that make a spreadsheet read a text cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Quoted too, so that stripping one leading quote always gives the original back.
_QUOTE = "'"


def _neutralise_series(s: pd.Series) -> pd.Series:
    if not (ptypes.is_object_dtype(s) or ptypes.is_string_dtype(s)) or isinstance(
            s.dtype, pd.CategoricalDtype):
        return s
    first = s.str.slice(0, 1)  # missing for non-text cells, so numbers are left alone
    live = first.isin([*FORMULA_STARTS, _QUOTE]).fillna(False).astype(bool)
    if not live.any():
        return s
    out = s.astype(object).copy()
    out[live] = _QUOTE + s[live].astype(str)
    return out


def _check_frame(df: object, func: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"{func} expects a pandas DataFrame, got {type(df).__name__}")
    return df


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``df`` whose text cells cannot start a spreadsheet formula.

    A text cell (and a column header) starting with ``=``, ``+``, ``-``, ``@``,
    tab, carriage return or ``'`` gets one ``'`` in front. Numeric, boolean and
    date columns, and non-text values inside text columns, are unchanged.

    Parameters
    ----------
    df : DataFrame
        Any frame; it is not modified.

    Returns
    -------
    DataFrame
        A new frame; undo with :func:`restore_formulas`.

    Raises
    ------
    ParameterError
        When ``df`` is not a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> neutralise_formulas(pd.DataFrame({"a": ["@SUM(A1)", "-2+3", "ok", None]}))["a"].tolist()
    ["'@SUM(A1)", "'-2+3", 'ok', nan]
    """
    df = _check_frame(df, "neutralise_formulas")
    out = pd.DataFrame({i: _neutralise_series(df.iloc[:, i]) for i in range(df.shape[1])},
                       index=df.index)
    headers = _neutralise_series(pd.Series(list(df.columns), dtype=object))
    out.columns = pd.Index(headers.tolist()) if df.shape[1] else df.columns
    return out


def restore_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`neutralise_formulas`: strip one leading ``'`` from each text cell and header.

    Parameters
    ----------
    df : DataFrame
        A frame read back from a CSV or XLSX creditkit wrote (read text as text,
        e.g. ``pd.read_csv(path, dtype=str, keep_default_na=False)``).

    Returns
    -------
    DataFrame
        A new frame holding the original values.

    Raises
    ------
    ParameterError
        When ``df`` is not a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> restore_formulas(pd.DataFrame({"a": ["'=1+1", "ok"]}))["a"].tolist()
    ['=1+1', 'ok']
    """
    df = _check_frame(df, "restore_formulas")

    def strip(s: pd.Series) -> pd.Series:
        if not (ptypes.is_object_dtype(s) or ptypes.is_string_dtype(s)):
            return s
        quoted = (s.str.slice(0, 1) == _QUOTE).fillna(False).astype(bool)
        if not quoted.any():
            return s
        out = s.astype(object).copy()
        out[quoted] = s[quoted].str.slice(1)
        return out

    out = pd.DataFrame({i: strip(df.iloc[:, i]) for i in range(df.shape[1])}, index=df.index)
    out.columns = (pd.Index(strip(pd.Series(list(df.columns), dtype=object)).tolist())
                   if df.shape[1] else df.columns)
    return out


def write_atomic(path: str | os.PathLike[str], write: Callable[[Path], Any]) -> Path:
    """Write a file through ``write(temporary_path)``, then rename it over ``path``.

    The temporary file is in the same folder (so the rename is atomic) and is
    removed if ``write`` fails; ``path`` then keeps its previous content.

    Parameters
    ----------
    path : str or path-like
        The file to (re)write; its folder must exist.
    write : callable
        Called with the temporary path; writes the whole file there.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ParameterError
        When ``path`` is a folder, or its folder is missing or not writable.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_atomic(p, lambda tmp: tmp.write_text("hi")).read_text()
    'hi'
    """
    target = Path(path)
    if target.is_dir():
        raise ParameterError(f"cannot write {target}: it is a folder; pass a file path")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                    dir=target.parent)
    except OSError as exc:
        raise ParameterError(
            f"cannot write into {target.parent} ({exc.strerror or exc}); pass a folder "
            "that exists and that you can write to") from None
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _prepare(df: pd.DataFrame, func: str, mask: bool, table: str | None) -> pd.DataFrame:
    df = _check_frame(df, func)
    if mask:
        from creditkit.privacy import mask_pii

        df = mask_pii(df, table)
    return neutralise_formulas(df)


def write_csv(df: pd.DataFrame, path: str | os.PathLike[str], *, encoding: str = "utf-8-sig",
              mask: bool = False, table: str | None = None) -> Path:
    """Write ``df`` as a CSV a spreadsheet opens without running anything, atomically.

    Parameters
    ----------
    df : DataFrame
        The table; the index is not written. It is not modified.
    path : str or path-like
        The CSV file.
    encoding : str, default "utf-8-sig"
        UTF-8 with a byte-order mark, so Excel on Windows shows Chinese correctly.
    mask : bool, default False
        Mask personal data first (:func:`creditkit.privacy.mask_pii`).
    table : str, optional
        Canonical table of ``df``, to tell ``mask_pii`` which columns are personal.

    Returns
    -------
    Path

    Raises
    ------
    ParameterError
        When ``df`` is not a DataFrame or the folder cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "q.csv"
    >>> _ = write_csv(pd.DataFrame({"key": ["=HYPERLINK(1)"], "n": [-1]}), p)
    >>> p.read_bytes().decode("utf-8-sig").splitlines()
    ['key,n', "'=HYPERLINK(1),-1"]
    """
    out = _prepare(df, "write_csv", mask, table)
    # CRLF rows (as Excel writes them): a cell holding a bare CR or LF is then always quoted
    return write_atomic(path, lambda tmp: out.to_csv(tmp, index=False, encoding=encoding,
                                                     lineterminator="\r\n"))


def write_excel(df: pd.DataFrame, path: str | os.PathLike[str], *, sheet_name: str = "Sheet1",
                mask: bool = False, table: str | None = None) -> Path:
    """Write ``df`` as an XLSX workbook whose text cells are text, never formulas, atomically.

    Parameters
    ----------
    df : DataFrame
        The table; the index is not written. It is not modified.
    path : str or path-like
        The ``.xlsx`` file.
    sheet_name : str, default "Sheet1"
        Name of the one worksheet.
    mask : bool, default False
        Mask personal data first (:func:`creditkit.privacy.mask_pii`).
    table : str, optional
        Canonical table of ``df``, to tell ``mask_pii`` which columns are personal.

    Returns
    -------
    Path

    Raises
    ------
    ParameterError
        When ``df`` is not a DataFrame or the folder cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd, openpyxl
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "q.xlsx"
    >>> _ = write_excel(pd.DataFrame({"key": ["=1+1"]}), p)
    >>> openpyxl.load_workbook(p)["Sheet1"]["A2"].value
    "'=1+1"
    """
    out = _prepare(df, "write_excel", mask, table)
    return write_atomic(path, lambda tmp: out.to_excel(tmp, index=False, sheet_name=sheet_name,
                                                       engine="openpyxl"))
