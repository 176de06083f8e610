"""The portfolio tables of the store: writing, reading, listing, fingerprints.

See :mod:`creditkit.store` for the layout of the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb
import pandas as pd

from creditkit.exceptions import DataReadError, ParameterError
from creditkit.schema import TABLES, validate
from creditkit.store._db import (
    check_name,
    check_version,
    combine,
    connect,
    existing,
    table_fingerprint,
    table_names,
    write_transaction,
)

__all__ = [
    "DEFAULT_PATH",
    "PORTFOLIO_TABLES",
    "fingerprint",
    "list_tables",
    "load_portfolio",
    "read_meta",
    "read_table",
    "write_tables",
]

#: Where ``make demo`` writes the store and notebooks look for it (relative to the repo root).
DEFAULT_PATH = Path("datasets/creditkit.duckdb")
#: The tables :func:`load_portfolio` returns.
PORTFOLIO_TABLES = ("customers", "applications", "transactions", "bills", "payments")
def fingerprint(tables: Mapping[str, pd.DataFrame]) -> str:
    """A stable hash of the tables' content: names, shapes, columns, dtypes and values.

    Cheap on big frames: one vectorised row hash per table
    (:func:`pandas.util.hash_pandas_object`), summed modulo 2**64, so the
    same rows in another order give the same fingerprint (a table is the set
    of its keyed rows: a report run on a reordered store is the same report)
    while a changed value, an added or repeated row, a column or a dtype
    changes it; the
    per-table hashes are then hashed together with the table names. A store
    written once by :func:`write_tables` keeps this value in ``meta``
    (``fingerprint``; per table under ``fingerprint:<name>``).

    Parameters
    ----------
    tables : mapping of str to DataFrame

    Returns
    -------
    str
        16 hex characters.

    Raises
    ------
    ParameterError
        When ``tables`` is not a mapping of names to DataFrames.

    Examples
    --------
    >>> import pandas as pd
    >>> a = {"t": pd.DataFrame({"x": [1, 2]})}
    >>> fingerprint(a) == fingerprint({"t": pd.DataFrame({"x": [1, 2]})})
    True
    >>> fingerprint(a) == fingerprint({"t": pd.DataFrame({"x": [2, 1]})})
    True
    >>> fingerprint(a) == fingerprint({"t": pd.DataFrame({"x": [1, 3]})})
    False
    """
    if not isinstance(tables, Mapping):
        raise ParameterError(
            f"expected a mapping of table name to DataFrame; got {type(tables).__name__}")
    for name, df in tables.items():
        if not isinstance(df, pd.DataFrame):
            raise ParameterError(f"table {name!r} is a {type(df).__name__}, expected a DataFrame")
    return combine({name: table_fingerprint(df) for name, df in tables.items()})


def write_tables(
    path: str | Path,
    tables: Mapping[str, pd.DataFrame],
    *,
    replace: bool = True,
    generator: Mapping[str, object] | None = None,
) -> None:
    """Write frames to the store, one table each, in one transaction.

    Parameters
    ----------
    path : str or Path
        The DuckDB file; created (with its folder) if missing.
    tables : mapping of str to DataFrame
        Table name to frame. Canonical tables are validated first
        (:func:`creditkit.schema.validate`).
    replace : bool, default True
        Replace existing tables of those names; with ``False`` rows are
        appended (the columns must match).
    generator : mapping, optional
        Parameters of the generator that made the data, kept in ``meta``.

    Raises
    ------
    SchemaError
        When a canonical table lacks columns or has the wrong dtypes.
    ParameterError
        For a bad table name, or appending to a table with other columns.
    StoreLockedError
        When another process holds the file open for writing.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> write_tables(path, {"notes": pd.DataFrame({"x": [1, 2]})})
    >>> write_tables(path, {"notes": pd.DataFrame({"x": [3]})}, replace=False)
    >>> read_table(path, "notes")["x"].tolist()
    [1, 2, 3]
    """
    if not isinstance(tables, Mapping) or not tables:
        raise ParameterError(
            f"expected a non-empty mapping of table name to DataFrame; got {tables!r:.80}")
    for name, df in tables.items():
        check_name(name)
        if not isinstance(df, pd.DataFrame):
            raise ParameterError(f"table {name!r} is a {type(df).__name__}, expected a DataFrame")
        if name in TABLES:
            validate(df, name)
    with write_transaction(path, wait=0.0) as con:
        present = table_names(con)
        kept = dict(con.execute(
            "SELECT substr(key, 13), value FROM meta WHERE key LIKE 'fingerprint:%'").fetchall())
        for name, df in tables.items():
            con.register("_frame", df)
            fp = table_fingerprint(df)
            if replace or name not in present:
                con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _frame')
                kept[name] = fp
            else:
                have = [r[0] for r in con.execute(f'DESCRIBE "{name}"').fetchall()]
                if have != list(map(str, df.columns)):
                    raise ParameterError(
                        f"cannot append to {name!r}: it has columns {have}, the frame has "
                        f"{list(df.columns)}; pass replace=True or select the same columns")
                con.execute(f'INSERT INTO "{name}" SELECT * FROM _frame')
                kept[name] = combine({"before": kept.get(name, ""), "appended": fp})
            con.unregister("_frame")
        from creditkit import __version__

        meta = {"creditkit_version": __version__, "fingerprint": combine(kept),
                "tables": json.dumps(sorted(kept))}
        meta.update({f"fingerprint:{name}": fp for name, fp in kept.items()})
        if generator is not None:
            meta["generator"] = json.dumps(dict(generator), sort_keys=True, default=str)
        for key, value in meta.items():
            con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])


def list_tables(path: str | Path, *, wait: float = 0.0) -> list[str]:
    """Names of the tables in the store, sorted.

    Raises
    ------
    DataReadError
        When there is no store at ``path``.
    StoreLockedError
        When another process holds the file open for writing.

    Examples
    --------
    >>> list_tables("no/such/file.duckdb")
    Traceback (most recent call last):
    ...
    creditkit.exceptions.DataReadError: no creditkit store at 'no/such/file.duckdb'; create it with creditkit.store.write_tables(path, tables) or `creditkit generate`, or pass the path of an existing .duckdb file
    """  # noqa: E501
    con = connect(existing(path), read_only=True, wait=wait)
    try:
        rows = con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


def read_table(
    path: str | Path,
    name: str,
    *,
    columns: Iterable[str] | None = None,
    where: str | None = None,
    wait: float = 0.0,
) -> pd.DataFrame:
    """Read one table (optionally some columns and rows) from the store.

    Parameters
    ----------
    path : str or Path
        The DuckDB file.
    name : str
        Table name, e.g. ``"bills"``.
    columns : list of str, optional
        Columns to read, in that order (default all).
    where : str, optional
        A SQL condition on the table's columns, e.g.
        ``"due_date <= TIMESTAMP '2025-06-30'"``. It is run as given: pass
        your own expressions, not text from untrusted sources.
    wait : float, default 0
        Seconds to wait while another process writes the store (a short
        write, e.g. ``creditkit update``); 0 raises at once.

    Returns
    -------
    DataFrame
        Text as ``str``, dates ``datetime64[ns]``, money ``int64`` (``Int64``
        where values are missing).

    Raises
    ------
    DataReadError
        When the file, the table or a column does not exist, or ``where`` is
        not valid SQL for the table.
    StoreLockedError
        When another process holds the file open for writing.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> write_tables(path, {"notes": pd.DataFrame({"x": [1, 2, 3]})})
    >>> read_table(path, "notes", where="x >= 2")["x"].tolist()
    [2, 3]
    """
    con = connect(existing(path), read_only=True, wait=wait)
    try:
        check_version(con, Path(path))
        tables = sorted(table_names(con))
        if name not in tables:
            raise DataReadError(
                f"no table {name!r} in the store {str(path)!r}; it has {sorted(tables)}; "
                "write it with creditkit.store.write_tables or pick one of those")
        have = [r[0] for r in con.execute(f'DESCRIBE "{name}"').fetchall()]
        cols = have if columns is None else list(columns)
        missing = [c for c in cols if c not in have]
        if missing:
            raise DataReadError(
                f"column(s) {missing} not in table {name!r}; it has {have}; pick from those")
        sql = "SELECT " + ", ".join(f'"{c}"' for c in cols) + f' FROM "{name}"'
        if where:
            sql += f" WHERE {where}"
        try:
            df = con.execute(sql).df()
        except duckdb.Error as exc:
            raise DataReadError(
                f"cannot read {name!r} where {where!r}: {exc}; "
                "write the condition in SQL over the table's columns") from None
    finally:
        con.close()
    text = [c for c in df.columns if df[c].dtype == object]  # all-missing VARCHAR columns
    return df.astype(dict.fromkeys(text, "str")) if text else df


def read_meta(path: str | Path) -> dict[str, str]:
    """The store's ``meta`` rows as a dict (version, fingerprint, generator...).

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> write_tables(path, {"notes": pd.DataFrame({"x": [1]})}, generator={"seed": 1})
    >>> read_meta(path)["generator"]
    '{"seed": 1}'
    """
    df = read_table(path, "meta")
    return dict(zip(df["key"], df["value"], strict=True))


def load_portfolio(path: str | Path = DEFAULT_PATH, *, wait: float = 0.0
                   ) -> dict[str, pd.DataFrame]:
    """The five portfolio tables from the store, validated against the schema.

    Raises
    ------
    DataReadError
        When the file or one of :data:`PORTFOLIO_TABLES` is missing.
    StoreLockedError
        When another process holds the file open for writing.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.datasets import make_portfolio
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "book.duckdb"
    >>> write_tables(path, make_portfolio(20, seed=1))
    >>> sorted(load_portfolio(path))
    ['applications', 'bills', 'customers', 'payments', 'transactions']
    """
    present = set(list_tables(path, wait=wait))
    missing = [t for t in PORTFOLIO_TABLES if t not in present]
    if missing:
        raise DataReadError(
            f"the store {str(path)!r} has no {missing} table(s); write a portfolio with "
            "creditkit.store.write_tables(path, creditkit.datasets.make_portfolio(...))")
    return {t: validate(read_table(path, t, wait=wait), t) for t in PORTFOLIO_TABLES}


#: Optional canonical tables: stored when a source has them (``make_portfolio(signals=True)``).
OPTIONAL_TABLES = ("debit_attempts", "promises")
__all__ += ["OPTIONAL_TABLES", "load_optional_tables"]


def load_optional_tables(path: str | Path = DEFAULT_PATH, *, wait: float = 0.0
                         ) -> dict[str, pd.DataFrame]:
    """The :data:`OPTIONAL_TABLES` the store holds (none, some or all), validated.

    Add them to :func:`load_portfolio`'s tables for the readers that use them
    (auto-debit failures and broken promises in the alert features).

    Raises
    ------
    DataReadError
        When there is no store at ``path``.
    StoreLockedError
        When another process holds the file open for writing.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.datasets import make_portfolio
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "book.duckdb"
    >>> write_tables(path, make_portfolio(40, seed=1, signals=True))
    >>> sorted(load_optional_tables(path))
    ['debit_attempts', 'promises']
    """
    present = set(list_tables(path, wait=wait))
    return {t: validate(read_table(path, t, wait=wait), t) for t in OPTIONAL_TABLES
            if t in present}
