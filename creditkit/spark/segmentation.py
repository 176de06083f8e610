"""Value segments on Spark: RFM per customer slice, scores and rule-based segments.

- :func:`rfm_table` runs :func:`creditkit.segmentation.rfm_table` on each
  customer slice (transactions and, when given, customers cogrouped by
  customer): recency, frequency and monetary value come from a customer's
  own rows only.
- :func:`rfm_scores`: fixed cut-offs score each row on its own (per chunk,
  on the executors); quantile scores rank a customer against the whole book,
  so the RFM table (one row per customer, four numbers) is collected to the
  driver and scored by the pandas function there.
- :func:`value_segments`: the value rules read one row at a time (per chunk).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from creditkit import segmentation as pandas_segmentation
from creditkit.exceptions import ParameterError
from creditkit.spark.frames import (
    apply_by_customer,
    check_table,
    customer_partitions,
    empty_frame,
    from_arrow,
    from_pandas,
    spark_schema,
    spark_types,
    to_arrow,
    to_pandas,
)

__all__ = ["rfm_scores", "rfm_table", "value_segments"]


def rfm_table(transactions: Any, *, as_of: object, customers: Any = None,
              window_months: int | None = 12, partitions: int | None = None) -> Any:
    """:func:`creditkit.segmentation.rfm_table` on Spark, by customer slices.

    Parameters
    ----------
    transactions : pyspark.sql.DataFrame
        ``customer_id``, ``txn_date``, ``amount_minor``, ``currency``.
    as_of : date-like
    customers : pyspark.sql.DataFrame, optional
        ``customer_id`` (and ``currency``, ``open_date``): every customer on
        file gets a row, and only their own currency counts.
    window_months : int or None, default 12
    partitions : int, optional
        Customer slices (default ``spark.sql.shuffle.partitions``).

    Returns
    -------
    pyspark.sql.DataFrame
        Lazy, one row per customer: ``customer_id``, ``recency_days``,
        ``frequency``, ``monetary_minor``, ``currency``.

    Raises
    ------
    ParameterError, SchemaError
        As the pandas function; not Spark DataFrames; wrong column types.

    Examples
    --------
    >>> rfm = rfm_table(transactions_sdf, as_of="2025-06-30")  # doctest: +SKIP
    """
    from pyspark.sql import functions as F

    tt = check_table(transactions, "transactions",
                     need=["customer_id", "txn_date", "amount_minor", "currency"])
    frames, keys, types = [transactions], [F.col("customer_id")], [tt]
    if customers is not None:
        types.append(check_table(customers, "customers", need=["customer_id"]))
        frames.append(customers)
        keys.append(F.col("customer_id"))

    def run(t: pd.DataFrame, c: pd.DataFrame | None = None) -> pd.DataFrame:
        return pandas_segmentation.rfm_table(t, as_of=as_of, customers=c,
                                             window_months=window_months)

    schema = spark_schema(run(*[empty_frame(t) for t in types]))
    n = customer_partitions(transactions.sparkSession, partitions)
    return apply_by_customer(run, frames, keys, n=n, schema=schema)


def _by_chunk(func: Any, sdf: Any, where: str) -> Any:
    """``func`` on each Arrow batch of ``sdf`` (row-wise functions: no shuffle)."""
    types = spark_types(sdf, where)
    schema = spark_schema(func(empty_frame(types)))

    def run(batches):
        for batch in batches:
            yield to_arrow(func(from_arrow(batch, types)), schema)

    return sdf.mapInPandas(run, schema)


def rfm_scores(rfm: Any, *, method: str = "quantile", bins: int = 5,
               cutoffs: Mapping[str, Sequence[float]] | None = None) -> Any:
    """:func:`creditkit.segmentation.rfm_scores` of a Spark RFM table.

    Parameters
    ----------
    rfm : pyspark.sql.DataFrame
        From :func:`rfm_table`.
    method : {"quantile", "fixed"}, default "quantile"
        ``fixed``: each row scored on the executors. ``quantile``: ranks over
        the whole book, so the table is collected to the driver (one row per
        customer) and scored there, then returned as a Spark DataFrame.
    bins, cutoffs
        As the pandas function.

    Returns
    -------
    pyspark.sql.DataFrame
        The RFM columns and the three ``*_score`` columns.

    Raises
    ------
    ParameterError
        As the pandas function; ``rfm`` not a Spark RFM table.

    Examples
    --------
    >>> scored = rfm_scores(rfm_table(transactions_sdf, as_of="2025-06-30"))  # doctest: +SKIP
    """
    types = spark_types(rfm, "rfm")
    need = ["customer_id", *pandas_segmentation.RFM_COLUMNS]
    if any(c not in types for c in need):
        raise ParameterError(f"rfm must be a Spark DataFrame with {need}, as "
                             "creditkit.spark.rfm_table returns")

    def run(frame: pd.DataFrame) -> pd.DataFrame:
        return pandas_segmentation.rfm_scores(frame, method=method, bins=bins, cutoffs=cutoffs)

    run(empty_frame(types))  # the parameters are checked on the driver
    if method == "fixed":
        return _by_chunk(run, rfm, "rfm")
    scored = run(to_pandas(rfm).sort_values("customer_id", kind="stable").reset_index(drop=True))
    return from_pandas(rfm.sparkSession, scored)


def value_segments(rfm: Any, rules: Any = None) -> Any:
    """:func:`creditkit.segmentation.value_segments` of a Spark table of scored RFM rows.

    Parameters
    ----------
    rfm : pyspark.sql.DataFrame
        From :func:`rfm_scores`.
    rules : RuleSet, path, DataFrame or list, optional
        Default: the shipped value rules. Loaded (and checked) on the driver.

    Returns
    -------
    pyspark.sql.DataFrame
        ``customer_id``, ``segment``, ``rule_id``, ``values_seen``.

    Raises
    ------
    ParameterError
        Bad rules (the file's line named), ``rfm`` not a Spark table.

    Examples
    --------
    >>> segments = value_segments(rfm_scores(rfm))  # doctest: +SKIP
    """
    ruleset = pandas_segmentation.load_value_rules(rules)

    def run(frame: pd.DataFrame) -> pd.DataFrame:
        return pandas_segmentation.value_segments(frame, ruleset)

    return _by_chunk(run, rfm, "rfm")
