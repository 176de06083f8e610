"""Policy tables an analyst edits: one reader, with the line of every row, and cell checks.

A policy table (the limit-restoration steps of a recovery plan, a restriction
policy, ...) is a small CSV the analyst opens in Excel or WPS and edits. Every
such table is read here, the same way, so every policy answers a mistake the
same way: a ``ParameterError`` naming the file, the line (the header is line 1)
and the fix.

- :func:`read_policy_csv` reads the shipped default or the analyst's file
  (UTF-8 or GB18030; ``#`` lines and blank lines are notes; a workbook saved
  under a ``.csv`` name is told apart), or takes a DataFrame, and returns its
  cells as text with a ``line`` column;
- :func:`policy_int`, :func:`policy_share` and :func:`policy_choice` turn one
  column of it into numbers or names, naming the line of a bad cell.

Rule sets with conditions (tiers, tags, alerts, restriction levels) are not
policy tables: they are read by :mod:`creditkit.rules`.

Examples
--------
>>> import pandas as pd
>>> t = read_policy_csv(pd.DataFrame({"step": ["1", "2"], "share": ["0.5", "1"]}),
...                     kind="steps", columns=("step", "share"))
>>> t["line"].tolist(), policy_int(t, "step", kind="steps", minimum=1).tolist()
([2, 3], [1, 2])
>>> policy_int(t.assign(step=["1", "x"]), "step", kind="steps")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
creditkit.exceptions.ParameterError: steps line 3: step must be a whole number, got 'x'; ...
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from creditkit.exceptions import DataReadError, ParameterError

__all__ = ["policy_choice", "policy_int", "policy_share", "read_policy_csv"]

_WORKBOOK = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def read_policy_csv(source: Any, *, kind: str, columns: Sequence[str],
                    shipped: tuple[str, str] | None = None) -> pd.DataFrame:
    """Read a policy table (a file, a DataFrame, or the shipped default) as text cells.

    Parameters
    ----------
    source : str, path-like, DataFrame or None
        The analyst's CSV file, a DataFrame laid out like it (row ``i`` is
        line ``i + 2``), or ``None`` for the shipped default.
    kind : str
        What the table is, for messages (``"restoration policy"``).
    columns : sequence of str
        The columns the table must have; others are kept.
    shipped : (package, file name), optional
        Where the default lives (``("creditkit.restricted", "data/x.csv")``);
        required when ``source`` is ``None``.

    Returns
    -------
    DataFrame
        Every cell as stripped text, plus ``line``: the line each row is on;
        ``attrs["source"]`` names the file (``x.csv (shipped)`` for the default),
        ``attrs["notes"]`` holds the text of its ``#`` lines (``"base_rate: 0.4"``
        for ``# base_rate: 0.4``; none for a DataFrame).

    Raises
    ------
    DataReadError
        The file is missing, a workbook, not text, or has no rows.
    ParameterError
        A row has more or fewer cells than the header, or a column is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> read_policy_csv(pd.DataFrame({"a": [1]}), kind="demo", columns=("b",))
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: demo: no column 'b' (the header has ['a']); add it, ...
    """
    notes: list[str] = []
    header_line = 1
    if isinstance(source, pd.DataFrame):
        table = source.astype(object).where(source.notna(), "").astype(str)
        table = table.apply(lambda s: s.str.strip())
        table["line"] = range(2, len(table) + 2)
        name = kind
    else:
        text, name = _text(source, kind, shipped)
        table, header_line = _parse(text, name, kind)
        notes = [t.strip()[1:].strip() for t in text.lstrip("\ufeff").splitlines()
                 if t.strip().startswith("#")]
    missing = [c for c in columns if c not in table.columns]
    if missing:
        header = [c for c in table.columns if c != "line"]
        where = name if name == kind else f"{kind} {name} line {header_line}"
        raise ParameterError(f"{where}: no column {missing[0]!r} (the header has {header}); "
                             "add it, see the shipped default")
    table = table.reset_index(drop=True)
    table.attrs["source"] = name
    table.attrs["notes"] = notes
    return table


def _text(source: Any, kind: str, shipped: tuple[str, str] | None) -> tuple[str, str]:
    from creditkit.io import detect_encoding

    if source is None:
        if shipped is None:
            raise ParameterError(f"{kind}: no file given and no shipped default; pass a CSV path")
        package, file = shipped
        text = resources.files(package).joinpath(file).read_text(encoding="utf-8")
        return text, f"{Path(file).name} (shipped)"
    if not isinstance(source, str | os.PathLike):
        example = f"my_{kind.replace(' ', '_')}.csv"
        raise ParameterError(f"{kind} must be a CSV file path or a DataFrame, got "
                             f"{type(source).__name__}; pass e.g. {example!r}")
    p = Path(source)
    if not p.is_file():
        raise DataReadError(f"{kind} file {str(p)!r} does not exist (working directory "
                            f"{os.getcwd()!r}); check the path, or copy the shipped default")
    if p.read_bytes()[:8].startswith(_WORKBOOK):
        raise DataReadError(f"{kind} file {p.name} is an Excel workbook, not CSV text; open it "
                            "in Excel or WPS and save it as 'CSV UTF-8'")
    try:
        return p.read_text(encoding=detect_encoding(p)), p.name
    except (DataReadError, UnicodeError) as exc:
        raise DataReadError(f"{kind} file {p.name} is not UTF-8 or GB18030 text; save it "
                            "from Excel or WPS as 'CSV UTF-8'") from exc


def _parse(text: str, name: str, kind: str) -> tuple[pd.DataFrame, int]:
    """Cells as text with the line each record starts on (notes and blank lines skipped).

    Also the line of the header (notes may stand before it).
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), strict=True)
    header: list[str] | None = None
    header_line = 1
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            here, start = start, reader.line_num + 1
            if not any(c.strip() for c in record) or record[0].lstrip().startswith("#"):
                continue
            if header is None:
                header, header_line = [c.strip() for c in record], here
                continue
            if len(record) != len(header):
                raise ParameterError(f"{kind} {name} line {here}: {len(record)} cells where the "
                                     f"header has {len(header)}; a cell holding a comma (a "
                                     'template, a reason) must be in double quotes')
            rows.append([c.strip() for c in record])
            lines.append(here)
    except csv.Error as exc:
        raise ParameterError(f"{kind} {name} line {reader.line_num}: not readable as CSV "
                             f"({exc}); check its quotes, or save it from Excel or WPS") from exc
    if header is None or not rows:
        raise DataReadError(f"{kind} file {name} has no rows; it needs a header line and one "
                            "line per row (copy the shipped default)")
    table = pd.DataFrame(rows, columns=header, dtype=object)
    table["line"] = lines
    return table, header_line


def _where(table: pd.DataFrame, i: int, kind: str) -> str:
    return f"{kind} line {int(table['line'].iloc[i])}"


def policy_int(table: pd.DataFrame, column: str, *, kind: str, minimum: int | None = None,
               maximum: int | None = None, blank: int | None = None) -> pd.Series:
    """One column of a policy table as whole numbers, a bad cell named by its line.

    Parameters
    ----------
    table : DataFrame
        From :func:`read_policy_csv`.
    column : str
        The column.
    kind : str
        What the table is, for messages.
    minimum, maximum : int, optional
        Bounds, both included.
    blank : int, optional
        The value of an empty cell; without it an empty cell is an error.

    Returns
    -------
    Series of int64

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"n": ["3", "", "1,200"], "line": [2, 3, 4]})
    >>> policy_int(t, "n", kind="demo", blank=0).tolist()
    [3, 0, 1200]
    """
    out = []
    for i, raw in enumerate(table[column].astype(str)):
        text = raw.strip().replace(",", "")
        if not text and blank is not None:
            out.append(blank)
            continue
        try:
            value = int(text)
        except ValueError:
            raise ParameterError(f"{_where(table, i, kind)}: {column} must be a whole number, "
                                 f"got {raw!r}; write e.g. 3") from None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = f"from {minimum}" if maximum is None else f"from {minimum} to {maximum}"
            raise ParameterError(f"{_where(table, i, kind)}: {column} must be {bounds}, got "
                                 f"{value}; correct the cell")
        out.append(value)
    return pd.Series(out, index=table.index, dtype="int64", name=column)


def policy_share(table: pd.DataFrame, column: str, *, kind: str,
                 blank: Decimal | None = None) -> pd.Series:
    """One column of a policy table as exact shares in [0, 1] (``0.25`` or ``25%``).

    Parameters
    ----------
    table : DataFrame
        From :func:`read_policy_csv`.
    column : str
        The column.
    kind : str
        What the table is, for messages.
    blank : Decimal, optional
        The value of an empty cell; without it an empty cell is an error.

    Returns
    -------
    Series of Decimal (object)

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"s": ["0.25", "50%"], "line": [2, 3]})
    >>> [str(v) for v in policy_share(t, "s", kind="demo")]
    ['0.25', '0.5']
    """
    out = []
    for i, raw in enumerate(table[column].astype(str)):
        text = raw.strip()
        if not text and blank is not None:
            out.append(blank)
            continue
        try:
            value = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or not Decimal(0) <= value <= Decimal(1):
            raise ParameterError(f"{_where(table, i, kind)}: {column} must be a share from 0 "
                                 f"to 1 (0.25 or 25%), got {raw!r}; correct the cell")
        out.append(value.normalize() if value else Decimal(0))
    return pd.Series(out, index=table.index, dtype=object, name=column)


def policy_choice(table: pd.DataFrame, column: str, choices: Sequence[str], *,
                  kind: str) -> pd.Series:
    """One column of a policy table checked against its allowed names.

    Parameters
    ----------
    table : DataFrame
        From :func:`read_policy_csv`.
    column : str
        The column.
    choices : sequence of str
        The allowed values (compared after stripping and lower-casing).
    kind : str
        What the table is, for messages.

    Returns
    -------
    Series of str

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"level": ["Watch", "stop"], "line": [2, 3]})
    >>> policy_choice(t, "level", ("watch", "stop"), kind="demo").tolist()
    ['watch', 'stop']
    """
    values = table[column].astype(str).str.strip().str.lower()
    bad = ~values.isin(list(choices))
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise ParameterError(f"{_where(table, i, kind)}: {column} {table[column].iloc[i]!r} is "
                             f"not one of {list(choices)}; use one of them")
    return values.rename(column)
