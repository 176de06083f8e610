"""Allocation, aging, aging over time and roll rates on Spark, by customer slices.

Each function takes Spark DataFrames in the canonical schema
(:mod:`creditkit.schema`) and runs the pandas function of the same name of
:mod:`creditkit.aging` on each slice of customers (see
:mod:`creditkit.spark.frames`): the same rule, the same code, so the rows are
those pandas gives on the whole book. A payment without a customer belongs to
the customer of the bill it names (the ledger's rule), so it is sent to that
customer's slice; one naming no bill stays with the other unclaimed payments
(one slice: they have no customer).

Per-customer tables come back as lazy Spark DataFrames (write them to the
lake, or :func:`creditkit.spark.to_pandas`); portfolio tables
(:func:`portfolio_aging`, :func:`roll_rates`) are small and come back as
pandas frames, added on the driver as Python integers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from creditkit import aging as pandas_aging
from creditkit.aging.buckets import Buckets
from creditkit.exceptions import ParameterError
from creditkit.spark.frames import (
    apply_by_customer,
    check_table,
    check_unique,
    customer_partitions,
    empty_frame,
    executor_errors,
    spark_schema,
)
from creditkit.spark.session import quiet

__all__ = ["SparkAllocation", "aging_at_dates", "allocate_payments", "bill_aging",
           "customer_aging", "portfolio_aging", "roll_rates"]

#: The column of a payment's owner: its customer, else the named bill's customer.
OWNER = "__creditkit_owner"


class SparkAllocation(NamedTuple):
    """Result of :func:`allocate_payments`: two lazy Spark DataFrames."""

    allocations: Any
    unapplied: Any


def ledger_frames(bills: Any, payments: Any, *, validate: bool) -> tuple[Any, Any, dict, dict]:
    """Checked bills and payments, payments with their owner: their customer, else the named
    bill's customer (the ledger engine's rule)."""
    from pyspark.sql import functions as F

    bt = check_table(bills, "bills")
    pt = check_table(payments, "payments")
    if validate:
        check_unique(bills, "bill_id", "bills")
        check_unique(payments, "payment_id", "payments")
    own = F.col("customer_id") if "customer_id" in pt else F.lit(None).cast("string")
    if "bill_id" in pt:
        named = bills.select(F.col("bill_id").alias("__creditkit_bill"),
                             F.col("customer_id").alias("__creditkit_bill_owner"))
        lost = own.isNull() & F.col("bill_id").isNotNull()
        plain = payments.where(~lost).withColumn(OWNER, own)
        found = (payments.where(lost)
                 .join(named, F.col("bill_id") == F.col("__creditkit_bill"), "left")
                 .withColumn(OWNER, F.col("__creditkit_bill_owner"))
                 .drop("__creditkit_bill", "__creditkit_bill_owner"))
        payments = plain.unionByName(found)
    else:
        payments = payments.withColumn(OWNER, own)
    return bills, payments, bt, pt


def _run(func, bills, payments, bt, pt, partitions):
    """``func(bills, payments)`` per customer slice; its schema from a run on empty frames."""
    from pyspark.sql import functions as F

    schema = spark_schema(func(empty_frame(bt), empty_frame(pt)))
    n = customer_partitions(bills.sparkSession, partitions)
    return apply_by_customer(func, [bills, payments], [F.col("customer_id"), F.col(OWNER)],
                             n=n, schema=schema)


def allocate_payments(bills: Any, payments: Any, *, as_of: object, mode: str = "fifo",
                      partitions: int | None = None, validate: bool = True) -> SparkAllocation:
    """:func:`creditkit.aging.allocate_payments` on Spark, by customer slices.

    Parameters
    ----------
    bills, payments : pyspark.sql.DataFrame
        Canonical tables (dates as ``date``, money as ``bigint`` minor units).
    as_of : date-like
    mode : {"fifo", "explicit"}
    partitions : int, optional
        Customer slices (default ``spark.sql.shuffle.partitions``); each slice
        is one pandas call, so it must fit an executor's memory.
    validate : bool, default True
        Check that ``bill_id`` and ``payment_id`` are unique over the whole
        tables (one small job each); a slice sees only its own customers.

    Returns
    -------
    SparkAllocation
        ``allocations`` and ``unapplied``: lazy Spark DataFrames with the
        columns of the pandas function's two frames.

    Raises
    ------
    ParameterError
        Not Spark DataFrames, bad ``as_of`` or ``mode``.
    SchemaError
        Missing columns, wrong types, repeated ids.

    Examples
    --------
    >>> from creditkit.spark import allocate_payments, local_session
    >>> alloc = allocate_payments(bills_sdf, payments_sdf, as_of="2025-06-30")  # doctest: +SKIP
    >>> alloc.allocations.write.parquet("s3://lake/allocations/2025-06-30")  # doctest: +SKIP
    """
    b, p, bt, pt = ledger_frames(bills, payments, validate=validate)

    def allocations(bb: pd.DataFrame, pp: pd.DataFrame) -> pd.DataFrame:
        return pandas_aging.allocate_payments(bb, pp, as_of=as_of, mode=mode).allocations

    def unapplied(bb: pd.DataFrame, pp: pd.DataFrame) -> pd.DataFrame:
        return pandas_aging.allocate_payments(bb, pp, as_of=as_of, mode=mode).unapplied

    return SparkAllocation(_run(allocations, b, p, bt, pt, partitions),
                           _run(unapplied, b, p, bt, pt, partitions))


def bill_aging(bills: Any, payments: Any, *, as_of: object, mode: str = "fifo",
               buckets: str | Sequence[int] | Buckets = "days",
               edges: Sequence[int] | None = None, basis: str = "due",
               partitions: int | None = None, validate: bool = True) -> Any:
    """:func:`creditkit.aging.bill_aging` on Spark: one row per bill issued by ``as_of``.

    Parameters are those of :func:`allocate_payments` and of the pandas
    function (no ``fx``: convert currencies after, from the rows).

    Returns
    -------
    pyspark.sql.DataFrame
        Lazy; ``bucket`` as a string.

    Raises
    ------
    ParameterError, SchemaError
        As :func:`allocate_payments`; also an unknown ``basis`` or bucket preset.

    Examples
    --------
    >>> bill_aging(bills_sdf, payments_sdf, as_of="2025-06-30").count()  # doctest: +SKIP
    """
    b, p, bt, pt = ledger_frames(bills, payments, validate=validate)

    def run(bb: pd.DataFrame, pp: pd.DataFrame) -> pd.DataFrame:
        return pandas_aging.bill_aging(bb, pp, as_of=as_of, mode=mode, buckets=buckets,
                                       edges=edges, basis=basis)

    return _run(run, b, p, bt, pt, partitions)


def customer_aging(bills: Any, payments: Any, *, as_of: object, mode: str = "fifo",
                   buckets: str | Sequence[int] | Buckets = "days",
                   edges: Sequence[int] | None = None, basis: str = "due",
                   partitions: int | None = None, validate: bool = True) -> Any:
    """:func:`creditkit.aging.customer_aging` on Spark: one row per (customer, currency).

    Parameters are those of :func:`allocate_payments` and of the pandas
    function (no ``fx``).

    Returns
    -------
    pyspark.sql.DataFrame
        Lazy, unordered (sort by ``customer_id``, ``currency`` to compare
        with pandas); ``bucket`` as a string.

    Raises
    ------
    ParameterError, SchemaError
        As :func:`bill_aging`.

    Examples
    --------
    >>> from creditkit.spark import customer_aging
    >>> aged = customer_aging(bills_sdf, payments_sdf, as_of="2025-06-30")  # doctest: +SKIP
    >>> aged.where("past_due_minor > 0").count()  # doctest: +SKIP
    """
    b, p, bt, pt = ledger_frames(bills, payments, validate=validate)

    def run(bb: pd.DataFrame, pp: pd.DataFrame) -> pd.DataFrame:
        return pandas_aging.customer_aging(bb, pp, as_of=as_of, mode=mode, buckets=buckets,
                                           edges=edges, basis=basis)

    return _run(run, b, p, bt, pt, partitions)


def portfolio_aging(bills: Any, payments: Any, *, as_of: object, mode: str = "fifo",
                    buckets: str | Sequence[int] | Buckets = "days",
                    edges: Sequence[int] | None = None, basis: str = "due",
                    partitions: int | None = None, validate: bool = True) -> pd.DataFrame:
    """:func:`creditkit.aging.portfolio_aging` on Spark, combined exactly on the driver.

    Each slice gives its (currency, bucket) rows; outstanding, bills and
    customers (a customer lives in one slice) are added as Python integers,
    and each share is recomputed from the totals.

    Returns
    -------
    DataFrame
        pandas, as :func:`creditkit.aging.portfolio_aging` on the whole book.

    Raises
    ------
    ParameterError, SchemaError
        As :func:`bill_aging`; a creditkit error raised on an executor.

    Examples
    --------
    >>> portfolio_aging(bills_sdf, payments_sdf, as_of="2025-06-30")  # doctest: +SKIP
    """
    b, p, bt, pt = ledger_frames(bills, payments, validate=validate)

    def run(bb: pd.DataFrame, pp: pd.DataFrame) -> pd.DataFrame:
        return pandas_aging.portfolio_aging(bb, pp, as_of=as_of, mode=mode, buckets=buckets,
                                            edges=edges, basis=basis)

    empty = run(empty_frame(bt), empty_frame(pt))
    labels = list(empty["bucket"].cat.categories)
    with quiet(), executor_errors():
        rows = _run(run, b, p, bt, pt, partitions).collect()
    totals: dict[tuple[str, str], list[int]] = {}
    for r in rows:
        acc = totals.setdefault((r["currency"], r["bucket"]), [0, 0, 0])
        acc[0] += int(r["outstanding_minor"])
        acc[1] += int(r["n_bills"])
        acc[2] += int(r["n_customers"])
    currencies = sorted({c for c, _ in totals})
    keys = [(c, lab) for c in currencies for lab in labels]
    out = pd.DataFrame({
        "currency": pd.Series([c for c, _ in keys], dtype=empty["currency"].dtype),
        "bucket": pd.Categorical([lab for _, lab in keys], categories=labels),
        "outstanding_minor": np.array([totals.get(k, [0, 0, 0])[0] for k in keys], np.int64),
        "n_bills": np.array([totals.get(k, [0, 0, 0])[1] for k in keys], np.int64),
        "n_customers": np.array([totals.get(k, [0, 0, 0])[2] for k in keys], np.int64),
    })
    cur_total = {c: sum(totals.get((c, lab), [0])[0] for lab in labels) for c in currencies}
    share = [totals.get(k, [0])[0] / cur_total[k[0]] if cur_total[k[0]] > 0 else 0.0
             for k in keys]
    out.insert(3, "share", np.array(share, dtype=np.float64))
    return out


def aging_at_dates(bills: Any, payments: Any, *, dates: Sequence[object], mode: str = "fifo",
                   buckets: str | Sequence[int] | Buckets = "m",
                   edges: Sequence[int] | None = None,
                   partitions: int | None = None, validate: bool = True) -> Any:
    """:func:`creditkit.aging.aging_at_dates` on Spark: the aging history, by customer slices.

    Returns
    -------
    pyspark.sql.DataFrame
        Lazy: one row per (as_of, customer_id, currency) with something
        outstanding or unapplied; ``as_of`` a date, ``bucket`` a string; the
        bucket columns follow ``bucket`` in order (:func:`roll_rates` reads
        them).

    Raises
    ------
    ParameterError, SchemaError
        As :func:`bill_aging`; dates empty or not increasing.

    Examples
    --------
    >>> from creditkit.aging import month_ends
    >>> history = aging_at_dates(bills_sdf, payments_sdf,
    ...                          dates=month_ends("2025-01-31", "2025-06-30"))  # doctest: +SKIP
    """
    b, p, bt, pt = ledger_frames(bills, payments, validate=validate)
    dates = list(dates)

    def run(bb: pd.DataFrame, pp: pd.DataFrame) -> pd.DataFrame:
        return pandas_aging.aging_at_dates(bb, pp, dates=dates, mode=mode, buckets=buckets,
                                           edges=edges)

    return _run(run, b, p, bt, pt, partitions)


_HISTORY = ("as_of", "customer_id", "currency", "outstanding_minor", "past_due_minor",
            "unapplied_minor", "worst_dpd", "bucket")
#: The customer of the rows that keep every date of the history in every slice.
_ANCHOR = "\x00creditkit:every-date"


def roll_rates(history: Any, *, partitions: int | None = None) -> pd.DataFrame:
    """:func:`creditkit.aging.roll_rates` of a Spark aging history, combined exactly.

    Each customer slice runs the pandas function; counts and outstanding
    amounts of each (from_date, to_date, from_bucket, to_bucket) are added as
    Python integers on the driver. So that every slice pairs the same
    consecutive dates, each slice gets one empty anchor row per date of the
    history (owing nothing, in the first bucket), whose one count per pair
    is taken out again before the slices are added.

    Parameters
    ----------
    history : pyspark.sql.DataFrame
        From :func:`aging_at_dates` (the bucket columns follow ``bucket``, in
        order: they give the bucket order).
    partitions : int, optional
        Customer slices (default ``spark.sql.shuffle.partitions``).

    Returns
    -------
    DataFrame
        pandas, as :func:`creditkit.aging.roll_rates` of the whole history.

    Raises
    ------
    ParameterError
        Not a Spark aging history.

    Examples
    --------
    >>> rolls = roll_rates(aging_at_dates(bills_sdf, payments_sdf, dates=ends))  # doctest: +SKIP
    """
    from pyspark.sql import functions as F

    cols = list(history.columns) if hasattr(history, "columns") else []
    missing = [c for c in _HISTORY if c not in cols]
    if not hasattr(history, "sparkSession") or missing:
        raise ParameterError(f"history must be a Spark aging history from "
                             f"creditkit.spark.aging_at_dates; lacks {missing}")
    stop = cols.index("into_last_minor") if "into_last_minor" in cols else len(cols)
    labels = cols[cols.index("bucket") + 1:stop]
    if not labels:
        raise ParameterError("history has no bucket columns after 'bucket'; build it with "
                             "creditkit.spark.aging_at_dates")
    types = {f.name: f.dataType.simpleString() for f in history.schema.fields}
    with quiet():
        days = sorted(r["as_of"] for r in history.select("as_of").distinct().collect())
    anchors = pd.DataFrame({c: [0] * len(days) for c in cols})
    anchors["as_of"] = pd.to_datetime(pd.Series(days)).astype("datetime64[ns]")
    anchors["customer_id"] = _ANCHOR
    anchors["currency"] = _ANCHOR
    anchors["bucket"] = labels[0]

    def run(h: pd.DataFrame) -> pd.DataFrame:
        h = pd.concat([h[cols], anchors[cols]], ignore_index=True)
        h["bucket"] = pd.Categorical(h["bucket"], categories=labels)
        r = pandas_aging.roll_rates(h)
        anchor = ((r["from_bucket"] == labels[0]) & (r["to_bucket"] == labels[0])).to_numpy()
        r.loc[anchor, "count"] -= 1
        r = r[r["count"] > 0]
        return r.assign(from_bucket=r["from_bucket"].astype(str),
                        to_bucket=r["to_bucket"].astype(str))

    empty = empty_frame(types)
    schema = spark_schema(run(empty.astype({"bucket": object})))
    n = customer_partitions(history.sparkSession, partitions)
    parts = apply_by_customer(run, [history], [F.col("customer_id")], n=n, schema=schema)
    with quiet(), executor_errors():
        rows = parts.collect()
    cats_from, cats_to = ["new", *labels], [*labels, "closed"]
    acc: dict[tuple, list[int]] = {}
    for r in rows:
        key = (r["from_date"], r["to_date"], cats_from.index(r["from_bucket"]),
               cats_to.index(r["to_bucket"]))
        cell = acc.setdefault(key, [0, 0])
        cell[0] += int(r["count"])
        cell[1] += int(r["outstanding_minor"])
    keys = sorted(acc)
    return pd.DataFrame({
        "from_date": pd.to_datetime(pd.Series([k[0] for k in keys], dtype=object)
                                    ).astype("datetime64[ns]"),
        "to_date": pd.to_datetime(pd.Series([k[1] for k in keys], dtype=object)
                                  ).astype("datetime64[ns]"),
        "from_bucket": pd.Categorical.from_codes(np.array([k[2] for k in keys], np.int64),
                                                 categories=cats_from),
        "to_bucket": pd.Categorical.from_codes(np.array([k[3] for k in keys], np.int64),
                                               categories=cats_to),
        "count": np.array([acc[k][0] for k in keys], np.int64),
        "outstanding_minor": np.array([acc[k][1] for k in keys], np.int64),
    })
