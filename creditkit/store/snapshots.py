"""Dated snapshots: a date's customer rows, portfolio aggregates and run, written atomically.

A write replaces one date and nothing else, in one transaction: the rows of
``snapshots``, the ``portfolio_aggregates`` computed from those rows in the
same transaction (so they always add up to them), the ``snapshot_runs`` row
saying what produced the date, that date's ``dunning_history`` and
``quarantine`` rows, and any portfolio tables the update loaded. A process
killed midway leaves the file as it was before the write.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import duckdb
import pandas as pd

from creditkit.checks import check_as_of
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.schema import TABLES, coerce, validate
from creditkit.store._db import (
    SCHEMA_VERSION,
    TABLES_V3,
    check_name,
    combine,
    table_fingerprint,
    write_transaction,
)

__all__ = ["AGGREGATE_MEASURES", "STATE_TABLES", "record_reviews", "snapshot_frame",
           "write_aggregates", "write_snapshot", "write_update"]

#: Tables of the state one update hands to the next, replaced per date by :func:`write_update`.
STATE_TABLES = tuple(TABLES_V3)

#: What ``portfolio_aggregates`` holds per date and currency: measure -> its group column.
AGGREGATE_MEASURES = {
    "customers": None, "customers_past_due": None, "outstanding_minor": None,
    "past_due_minor": None, "outstanding_dpd30_minor": None, "outstanding_dpd90_minor": None,
    "open_alerts": None, "customers_by_tier": "tier", "outstanding_by_tier": "tier",
    "outstanding_by_bucket": "bucket", "customers_by_restriction": "restriction_level",
    "customers_by_dunning_level": "dunning_level", "customers_by_value_segment": "value_segment",
}

_WHOLE = {
    "customers": "count(*)", "customers_past_due": "count(*) FILTER (WHERE dpd > 0)",
    "outstanding_minor": "sum(outstanding_minor)", "past_due_minor": "sum(past_due_minor)",
    "outstanding_dpd30_minor": "sum(outstanding_minor) FILTER (WHERE dpd > 30)",
    "outstanding_dpd90_minor": "sum(outstanding_minor) FILTER (WHERE dpd > 90)",
    "open_alerts": "sum(open_alerts)",
}
_GROUPED = {
    "customers_by_tier": "count(*)", "outstanding_by_tier": "sum(outstanding_minor)",
    "outstanding_by_bucket": "sum(outstanding_minor)", "customers_by_restriction": "count(*)",
    "customers_by_dunning_level": "count(*)", "customers_by_value_segment": "count(*)",
}


def snapshot_frame(snapshot: pd.DataFrame, *, as_of: object) -> pd.DataFrame:
    """The rows of one date as the ``snapshots`` table holds them: columns checked and coerced.

    Parameters
    ----------
    snapshot : DataFrame
        ``customer_id`` and any of the ``snapshots`` columns
        (:data:`creditkit.schema.TABLES`); ``as_of`` is set from the argument.
    as_of : date-like

    Returns
    -------
    DataFrame
        Every column of the table in its order, sorted by ``customer_id``.

    Raises
    ------
    SchemaError
        A column the table does not have, no ``customer_id``, a repeated customer.
    ParameterError
        A bad ``as_of``.

    Examples
    --------
    >>> f = snapshot_frame(pd.DataFrame({"customer_id": ["C2", "C1"], "dpd": [3, 0]}),
    ...                    as_of="2025-06-30")
    >>> f["customer_id"].tolist(), f.columns[:3].tolist()
    (['C1', 'C2'], ['as_of', 'customer_id', 'score'])
    """
    names = TABLES["snapshots"].names
    if not isinstance(snapshot, pd.DataFrame) or "customer_id" not in snapshot.columns:
        raise SchemaError("a snapshot is a DataFrame with a customer_id column and columns of "
                          f"the snapshots table {names}; got {type(snapshot).__name__}")
    extra = [c for c in snapshot.columns if c not in names]
    if extra:
        raise SchemaError(
            f"snapshot has column(s) {extra} the snapshots table does not; it has {names}")
    dup = snapshot["customer_id"].duplicated()
    if dup.any():
        raise SchemaError(f"snapshot repeats customer(s) "
                          f"{snapshot['customer_id'][dup].unique()[:5].tolist()}; one row per "
                          "customer and date")
    day = check_as_of(as_of)
    frame = coerce(snapshot.assign(as_of=day), "snapshots")[names]
    return frame.sort_values("customer_id", kind="stable").reset_index(drop=True)


def write_aggregates(con: duckdb.DuckDBPyConnection, day: pd.Timestamp) -> None:
    """Recompute ``portfolio_aggregates`` of one date from its snapshot rows (open transaction).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> _ = write_snapshot(path, pd.DataFrame({"customer_id": ["C1", "C2"], "currency": "CNY",
    ...     "outstanding_minor": [100, 50], "dpd": [0, 40], "tier": ["prime", "high_risk"]}),
    ...     as_of="2025-06-30")
    >>> con = duckdb.connect(str(path), read_only=True)
    >>> con.execute("SELECT value FROM portfolio_aggregates WHERE measure = "
    ...             "'outstanding_dpd30_minor'").fetchall()
    [(50,)]
    >>> con.close()
    """
    when = day.to_pydatetime()
    con.execute("DELETE FROM portfolio_aggregates WHERE as_of = ?", [when])
    parts = [f"SELECT currency, '{m}' AS measure, NULL AS grp, {expr} AS value "
             "FROM snapshots WHERE as_of = $d GROUP BY currency" for m, expr in _WHOLE.items()]
    parts += [f"SELECT currency, '{m}', CAST(\"{AGGREGATE_MEASURES[m]}\" AS VARCHAR), {expr} "
              f"FROM snapshots WHERE as_of = $d GROUP BY currency, \"{AGGREGATE_MEASURES[m]}\""
              for m, expr in _GROUPED.items()]
    con.execute("INSERT INTO portfolio_aggregates SELECT $d, currency, measure, grp, "
                "CAST(coalesce(value, 0) AS BIGINT) FROM (" + " UNION ALL ".join(parts)
                + ") ORDER BY currency, measure, grp", {"d": when})


def _replace_date(con: duckdb.DuckDBPyConnection, table: str, column: str,
                  day: pd.Timestamp, frame: pd.DataFrame | None) -> None:
    con.execute(f'DELETE FROM "{table}" WHERE "{column}" = ?', [day.to_pydatetime()])
    if frame is not None and len(frame):
        have = [r[0] for r in con.execute(f'DESCRIBE "{table}"').fetchall()]
        con.register("_frame", frame[have])
        con.execute(f'INSERT INTO "{table}" SELECT * FROM _frame')
        con.unregister("_frame")


def write_update(path: str | Path, snapshot: pd.DataFrame, *, as_of: object,
                 run: Mapping[str, object] | None = None,
                 dunning_history: pd.DataFrame | None = None,
                 quarantine: pd.DataFrame | None = None,
                 tables: Mapping[str, pd.DataFrame] | None = None,
                 artefacts: pd.DataFrame | None = None,
                 state: Mapping[str, pd.DataFrame] | None = None) -> int:
    """Write one date of the credit-control cycle in one transaction (``creditkit update``).

    Replaces that date's ``snapshots`` rows, ``portfolio_aggregates``,
    ``snapshot_runs`` row, ``dunning_history`` runs and ``quarantine`` rows;
    replaces the portfolio ``tables`` given (the update's merged inputs).
    Earlier and later dates are not touched. Either everything is written or,
    on any error or a killed process, nothing.

    Parameters
    ----------
    path : str or Path
        The store (created if missing, migrated to the current schema).
    snapshot : DataFrame
        As :func:`snapshot_frame`.
    as_of : date-like
    run : mapping, optional
        What produced the date: ``data_fingerprint`` (default: the store's,
        as :func:`creditkit.store.fingerprint` of every table written, after
        ``tables``), ``artefacts`` (kind -> fingerprint), ``inputs``,
        ``quarantined``, ``note``.
    dunning_history : DataFrame, optional
        The dunning runs of ``as_of`` (``run_date`` = ``as_of``), columns of
        :func:`creditkit.collections.dunning_inputs.empty_history`.
    quarantine : DataFrame, optional
        Rows the cleaning held back, columns of the ``quarantine`` table.
    tables : mapping, optional
        Portfolio tables to replace (validated against the schema).
    artefacts : DataFrame, optional
        Rows of :func:`creditkit.store.artefact_row` the run used; one already
        stored (same kind and fingerprint) keeps its first date.
    state : mapping, optional
        Rows of the tables carried to the next update (``ledger``,
        ``ledger_runs``, ``alert_state``, ``restriction_state``,
        ``recovery_plans``: :data:`creditkit.store.STATE_TABLES`) for
        ``as_of``; each replaces that date's rows of its table.

    Returns
    -------
    int
        Snapshot rows written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> write_update(path, pd.DataFrame({"customer_id": ["C1"], "dpd": [0]}),
    ...              as_of="2025-06-30", run={"note": "by hand"})
    1
    """
    frame = snapshot_frame(snapshot, as_of=as_of)
    day = frame["as_of"].iloc[0] if len(frame) else check_as_of(as_of)
    for name, df in (tables or {}).items():
        check_name(name)
        if name in TABLES:
            validate(df, name)
    if dunning_history is not None and len(dunning_history):
        dates = pd.to_datetime(dunning_history["run_date"]).unique()
        if len(dates) != 1 or pd.Timestamp(dates[0]) != day:
            raise ParameterError(f"dunning_history holds run dates {list(dates)[:3]}; pass the "
                                 f"runs of {day.date()} only")
    for name in (state or {}):
        if name not in STATE_TABLES:
            raise ParameterError(f"state table {name!r} is not one of {sorted(STATE_TABLES)}")
    from creditkit import __version__

    run = dict(run or {})
    run_row = pd.DataFrame([{
        "as_of": day, "creditkit_version": __version__, "schema_version": SCHEMA_VERSION,
        "data_fingerprint": run.get("data_fingerprint"),
        "artefacts": json.dumps(run.get("artefacts", {}), sort_keys=True),
        "inputs": json.dumps(run.get("inputs", []), sort_keys=True, default=str),
        "rows": len(frame), "quarantined": int(run.get("quarantined", 0)),
        "note": run.get("note")}])
    with write_transaction(path) as con:
        for name, df in (tables or {}).items():
            con.register("_frame", df)
            con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _frame')
            con.unregister("_frame")
            con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                        [f"fingerprint:{name}", table_fingerprint(df)])
        kept = dict(con.execute("SELECT substr(key, 13), value FROM meta "
                                "WHERE key LIKE 'fingerprint:%'").fetchall())
        if tables:  # the store's data fingerprint (reports' manifests) follows what was merged
            con.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", [combine(kept)])
            con.execute("INSERT OR REPLACE INTO meta VALUES ('tables', ?)",
                        [json.dumps(sorted(kept))])
        if run_row["data_fingerprint"].iloc[0] is None and kept:
            run_row["data_fingerprint"] = combine(kept)
        if artefacts is not None and len(artefacts):
            con.register("_frame", artefacts.assign(first_as_of=day)[
                ["kind", "name", "version", "fingerprint", "first_as_of", "content"]])
            con.execute("INSERT OR IGNORE INTO artefacts SELECT * FROM _frame")
            con.unregister("_frame")
        _replace_date(con, "snapshots", "as_of", day, frame)
        write_aggregates(con, day)
        _replace_date(con, "snapshot_runs", "as_of", day, run_row)
        if dunning_history is not None:
            _replace_date(con, "dunning_history", "run_date", day, dunning_history)
        if quarantine is not None:
            _replace_date(con, "quarantine", "as_of", day, quarantine.assign(as_of=day))
        for name, rows in (state or {}).items():
            _replace_date(con, name, "as_of", day, rows.assign(as_of=day))
    return len(frame)


def write_snapshot(path: str | Path, snapshot: pd.DataFrame, *, as_of: str | pd.Timestamp) -> int:
    """Store one dated snapshot, replacing that date's rows and nothing else.

    The date's ``portfolio_aggregates`` are recomputed from its rows in the
    same transaction.

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
    StoreVersionError
        When the store was written by a newer creditkit.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.store import read_table
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> snap = pd.DataFrame({"customer_id": ["C1", "C2"], "dpd": [0, 31]})
    >>> write_snapshot(path, snap, as_of="2025-06-30")
    2
    >>> write_snapshot(path, snap.head(1), as_of="2025-06-30")
    1
    >>> len(read_table(path, "snapshots"))
    1
    """
    frame = snapshot_frame(snapshot, as_of=as_of)
    day = check_as_of(as_of)
    with write_transaction(path, wait=0.0) as con:
        _replace_date(con, "snapshots", "as_of", day, frame)
        write_aggregates(con, day)
    return len(frame)


def record_reviews(path: str | Path, reviews: pd.DataFrame) -> int:
    """Record credit reviews (资信复核) of customers; a review resets their re-evaluation clock.

    Parameters
    ----------
    path : str or Path
        The store (created if missing).
    reviews : DataFrame
        ``customer_id``, ``review_date`` and optionally ``reviewer``,
        ``outcome``, ``note``. A row equal to one already recorded (same
        customer, date and reviewer) replaces it, so recording twice is harmless.

    Returns
    -------
    int
        Rows recorded.

    Raises
    ------
    SchemaError
        A required column is missing, or a date or customer is blank.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.store import read_table
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> r = pd.DataFrame({"customer_id": ["C1"], "review_date": ["2025-06-15"],
    ...                   "reviewer": ["李"], "outcome": ["keep limit"]})
    >>> record_reviews(path, r), record_reviews(path, r), len(read_table(path, "reviews"))
    (1, 1, 1)
    """
    cols = ["customer_id", "review_date", "reviewer", "outcome", "note"]
    if not isinstance(reviews, pd.DataFrame) or not {"customer_id", "review_date"} <= set(
            reviews.columns):
        raise SchemaError("reviews must be a DataFrame with customer_id and review_date (and "
                          f"optionally reviewer, outcome, note); got {type(reviews).__name__}")
    frame = reviews.reindex(columns=cols).copy()
    frame["review_date"] = pd.to_datetime(frame["review_date"], errors="coerce").dt.normalize()
    blank = frame["review_date"].isna() | frame["customer_id"].isna()
    if blank.any():
        raise SchemaError(f"reviews row(s) {list(blank[blank].index[:5])} lack a customer_id or a "
                          "readable review_date (YYYY-MM-DD); fill them in")
    for c in ("customer_id", "reviewer", "outcome", "note"):
        frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
    frame["customer_id"] = frame["customer_id"].astype(str)
    with write_transaction(path) as con:
        con.register("_frame", frame)
        con.execute("DELETE FROM reviews USING _frame f WHERE reviews.customer_id = "
                    "f.customer_id AND reviews.review_date = f.review_date AND "
                    "reviews.reviewer IS NOT DISTINCT FROM f.reviewer")
        con.execute("INSERT INTO reviews SELECT * FROM _frame")
        con.unregister("_frame")
    return len(frame)
