"""Opening the store file, waiting for a writer, and its schema version with the migrations.

Used only inside :mod:`creditkit.store`. The schema versions:

1. creditkit 0.1.0: the portfolio tables, ``meta`` and ``snapshots`` with
   ``as_of, customer_id, score, pd, tier, limit_minor, outstanding_minor,
   dpd, bucket``; no ``schema_version`` in ``meta``.
2. creditkit 0.2: ``snapshots`` gains the columns of a credit file (currency,
   scorecard and its version, tier rule and values, value segment, tags,
   restriction, term, past due, alerts, dunning level: appended in that
   order, so a migrated file and a new one have the same layout), and the
   tables ``portfolio_aggregates``, ``snapshot_runs``, ``artefacts``,
   ``dunning_history``, ``quarantine`` and ``reviews`` appear;
   ``meta.schema_version`` = ``2``.
3. creditkit 0.3: the state one month hands to the next (:data:`TABLES_V3`):
   ``ledger`` (the payments as reconciled: what each date decided, and the
   unapplied rests still open after it), ``ledger_runs`` (how each date
   reconciled: ``full`` or ``month``), ``alert_state`` (alerts open after each
   date, with the day each opened), ``restriction_state`` (the restricted
   customers after each date, with their entry dates) and ``recovery_plans``
   (the instalments of the plans offered at each date). Older files gain
   them empty: their first update reconciles in full.

A migration runs inside the writer's transaction, so a crash during it leaves
the file at its old version.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from creditkit.exceptions import DataReadError, ParameterError, StoreLockedError, StoreVersionError
from creditkit.schema import TABLES

#: The schema version this release writes (see the module docstring).
SCHEMA_VERSION = 3
NAME = re.compile(r"[a-z_][a-z0-9_]*")
DUCK_TYPES = {"string": "VARCHAR", "date": "TIMESTAMP_NS", "money": "BIGINT", "int": "BIGINT",
              "float": "DOUBLE"}
#: Snapshot columns of schema 1 (creditkit 0.1.0), in their order in the file.
SNAPSHOT_COLUMNS_V1 = ("as_of", "customer_id", "score", "pd", "tier", "limit_minor",
                       "outstanding_minor", "dpd", "bucket")

#: Tables added by schema 2: name -> column definitions.
TABLES_V2 = {
    "portfolio_aggregates": ("as_of TIMESTAMP_NS, currency VARCHAR, measure VARCHAR, "
                             "grp VARCHAR, value BIGINT"),
    "snapshot_runs": ("as_of TIMESTAMP_NS PRIMARY KEY, creditkit_version VARCHAR, "
                      "schema_version BIGINT, data_fingerprint VARCHAR, artefacts VARCHAR, "
                      "inputs VARCHAR, rows BIGINT, quarantined BIGINT, note VARCHAR"),
    "artefacts": ("kind VARCHAR, name VARCHAR, version VARCHAR, fingerprint VARCHAR, "
                  "first_as_of TIMESTAMP_NS, content VARCHAR, PRIMARY KEY (kind, fingerprint)"),
    "dunning_history": ("run_date TIMESTAMP_NS, customer_id VARCHAR, currency VARCHAR, "
                        "level BIGINT, previous_level BIGINT, event VARCHAR, reason VARCHAR, "
                        "channel VARCHAR, amount_minor BIGINT, bill_ids VARCHAR"),
    "quarantine": ("as_of TIMESTAMP_NS, source_file VARCHAR, source_table VARCHAR, "
                   "source_row BIGINT, source_line BIGINT, reason VARCHAR, column_name VARCHAR, "
                   "message VARCHAR, key VARCHAR, raw VARCHAR"),
    "reviews": ("customer_id VARCHAR, review_date TIMESTAMP_NS, reviewer VARCHAR, "
                "outcome VARCHAR, note VARCHAR"),
}

#: Tables added by schema 3 (the state carried from one update to the next).
TABLES_V3 = {
    "ledger": ("as_of TIMESTAMP_NS, open BOOLEAN, payment_id VARCHAR, source_payment_id VARCHAR, "
               "customer_id VARCHAR, bill_id VARCHAR, amount_minor BIGINT, kind VARCHAR"),
    "ledger_runs": ("as_of TIMESTAMP_NS PRIMARY KEY, mode VARCHAR, since TIMESTAMP_NS, "
                    "payments BIGINT, rests BIGINT, bills BIGINT"),
    "alert_state": ("as_of TIMESTAMP_NS, customer_id VARCHAR, rule_id VARCHAR, "
                    "severity VARCHAR, opened TIMESTAMP_NS"),
    "restriction_state": ("as_of TIMESTAMP_NS, customer_id VARCHAR, restriction_level VARCHAR, "
                          "previous_restriction_level VARCHAR, change VARCHAR, rule_ids VARCHAR, "
                          "entered_on TIMESTAMP_NS, level_since TIMESTAMP_NS"),
    "recovery_plans": ("as_of TIMESTAMP_NS, plan_id VARCHAR, customer_id VARCHAR, "
                       "start TIMESTAMP_NS, instalment BIGINT, due_date TIMESTAMP_NS, "
                       "principal_minor BIGINT, interest_minor BIGINT, fee_minor BIGINT, "
                       "amount_minor BIGINT, remaining_minor BIGINT, currency VARCHAR"),
}


def check_name(name: str) -> str:
    """``name`` if it is a table name a caller may write (lower case, not ``meta``)."""
    if not isinstance(name, str) or not NAME.fullmatch(name) or name == "meta":
        raise ParameterError(
            f"table name must be lower-case letters, digits and '_' (and not 'meta'); got {name!r}")
    return name


def existing(path: str | Path) -> Path:
    """The path of an existing store, or a DataReadError naming how to make one."""
    p = Path(path)
    if not p.is_file():
        raise DataReadError(
            f"no creditkit store at {str(p)!r}; create it with "
            "creditkit.store.write_tables(path, tables) or `creditkit generate`, "
            "or pass the path of an existing .duckdb file")
    return p


def connect(path: Path, *, read_only: bool, wait: float = 0.0) -> duckdb.DuckDBPyConnection:
    """Open the file; while another process writes it, retry for up to ``wait`` seconds.

    DuckDB lets one process write a file, or several read it: a reader in
    another process meets a lock while a write runs. Writes here are short
    transactions, so waiting a little lets readers and writers take turns.
    """
    deadline = time.monotonic() + max(float(wait), 0.0)
    pause = 0.02
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.Error as exc:
            err = open_error(path, exc)
            if not isinstance(err, StoreLockedError) or time.monotonic() >= deadline:
                raise err from None
            time.sleep(pause)
            pause = min(pause * 1.5, 0.25)
    con.execute("SET enable_progress_bar = false")  # no terminal bars in notebooks and logs
    return con


def open_error(path: str | Path, exc: BaseException) -> DataReadError:
    """The creditkit error for a DuckDB file that would not open, told by DuckDB's message.

    A lock held by another process gives :class:`StoreLockedError` (naming
    the process and the fix); a file that is not a DuckDB database (random
    bytes, a CSV or workbook renamed, a damaged copy) is said to be so, never
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


def table_fingerprint(df: pd.DataFrame) -> str:
    """The content hash of one frame (see :func:`creditkit.store.fingerprint`)."""
    h = hashlib.sha256()
    h.update(f"{df.shape}|{list(map(str, df.columns))}|".encode())
    h.update("|".join(str(t) for t in df.dtypes).encode())
    if len(df):
        rows = pd.util.hash_pandas_object(df, index=False).to_numpy(dtype=np.uint64)
        with np.errstate(over="ignore"):  # a sum is blind to row order, not to repeats
            h.update(int(rows.sum(dtype=np.uint64)).to_bytes(8, "little"))
    return h.hexdigest()[:16]


def combine(per_table: Mapping[str, str]) -> str:
    """One hash of several named hashes, blind to their order."""
    text = "|".join(f"{name}={per_table[name]}" for name in sorted(per_table))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def table_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The tables in the open file."""
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


def stored_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of the open file: 0 empty, 1 creditkit 0.1.0, then ``meta``'s."""
    names = table_names(con)
    if "meta" not in names:
        return 1 if "snapshots" in names else 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        return 1
    try:
        return int(row[0])
    except ValueError:
        raise StoreVersionError(
            f"the store's meta.schema_version is {row[0]!r}, not a number; the file was not "
            "written by creditkit or was edited: restore it from a backup") from None


def check_version(con: duckdb.DuckDBPyConnection, path: Path, *, need: int = 1) -> int:
    """The file's schema version; refuse a newer one, and an older one than ``need``."""
    version = stored_version(con)
    if version > SCHEMA_VERSION:
        made = con.execute("SELECT value FROM meta WHERE key = 'creditkit_version'").fetchone()
        from creditkit import __version__

        raise StoreVersionError(
            f"the store {str(path)!r} has schema version {version} (written by creditkit "
            f"{made[0] if made else 'unknown'}); this creditkit {__version__} reads schema "
            f"{SCHEMA_VERSION} and older: upgrade creditkit (pip install -U creditkit) to "
            "use this store, or pass another store path")
    if 0 < version < need:
        raise StoreVersionError(
            f"the store {str(path)!r} has schema version {version} (creditkit 0.1.0), older "
            f"than the {SCHEMA_VERSION} this needs; upgrade it once with "
            "creditkit.store.migrate(path) (any write does it too, e.g. `creditkit update`)")
    return version


def _to_v1(con: duckdb.DuckDBPyConnection) -> None:
    types = {c.name: DUCK_TYPES[c.dtype] for c in TABLES["snapshots"].columns}
    cols = ", ".join(f'"{c}" {types[c]}' for c in SNAPSHOT_COLUMNS_V1)
    con.execute(f"CREATE TABLE IF NOT EXISTS snapshots ({cols}, PRIMARY KEY (as_of, customer_id))")
    con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")


def _to_v2(con: duckdb.DuckDBPyConnection) -> None:
    _to_v1(con)  # a version-1 file may lack one of its tables (a store of notes only)
    have = {r[0] for r in con.execute("DESCRIBE snapshots").fetchall()}
    for col in TABLES["snapshots"].columns:
        if col.name not in have:
            con.execute(f'ALTER TABLE snapshots ADD COLUMN "{col.name}" {DUCK_TYPES[col.dtype]}')
    for name, cols in TABLES_V2.items():
        con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({cols})")


def _to_v3(con: duckdb.DuckDBPyConnection) -> None:
    for name, cols in TABLES_V3.items():
        con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({cols})")


MIGRATIONS = {1: _to_v1, 2: _to_v2, 3: _to_v3}


def ensure_schema(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Bring the open file (inside the caller's transaction) to :data:`SCHEMA_VERSION`.

    Returns the version the file had before.
    """
    before = check_version(con, path)
    for version in range(before + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[version](con)
    if before < SCHEMA_VERSION or "meta" not in table_names(con):
        _to_v1(con)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                    [str(SCHEMA_VERSION)])
    return before


@contextmanager
def write_transaction(path: str | Path, *, wait: float = 30.0,
                      migrate: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store open for writing, inside one transaction at the current schema.

    Creates the parent folder, opens the file (waiting up to ``wait`` seconds
    for another writer), begins a transaction and migrates the file to
    :data:`SCHEMA_VERSION` inside it. The block's writes are committed when it
    ends normally; on any exception (``KeyboardInterrupt`` included) they are
    rolled back and the exception goes on; a process killed midway leaves the
    file as it was before (DuckDB's write-ahead log is not committed). The
    connection is closed either way. The one place where the store's writers
    begin, commit and roll back. ``migrate=False`` leaves the migration to
    the caller (:func:`creditkit.store.migrate`, which returns the version before).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> with write_transaction(path) as con:
    ...     _ = con.execute("CREATE TABLE notes (x BIGINT)")
    >>> try:
    ...     with write_transaction(path) as con:
    ...         _ = con.execute("INSERT INTO notes VALUES (1)")
    ...         raise RuntimeError("stop")
    ... except RuntimeError:
    ...     pass
    >>> with write_transaction(path) as con:
    ...     con.execute("SELECT count(*) FROM notes").fetchone()
    (0,)
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    con = connect(p, read_only=False, wait=wait)
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            if migrate:
                ensure_schema(con, p)
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
    finally:
        con.close()
