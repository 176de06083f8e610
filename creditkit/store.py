"""The credit-file store: the portfolio tables and dated snapshots in one DuckDB file.

Layout of the file:

- one table per canonical table (``customers``, ``applications``,
  ``transactions``, ``bills``, ``payments``, ...), columns as in
  :mod:`creditkit.schema`; money ``BIGINT`` minor units, dates ``TIMESTAMP_NS``;
- ``snapshots``: one row per ``(as_of, customer_id)``, created empty with the
  schema's columns and that primary key; :func:`write_snapshot` replaces one
  date and nothing else;
- ``meta``: ``key``/``value`` text rows: ``creditkit_version``, ``fingerprint``
  (of every table written through :func:`write_tables`, see :func:`fingerprint`;
  per table under ``fingerprint:<name>``), ``generator`` (JSON parameters when
  the data is synthetic) and ``tables`` (the tables written, as JSON).

Writes happen in one transaction: a failed write leaves the file as it was.
DuckDB lets one process write a file (or several only read it): every
function here raises :class:`~creditkit.exceptions.StoreLockedError` naming
the file when another process holds it open for writing.

Examples
--------
>>> import tempfile, pathlib
>>> from creditkit.datasets import make_portfolio
>>> path = pathlib.Path(tempfile.mkdtemp()) / "book.duckdb"
>>> write_tables(path, make_portfolio(20, seed=1))
>>> list_tables(path)
['applications', 'bills', 'customers', 'meta', 'payments', 'snapshots', 'transactions']
>>> read_table(path, "bills", columns=["bill_id", "amount_minor"], where="amount_minor > 0").dtypes.astype(str).tolist()
['str', 'int64']
"""  # noqa: E501

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from creditkit.checks import check_as_of
from creditkit.exceptions import DataReadError, ParameterError, SchemaError, StoreLockedError
from creditkit.schema import TABLES, coerce, validate

__all__ = [
    "DEFAULT_PATH",
    "PORTFOLIO_TABLES",
    "fingerprint",
    "list_tables",
    "load_portfolio",
    "open_error",
    "read_meta",
    "read_table",
    "write_snapshot",
    "write_tables",
]

#: Where ``make demo`` writes the store and notebooks look for it (relative to the repo root).
DEFAULT_PATH = Path("datasets/creditkit.duckdb")
#: The tables :func:`load_portfolio` returns.
PORTFOLIO_TABLES = ("customers", "applications", "transactions", "bills", "payments")
_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_DUCK_TYPES = {"string": "VARCHAR", "date": "TIMESTAMP_NS", "money": "BIGINT", "int": "BIGINT",
               "float": "DOUBLE"}


def _check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name) or name == "meta":
        raise ParameterError(
            f"table name must be lower-case letters, digits and '_' (and not 'meta'); got {name!r}")
    return name


def _existing(path: str | Path) -> Path:
    p = Path(path)
    if not p.is_file():
        raise DataReadError(
            f"no creditkit store at {str(p)!r}; create it with "
            "creditkit.store.write_tables(path, tables) or `creditkit generate`, "
            "or pass the path of an existing .duckdb file")
    return p


def _connect(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise open_error(path, exc) from None
    con.execute("SET enable_progress_bar = false")  # no terminal bars in notebooks and logs
    return con


def open_error(path: str | Path, exc: BaseException) -> DataReadError:
    """The creditkit error for a DuckDB file that would not open, told by DuckDB's message.

    A lock held by another process gives :class:`StoreLockedError` (naming the
    process and the fix); a file that is not a DuckDB database (random bytes,
    a CSV or workbook renamed, a damaged copy) is said to be so, never
    "locked"; anything else is a :class:`DataReadError` quoting DuckDB.

    Parameters
    ----------
    path : str or Path
        The file that was opened.
    exc : BaseException
        The error ``duckdb.connect`` raised.

    Returns
    -------
    DataReadError
        To be raised by the caller (``raise open_error(path, exc) from None``).

    Examples
    --------
    >>> err = open_error("old.duckdb", OSError('The file "old.duckdb" exists, but it is not '
    ...                                        'a valid DuckDB database file!'))
    >>> "not a DuckDB database" in str(err), type(err).__name__
    (True, 'DataReadError')
    """
    text = str(exc)
    if "not a valid duckdb database" in text.lower():
        return DataReadError(
            f"cannot open DuckDB file {str(path)!r}: it is not a DuckDB database "
            "(so not a creditkit store): it may be another file given a .duckdb name, or a "
            "damaged or partly copied store; point at another .duckdb file, or regenerate it "
            "with `creditkit generate` or creditkit.store.write_tables(path, tables)")
    if "lock" in text.lower():
        holder = re.search(r"\(PID (\d+)\)", text)
        who = f"process {holder.group(1)}" if holder else "another process"
        return StoreLockedError(
            f"the store {str(path)!r} is open for writing in {who} (a notebook kernel or "
            "a script holding a duckdb connection to it); close that connection or shut "
            "down that kernel, or pass another store path")
    return DataReadError(
        f"cannot open {str(path)!r} as a DuckDB store: {text}; pass the path of a "
        ".duckdb file written by creditkit.store.write_tables")


def _create_snapshots(con: duckdb.DuckDBPyConnection) -> None:
    cols = ", ".join(f'"{c.name}" {_DUCK_TYPES[c.dtype]}' for c in TABLES["snapshots"].columns)
    con.execute(f"CREATE TABLE IF NOT EXISTS snapshots ({cols}, PRIMARY KEY (as_of, customer_id))")


def _table_fingerprint(df: pd.DataFrame) -> str:
    h = hashlib.sha256()
    h.update(f"{df.shape}|{list(map(str, df.columns))}|".encode())
    h.update("|".join(str(t) for t in df.dtypes).encode())
    if len(df):
        rows = pd.util.hash_pandas_object(df, index=False).to_numpy(dtype=np.uint64)
        with np.errstate(over="ignore"):  # a sum is blind to row order, not to repeats
            h.update(int(rows.sum(dtype=np.uint64)).to_bytes(8, "little"))
    return h.hexdigest()[:16]


def _combine(per_table: Mapping[str, str]) -> str:
    text = "|".join(f"{name}={per_table[name]}" for name in sorted(per_table))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


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
    return _combine({name: _table_fingerprint(df) for name, df in tables.items()})


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
        _check_name(name)
        if not isinstance(df, pd.DataFrame):
            raise ParameterError(f"table {name!r} is a {type(df).__name__}, expected a DataFrame")
        if name in TABLES:
            validate(df, name)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(path, read_only=False)
    try:
        con.execute("BEGIN TRANSACTION")
        _create_snapshots(con)
        con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        existing = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        kept = dict(con.execute(
            "SELECT substr(key, 13), value FROM meta WHERE key LIKE 'fingerprint:%'").fetchall())
        for name, df in tables.items():
            con.register("_frame", df)
            fp = _table_fingerprint(df)
            if replace or name not in existing:
                con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _frame')
                kept[name] = fp
            else:
                have = [r[0] for r in con.execute(f'DESCRIBE "{name}"').fetchall()]
                if have != list(map(str, df.columns)):
                    raise ParameterError(
                        f"cannot append to {name!r}: it has columns {have}, the frame has "
                        f"{list(df.columns)}; pass replace=True or select the same columns")
                con.execute(f'INSERT INTO "{name}" SELECT * FROM _frame')
                kept[name] = _combine({"before": kept.get(name, ""), "appended": fp})
            con.unregister("_frame")
        from creditkit import __version__

        meta = {"creditkit_version": __version__, "fingerprint": _combine(kept),
                "tables": json.dumps(sorted(kept))}
        meta.update({f"fingerprint:{name}": fp for name, fp in kept.items()})
        if generator is not None:
            meta["generator"] = json.dumps(dict(generator), sort_keys=True, default=str)
        for key, value in meta.items():
            con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.close()


def list_tables(path: str | Path) -> list[str]:
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
    con = _connect(_existing(path), read_only=True)
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
    con = _connect(_existing(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
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


def load_portfolio(path: str | Path = DEFAULT_PATH) -> dict[str, pd.DataFrame]:
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
    present = set(list_tables(path))
    missing = [t for t in PORTFOLIO_TABLES if t not in present]
    if missing:
        raise DataReadError(
            f"the store {str(path)!r} has no {missing} table(s); write a portfolio with "
            "creditkit.store.write_tables(path, creditkit.datasets.make_portfolio(...))")
    return {t: validate(read_table(path, t), t) for t in PORTFOLIO_TABLES}


def write_snapshot(path: str | Path, snapshot: pd.DataFrame, *, as_of: str | pd.Timestamp) -> int:
    """Store one dated snapshot, replacing that date's rows and nothing else.

    Parameters
    ----------
    path : str or Path
        The DuckDB file (created if missing).
    snapshot : DataFrame
        Rows of the ``snapshots`` table (``customer_id`` and any of its
        columns); ``as_of`` is set from the argument.
    as_of : str or Timestamp
        The snapshot date (a time of day is dropped; a timezone-aware date is refused).

    Returns
    -------
    int
        Rows written.

    Raises
    ------
    ParameterError
        When ``as_of`` is not a date or carries a timezone.
    SchemaError
        When ``snapshot`` has columns the ``snapshots`` table does not.
    StoreLockedError
        When another process holds the file open for writing.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> snap = pd.DataFrame({"customer_id": ["C1", "C2"], "dpd": [0, 31]})
    >>> write_snapshot(path, snap, as_of="2025-06-30")
    2
    >>> write_snapshot(path, snap.head(1), as_of="2025-06-30")
    1
    >>> len(read_table(path, "snapshots"))
    1
    """
    names = TABLES["snapshots"].names
    extra = [c for c in snapshot.columns if c not in names]
    if extra:
        raise SchemaError(
            f"snapshot has column(s) {extra} the snapshots table does not; it has {names}")
    day = check_as_of(as_of)
    frame = coerce(snapshot.assign(as_of=day), "snapshots")[names]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(path, read_only=False)
    try:
        con.execute("BEGIN TRANSACTION")
        _create_snapshots(con)
        con.register("_frame", frame)
        con.execute("DELETE FROM snapshots WHERE as_of = ?", [day.to_pydatetime()])
        con.execute("INSERT INTO snapshots SELECT * FROM _frame")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.close()
    return len(frame)
