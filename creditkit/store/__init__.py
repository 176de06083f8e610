"""The credit-file store: the portfolio tables and dated snapshots in one DuckDB file.

Layout of the file (schema version 3, ``meta.schema_version``):

- one table per canonical table (``customers``, ``applications``,
  ``transactions``, ``bills``, ``payments``, ...), columns as in
  :mod:`creditkit.schema`; money ``BIGINT`` minor units, dates ``TIMESTAMP_NS``;
- ``snapshots``: one row per ``(as_of, customer_id)``: the customer's credit
  file at that date (score, PD and the scorecard version, tier and the rule
  that placed it, value segment, tags, restriction, limit and term,
  outstanding, past due, dpd, bucket, open alerts, dunning level);
  :func:`write_snapshot` and :func:`write_update` replace one date and
  nothing else (:mod:`~creditkit.store.snapshots`);
- ``portfolio_aggregates``: per date, currency and measure (totals, tier,
  bucket, restriction and dunning distributions), recomputed from the rows of
  the date in the same transaction;
- ``snapshot_runs`` (what produced each date: creditkit version, data
  fingerprint, artefact fingerprints, inputs, rows quarantined) and
  ``artefacts`` (the scorecards, rule files and policies used, with a version
  and a fingerprint, :mod:`~creditkit.store.artefacts`);
- ``dunning_history`` (the dunning runs, the state of the next run),
  ``quarantine`` (rows the update's cleaning held back), ``reviews``
  (:func:`record_reviews`);
- the state each update hands to the next (schema 3,
  :mod:`~creditkit.store.state`): ``ledger`` and ``ledger_runs`` (payments as
  reconciled: decided rows stay decided), ``alert_state``,
  ``restriction_state`` and ``recovery_plans``;
- ``meta``: ``key``/``value`` text rows: ``schema_version``,
  ``creditkit_version``, ``fingerprint`` (of every table written through
  :func:`write_tables`, see :func:`fingerprint`; per table under
  ``fingerprint:<name>``), ``generator`` (JSON parameters when the data is
  synthetic) and ``tables`` (the tables written, as JSON).

A store written by creditkit 0.1.0 (schema 1) is migrated by the first write
(or :func:`migrate`); a store of a newer creditkit is refused with
:class:`~creditkit.exceptions.StoreVersionError`. Writes happen in one
transaction: a failed or killed write leaves the file as it was. DuckDB lets
one process write a file (or several only read it): the snapshot readers
(:func:`credit_file`, :func:`portfolio_at`, ...) wait while a write runs;
:func:`read_table` and the other table functions raise
:class:`~creditkit.exceptions.StoreLockedError` naming the file when another
process holds it open for writing.

Examples
--------
>>> import tempfile, pathlib
>>> from creditkit.datasets import make_portfolio
>>> path = pathlib.Path(tempfile.mkdtemp()) / "book.duckdb"
>>> write_tables(path, make_portfolio(20, seed=1))
>>> [t for t in list_tables(path) if t in {"bills", "ledger", "meta", "snapshots"}]
['bills', 'ledger', 'meta', 'snapshots']
>>> read_table(path, "bills", columns=["bill_id", "amount_minor"], where="amount_minor > 0").dtypes.astype(str).tolist()
['str', 'int64']
"""  # noqa: E501

from __future__ import annotations

from creditkit.store._db import SCHEMA_VERSION, open_error
from creditkit.store.artefacts import (
    artefact_row,
    content_fingerprint,
    list_artefacts,
    read_artefact,
    run_info,
)
from creditkit.store.history import (
    CHANGE_FIELDS,
    CreditFile,
    credit_file,
    migrate,
    portfolio_aggregates,
    portfolio_at,
    snapshot_dates,
)
from creditkit.store.snapshots import (
    AGGREGATE_MEASURES,
    STATE_TABLES,
    record_reviews,
    snapshot_frame,
    write_snapshot,
    write_update,
)
from creditkit.store.state import (
    LEDGER_PAYMENT_COLUMNS,
    CarriedLedger,
    read_before,
    read_latest,
    read_ledger,
)
from creditkit.store.tables import (
    DEFAULT_PATH,
    OPTIONAL_TABLES,
    PORTFOLIO_TABLES,
    fingerprint,
    list_tables,
    load_optional_tables,
    load_portfolio,
    read_meta,
    read_table,
    write_tables,
)

__all__ = [
    "AGGREGATE_MEASURES",
    "CHANGE_FIELDS",
    "DEFAULT_PATH",
    "LEDGER_PAYMENT_COLUMNS",
    "OPTIONAL_TABLES",
    "PORTFOLIO_TABLES",
    "SCHEMA_VERSION",
    "STATE_TABLES",
    "CarriedLedger",
    "CreditFile",
    "artefact_row",
    "content_fingerprint",
    "credit_file",
    "fingerprint",
    "list_artefacts",
    "list_tables",
    "load_optional_tables",
    "load_portfolio",
    "migrate",
    "open_error",
    "portfolio_aggregates",
    "portfolio_at",
    "read_artefact",
    "read_before",
    "read_latest",
    "read_ledger",
    "read_meta",
    "read_table",
    "record_reviews",
    "run_info",
    "snapshot_dates",
    "snapshot_frame",
    "write_snapshot",
    "write_tables",
    "write_update",
]
